// SPDX-License-Identifier: Apache-2.0
// The bytes of one in-memory file and the pread/pwrite/ftruncate rules on
// them, shared by the in-memory and crash-simulating backends.

/// The content of an in-memory file. A value type; the owner guards it.
package struct FileContent: Sendable, Equatable {
    package var bytes: [UInt8]

    package init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    package var count: Int64 { Int64(bytes.count) }

    /// pread: copies up to `buffer.count` bytes at `offset`; fewer only at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard offset >= 0, offset < count, buffer.count > 0 else { return 0 }
        let start = Int(offset)
        let n = min(buffer.count, bytes.count - start)
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<start + n]))
        }
        return n
    }

    /// pwrite: writes all of `source` at `offset`, zero-filling any gap.
    package mutating func write(_ source: UnsafeRawBufferPointer, at offset: Int64, path: String) throws(IOError) {
        let end = try Self.checkedEnd(offset, Int64(source.count), operation: "pwrite", path: path)
        guard source.count > 0 else { return }
        if end > bytes.count { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        let start = Int(offset)
        bytes.withUnsafeMutableBytes { dst in
            UnsafeMutableRawBufferPointer(rebasing: dst[start..<end]).copyMemory(from: source)
        }
    }

    /// ftruncate: shrinks, or extends with zeros.
    package mutating func truncate(to size: Int64, path: String) throws(IOError) {
        let end = try Self.checkedEnd(size, 0, operation: "ftruncate", path: path)
        if end < bytes.count {
            bytes.removeSubrange(end...)
        } else if end > bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: end - bytes.count))
        }
    }

    /// The end position of an access, or the error the kernel would give for it.
    private static func checkedEnd(_ offset: Int64, _ length: Int64, operation: String, path: String) throws(IOError) -> Int {
        guard offset >= 0 else { throw IOError(.other, operation: operation, path: path) }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= InMemoryFileSystem.maximumFileSize else {
            throw IOError(.noSpace, operation: operation, path: path)
        }
        return Int(end)
    }
}
