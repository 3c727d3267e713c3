// SPDX-License-Identifier: Apache-2.0
// Deliberate damage to files, for corruption and torn-tail tests (LevelDB's
// log_test style: flip a CRC byte, inflate a length, truncate the tail).
#if canImport(Glibc)
import Glibc
#endif
import FileIO

/// Reads and damages one file through any `FileSystem`. Each call opens and
/// closes the file, so it can be used between closing and reopening the code
/// under test. Out-of-range positions throw `.other` (errno EINVAL) rather
/// than silently extending the file.
package struct ByteSurgery: Sendable {
    package let fileSystem: any FileSystem
    package let path: String

    package init(_ fileSystem: any FileSystem, path: String) {
        self.fileSystem = fileSystem
        self.path = path
    }

    /// The whole file.
    package func readAll() throws(IOError) -> [UInt8] {
        try fileSystem.readFile(path)
    }

    /// The file's size in bytes.
    package func size() throws(IOError) -> Int64 {
        try fileSystem.fileSize(path)
    }

    /// XORs the byte at `position` with `mask` (default: every bit flipped).
    package func flipByte(at position: Int64, mask: UInt8 = 0xFF) throws(IOError) {
        try edit("flipByte") { (handle) throws(IOError) in
            let old = try handle.read(count: 1, at: position)
            guard old.count == 1 else { throw outOfRange("flipByte") }
            try handle.write([old[0] ^ mask], at: position)
        }
    }

    /// Overwrites bytes starting at `position` (which must lie within the file).
    package func setBytes(at position: Int64, to bytes: [UInt8]) throws(IOError) {
        try edit("setBytes") { (handle) throws(IOError) in
            guard position >= 0, position + Int64(bytes.count) <= (try handle.size()) else {
                throw outOfRange("setBytes")
            }
            try handle.write(bytes, at: position)
        }
    }

    /// Truncates (or zero-extends) the file to `size` bytes.
    package func truncate(to size: Int64) throws(IOError) {
        guard size >= 0 else { throw outOfRange("truncate") }
        try edit("truncate") { (handle) throws(IOError) in try handle.truncate(to: size) }
    }

    /// Removes the last `count` bytes (a torn tail).
    package func chopTail(_ count: Int64) throws(IOError) {
        try edit("chopTail") { (handle) throws(IOError) in
            let size = try handle.size()
            guard count >= 0, count <= size else { throw outOfRange("chopTail") }
            try handle.truncate(to: size - count)
        }
    }

    /// Appends `count` garbage bytes drawn from `random`.
    package func appendGarbage(_ count: Int, using random: inout SeededRandom) throws(IOError) {
        try append(random.bytes(count))
    }

    /// Appends exactly `bytes` (e.g. zero padding, a half-written header).
    package func append(_ bytes: [UInt8]) throws(IOError) {
        try edit("append") { (handle) throws(IOError) in try handle.write(bytes, at: try handle.size()) }
    }

    // MARK: - Helpers

    private func edit(_ operation: String, _ body: (any FileHandle) throws(IOError) -> Void) throws(IOError) {
        let handle = try fileSystem.open(path, mode: .readWrite)
        do {
            try body(handle)
        } catch {
            try? handle.close()
            throw error
        }
        try handle.close()
    }

    private func outOfRange(_ operation: String) -> IOError {
        IOError(code: .other, operation: operation, path: path, errno: EINVAL)
    }
}
