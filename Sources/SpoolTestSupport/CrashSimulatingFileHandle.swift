// SPDX-License-Identifier: Apache-2.0
// An open file of a `CrashSimulatingFileSystem`: writes go to the simulated
// page cache; `sync` makes them durable (or is where the power fails).
#if canImport(Glibc)
import Glibc
#endif
import FileIO

/// A handle on a simulated inode; all state lives in the owning file system.
/// Thread-safe; keeps working after its name is removed, like a descriptor.
package final class CrashSimulatingFileHandle: FileHandle {
    package let path: String
    private let fileSystem: CrashSimulatingFileSystem
    private let id: Int
    private let writable: Bool

    init(fileSystem: CrashSimulatingFileSystem, id: Int, path: String, writable: Bool) {
        self.fileSystem = fileSystem
        self.id = id
        self.path = path
        self.writable = writable
    }

    deinit { fileSystem.forgetHandle(id) }

    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        guard offset >= 0 else { throw IOError(.other, operation: "pread", path: path) }
        return try fileSystem.withInode(handle: id, path: path, operation: "pread") { node, _ in
            node.current.read(into: buffer, at: offset)
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "pwrite") { (node, _) throws(IOError) in
            guard writable else { throw IOError(code: .other, operation: "pwrite", path: path, errno: EBADF) }
            try node.current.write(bytes, at: offset, path: path)
            if bytes.count > 0 { node.pending.append(.write(offset: offset, bytes: Array(bytes))) }  // keeps I1
        }
    }

    package func size() throws(IOError) -> Int64 {
        try fileSystem.withInode(handle: id, path: path, operation: "fstat") { node, _ in node.current.count }
    }

    package func truncate(to size: Int64) throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "ftruncate") { (node, _) throws(IOError) in
            guard writable else { throw IOError(code: .other, operation: "ftruncate", path: path, errno: EINVAL) }
            try node.current.truncate(to: size, path: path)
            node.pending.append(.truncate(size: size))  // keeps I1
        }
    }

    package func sync() throws(IOError) {
        try fileSystem.withInode(handle: id, path: path, operation: "fdatasync") { (node, s) throws(IOError) in
            try CrashSimulatingFileSystem.countSync("fdatasync", path, in: &s)
            node.durable = node.current
            node.pending.removeAll()
        }
    }

    package func close() throws(IOError) {
        try fileSystem.closeHandle(id, path: path)
    }
}
