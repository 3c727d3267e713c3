// SPDX-License-Identifier: Apache-2.0
// Walks the Records of one uncompressed batch (layout in RecordBatchFormat.swift)
// without copying: every field is bounds-checked by pointer compares against
// the end of its record, and each record's fields must end exactly where its
// length says. Offset deltas must be strictly ascending within
// [0, lastOffsetDelta], the last one equal to lastOffsetDelta, and the batch
// must hold exactly recordsCount records with no trailing bytes.
//
// MARK: Invariants
// I1. batchStart <= p <= end; p is the start of record number `index`.
// I2. previousDelta is the offset delta of record `index - 1` (-1 before the first).

/// Iterator over the records of a RecordBatchView; throws instead of trapping.
package struct RecordIterator {
    private let batchStart: UnsafeRawPointer
    private var p: UnsafeRawPointer
    private let end: UnsafeRawPointer
    private let baseOffset: Int64
    private let baseTimestamp: Int64
    private let lastOffsetDelta: Int32
    private let recordsCount: Int32
    private var index: Int32 = 0
    private var previousDelta: Int32 = -1

    /// `start..<start+count` must be a whole batch (>= 61 bytes) whose header is `header`.
    init(start: UnsafeRawPointer, count: Int, header: RecordBatchHeader) {
        precondition(count >= RecordBatchFormat.headerSize, "not a whole record batch")
        batchStart = start
        p = start + RecordBatchFormat.recordsOffset
        end = start + count
        baseOffset = header.baseOffset
        baseTimestamp = header.baseTimestamp
        lastOffsetDelta = header.lastOffsetDelta
        recordsCount = header.recordsCount
    }

    /// Records returned so far.
    package var recordsRead: Int { Int(index) }

    /// The next record, or nil once all recordsCount records were returned.
    @inline(__always)
    package mutating func next() throws(StorageError) -> RecordView? {
        guard index < recordsCount else {
            guard p == end else { throw trailingBytes() }
            return nil
        }
        guard p < end else { throw endedEarly() }
        let recordStart = p
        let (length, body) = try RecordFieldReader.readVarint(
            at: p, end: end, batchStart: batchStart, field: "record length")
        guard length >= 0, Int(length) <= body.distance(to: end) else {
            throw recordLengthInvalid(length, at: recordStart, body: body)
        }
        let recordEnd = body + Int(length)
        // attributes: one byte, unused by Kafka and ignored here.
        guard body < recordEnd else {
            throw fault("record is empty (no attributes byte)", at: body)
        }
        var q = body + 1
        let timestampDelta: Int64
        (timestampDelta, q) = try RecordFieldReader.readVarlong(
            at: q, end: recordEnd, batchStart: batchStart, field: "timestamp delta")
        let deltaStart = q
        let offsetDelta: Int32
        (offsetDelta, q) = try RecordFieldReader.readVarint(
            at: q, end: recordEnd, batchStart: batchStart, field: "offset delta")
        guard offsetDelta > previousDelta, offsetDelta <= lastOffsetDelta else {
            throw badOffsetDelta(offsetDelta, at: deltaStart)
        }
        let key: UnsafeRawBufferPointer?
        (key, q) = try RecordFieldReader.readBytes(
            at: q, end: recordEnd, batchStart: batchStart, field: "key", allowNull: true)
        let value: UnsafeRawBufferPointer?
        (value, q) = try RecordFieldReader.readBytes(
            at: q, end: recordEnd, batchStart: batchStart, field: "value", allowNull: true)
        let countStart = q
        let headerCount: Int32
        (headerCount, q) = try RecordFieldReader.readVarint(
            at: q, end: recordEnd, batchStart: batchStart, field: "headers count")
        let headersStart = q
        if headerCount != 0 {
            guard headerCount > 0 else {
                throw negativeHeaderCount(headerCount, at: countStart)
            }
            q = try skipHeaders(Int(headerCount), from: q, end: recordEnd)
        }
        guard q == recordEnd else {
            throw unusedBytes(length, fieldsEnd: q, recordEnd: recordEnd, at: recordStart)
        }
        index &+= 1
        previousDelta = offsetDelta
        if index == recordsCount, offsetDelta != lastOffsetDelta {
            throw lastDeltaMismatch(offsetDelta, at: deltaStart)
        }
        p = recordEnd
        return RecordView(
            offset: baseOffset &+ Int64(offsetDelta),
            timestamp: baseTimestamp &+ timestampDelta,
            key: key,
            value: value,
            headerCount: Int(headerCount),
            headerBytes: UnsafeRawBufferPointer(start: headersStart, count: headersStart.distance(to: recordEnd)),
            batchStart: batchStart)
    }

    /// Checks `count` headers starting at `from` and returns the pointer after them.
    @inline(never)
    private func skipHeaders(_ count: Int, from: UnsafeRawPointer, end: UnsafeRawPointer) throws(StorageError)
        -> UnsafeRawPointer
    {
        var headers = RecordHeaderIterator(
            UnsafeRawBufferPointer(start: from, count: from.distance(to: end)), count: count, batchStart: batchStart)
        // Every header takes at least 2 bytes, so a huge count fails fast on the bound.
        while try headers.next() != nil {}
        return headers.position
    }

    // MARK: Cold error construction (out of line: keeps the inlined next() small)

    @inline(never)
    private func fault(_ message: StaticString, at position: UnsafeRawPointer) -> StorageError {
        RecordFieldReader.corruption("\(message)", at: position, batchStart: batchStart)
    }

    @inline(never)
    private func negativeHeaderCount(_ count: Int32, at position: UnsafeRawPointer) -> StorageError {
        RecordFieldReader.corruption("headers count \(count) is negative", at: position, batchStart: batchStart)
    }

    @inline(never)
    private func unusedBytes(
        _ length: Int32, fieldsEnd: UnsafeRawPointer, recordEnd: UnsafeRawPointer, at recordStart: UnsafeRawPointer
    ) -> StorageError {
        RecordFieldReader.corruption(
            "record length \(length) leaves \(fieldsEnd.distance(to: recordEnd)) unused bytes after its fields",
            at: recordStart, batchStart: batchStart)
    }

    @inline(never)
    private func lastDeltaMismatch(_ delta: Int32, at position: UnsafeRawPointer) -> StorageError {
        RecordFieldReader.corruption(
            "last record has offset delta \(delta) but the header says last offset delta \(lastOffsetDelta)",
            at: position, batchStart: batchStart)
    }

    @inline(never)
    private func trailingBytes() -> StorageError {
        RecordFieldReader.corruption(
            "\(p.distance(to: end)) trailing bytes after the last of \(recordsCount) records",
            at: p, batchStart: batchStart)
    }

    @inline(never)
    private func endedEarly() -> StorageError {
        RecordFieldReader.corruption(
            "batch ends after \(index) of \(recordsCount) records", at: p, batchStart: batchStart)
    }

    @inline(never)
    private func recordLengthInvalid(_ length: Int32, at recordStart: UnsafeRawPointer, body: UnsafeRawPointer) -> StorageError {
        RecordFieldReader.corruption(
            "record length \(length) does not fit the \(body.distance(to: end)) bytes left in the batch",
            at: recordStart, batchStart: batchStart)
    }

    @inline(never)
    private func badOffsetDelta(_ delta: Int32, at position: UnsafeRawPointer) -> StorageError {
        let message = delta <= previousDelta
            ? "offset delta \(delta) is not above the previous record's \(previousDelta)"
            : "offset delta \(delta) exceeds the header's last offset delta \(lastOffsetDelta)"
        return RecordFieldReader.corruption(message, at: position, batchStart: batchStart)
    }
}
