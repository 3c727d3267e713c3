// SPDX-License-Identifier: Apache-2.0
// An open file of an `InMemoryFileSystem`.
#if canImport(Glibc)
import Glibc
#endif

/// A handle on an in-memory inode. All state lives in the owning file system
/// (under its lock), so the handle is thread-safe and, like a POSIX
/// descriptor, keeps working after its name is removed or replaced.
package final class InMemoryFileHandle: FileHandle {
    package let path: String
    private let fileSystem: InMemoryFileSystem
    private let id: Int
    private let writable: Bool

    init(fileSystem: InMemoryFileSystem, id: Int, path: String, writable: Bool) {
        self.fileSystem = fileSystem
        self.id = id
        self.path = path
        self.writable = writable
    }

    deinit { try? fileSystem.closeHandle(id, path: path) }

    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        guard offset >= 0 else { throw IOError(.other, operation: "pread", path: path) }
        return try fileSystem.withInode(handle: id, path: path, operation: "pread") { node in
            node.content.read(into: buffer, at: offset)
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "pwrite") { (node) throws(IOError) in
            guard writable else { throw IOError(code: .other, operation: "pwrite", path: path, errno: EBADF) }
            try node.content.write(bytes, at: offset, path: path)
        }
    }

    package func size() throws(IOError) -> Int64 {
        try fileSystem.withInode(handle: id, path: path, operation: "fstat") { $0.content.count }
    }

    package func truncate(to size: Int64) throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "ftruncate") { (node) throws(IOError) in
            guard writable else { throw IOError(code: .other, operation: "ftruncate", path: path, errno: EINVAL) }
            try node.content.truncate(to: size, path: path)
        }
    }

    package func sync() throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "fdatasync") { _ in }
    }

    package func close() throws(IOError) {
        try fileSystem.closeHandle(id, path: path)
    }
}
