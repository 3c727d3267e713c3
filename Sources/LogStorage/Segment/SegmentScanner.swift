// SPDX-License-Identifier: Apache-2.0
// Walks the batches of a `.log` file from a position, reading large chunks and
// parsing headers in memory. Used by recovery, verification, offset and
// timestamp search and the dump tools.
import FileIO

/// One batch found by the scanner. `bytes` is valid until the next `next()`.
package struct ScannedBatch {
    package var position: Int64
    package var header: RecordBatchHeader
    package var bytes: UnsafeRawBufferPointer
}

/// How thoroughly each batch is checked before it is returned.
package enum BatchValidation: Sendable {
    /// Header shape and length only.
    case header
    /// Header and CRC-32C.
    case crc
    /// CRC and a full walk of every record (recovery, verify).
    case full
}

/// Not Sendable: one scanner per task.
package struct SegmentScanner: ~Copyable {
    package let handle: any FileHandle
    package let end: Int64
    package let validation: BatchValidation
    private let buffer: ReadBuffer
    /// File position of buffer byte 0.
    private var bufferStart: Int64
    /// Position of the next batch.
    package private(set) var position: Int64

    /// Scans `[from, end)` of the file behind `handle`.
    package init(handle: any FileHandle, from: Int64, end: Int64, validation: BatchValidation,
                 buffer: ReadBuffer = ReadBuffer(capacity: 1 << 20)) {
        self.handle = handle
        self.end = end
        self.validation = validation
        self.buffer = buffer
        self.bufferStart = from
        self.position = from
        buffer.count = 0
    }

    /// The next batch, or nil at `end`. Throws `.corruption` (with the file
    /// and the batch's position) for a batch that is truncated or invalid;
    /// `position` then still points at the bad batch.
    package mutating func next() throws(StorageError) -> ScannedBatch? {
        if position >= end { return nil }
        let remaining = end - position
        guard remaining >= Int64(RecordBatchFormat.headerSize) else {
            throw StorageError(.corruption, "truncated batch header: \(remaining) bytes left before the end",
                               path: handle.path, position: position)
        }
        try ensure(Int(RecordBatchFormat.headerSize))
        var header: RecordBatchHeader
        do {
            header = try RecordBatchHeader.parse(window(RecordBatchFormat.headerSize))
        } catch {
            throw relocated(error)
        }
        let size = Int64(header.totalSize)
        guard size <= remaining else {
            throw StorageError(.corruption, "truncated batch: length \(size) but \(remaining) bytes left",
                               path: handle.path, position: position)
        }
        try ensure(Int(size))
        let bytes = window(Int(size))
        switch validation {
        case .header:
            break
        case .crc:
            let view: RecordBatchView
            do { view = try RecordBatchView(bytes) } catch { throw relocated(error) }
            guard view.verifyCRC() else {
                throw StorageError(.corruption, "batch CRC-32C mismatch", path: handle.path, position: position)
            }
        case .full:
            do { try RecordBatchView(bytes).validate() } catch { throw relocated(error) }
        }
        header = try RecordBatchHeader.parse(bytes)
        let found = ScannedBatch(position: position, header: header, bytes: bytes)
        position += size
        return found
    }

    private func window(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer.storage + Int(position - bufferStart), count: count)
    }

    /// Re-anchors a decoder error (positions relative to the batch) to the
    /// file: the reported position is the batch start, the detail stays in the message.
    private func relocated(_ error: StorageError) -> StorageError {
        var e = error
        e.path = handle.path
        if let inner = error.position, inner != 0 { e.message += " (byte \(inner) of the batch)" }
        e.position = position
        return e
    }

    /// Makes bytes [position, position + count) resident in the buffer.
    private mutating func ensure(_ count: Int) throws(StorageError) {
        let have = bufferStart + Int64(buffer.count) - position
        if position >= bufferStart && have >= Int64(count) { return }
        let want = max(count, min(Int(end - position), 1 << 20))
        buffer.reserve(want)
        bufferStart = position
        buffer.count = 0
        var filled = 0
        while filled < want {
            let n: Int
            do {
                n = try handle.read(into: UnsafeMutableRawBufferPointer(start: buffer.storage + filled, count: want - filled),
                                    at: position + Int64(filled))
            } catch {
                throw StorageError.io(error, "cannot read segment")
            }
            if n == 0 { break }
            filled += n
        }
        buffer.count = filled
        guard filled >= count else {
            throw StorageError(.corruption, "file ends \(count - filled) bytes early",
                               path: handle.path, position: position + Int64(filled))
        }
    }
}
