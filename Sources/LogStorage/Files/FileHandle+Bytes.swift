// SPDX-License-Identifier: Apache-2.0
// Typed-throws conveniences over FileHandle for fixed-size index entries.
// (The standard library's `withUnsafeBytes` is `rethrows`, which erases the
// error type; these keep `IOError`.)
import FileIO

extension FileHandle {
    /// Writes the first `count` bytes of `value`'s in-memory representation.
    func write<T>(rawValue value: T, count: Int, at offset: Int64) throws(IOError) {
        var copy = value
        let result = withUnsafeBytes(of: &copy) { b in
            Result { () throws(IOError) in try self.write(UnsafeRawBufferPointer(rebasing: b[0..<count]), at: offset) }
        }
        try result.get()
    }

    /// Reads up to `count` bytes at `offset` into `value`'s storage; returns bytes read.
    func read<T>(into value: inout T, count: Int, at offset: Int64) throws(IOError) -> Int {
        let result = withUnsafeMutableBytes(of: &value) { b in
            Result { () throws(IOError) -> Int in
                try self.read(into: UnsafeMutableRawBufferPointer(rebasing: b[0..<count]), at: offset)
            }
        }
        return try result.get()
    }
}
