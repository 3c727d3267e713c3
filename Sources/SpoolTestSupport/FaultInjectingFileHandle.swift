// SPDX-License-Identifier: Apache-2.0
// The handle side of `FaultInjectingFileSystem`: counts and fails handle calls.
import FileIO

/// Wraps a handle of the inner file system; every call is counted by (and
/// may be failed by) the owning `FaultInjectingFileSystem`. Thread-safe.
package final class FaultInjectingFileHandle: FileHandle {
    package let inner: any FileHandle
    private let owner: FaultInjectingFileSystem

    init(_ inner: any FileHandle, owner: FaultInjectingFileSystem) {
        self.inner = inner
        self.owner = owner
    }

    package var path: String { inner.path }

    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        try owner.check(.read, path)
        return try inner.read(into: buffer, at: offset)
    }

    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        switch owner.decide(.write, path, byteCount: bytes.count) {
        case .proceed:
            try inner.write(bytes, at: offset)
        case .fail(let error):
            throw error
        case .tear(let prefix, let error):
            // The device took the first `prefix` bytes, then failed.
            if prefix > 0 { try inner.write(UnsafeRawBufferPointer(rebasing: bytes[0..<prefix]), at: offset) }
            throw error
        }
    }

    package func size() throws(IOError) -> Int64 {
        try owner.check(.size, path)
        return try inner.size()
    }

    package func truncate(to size: Int64) throws(IOError) {
        try owner.check(.truncate, path)
        try inner.truncate(to: size)
    }

    package func sync() throws(IOError) {
        try owner.check(.sync, path)
        try inner.sync()
    }

    package func close() throws(IOError) {
        do {
            try owner.check(.close, path)
        } catch {
            try? inner.close()  // close(2) frees the descriptor even when it fails
            throw error
        }
        try inner.close()
    }
}
