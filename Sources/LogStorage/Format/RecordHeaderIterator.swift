// SPDX-License-Identifier: Apache-2.0
// Walks the encoded headers of one record (layout in RecordBatchFormat.swift):
//   headerKeyLength varint (>= 0), headerKey bytes,
//   headerValueLength varint (-1 = null), headerValue bytes.
// Every read is bounded by the end of the record's header bytes.

/// Iterator over a record's headers; throws instead of trapping on bad bytes.
package struct RecordHeaderIterator {
    private var p: UnsafeRawPointer
    private let end: UnsafeRawPointer
    private var remaining: Int
    private let batchStart: UnsafeRawPointer

    init(_ bytes: UnsafeRawBufferPointer, count: Int, batchStart: UnsafeRawPointer) {
        // An empty region may have no base address; any non-null pointer with
        // end == p reads nothing.
        let start = bytes.baseAddress ?? batchStart
        p = start
        end = start + bytes.count
        remaining = count
        self.batchStart = batchStart
    }

    /// Iterates headers kept apart from their batch (positions in errors are
    /// then relative to `bytes`). `bytes` must be non-empty when `count > 0`.
    package init(bytes: UnsafeRawBufferPointer, count: Int) {
        self.init(bytes, count: count, batchStart: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)
    }

    /// Where the next header starts (just past the last one once exhausted).
    var position: UnsafeRawPointer { p }

    /// The next header, or nil after the last one.
    package mutating func next() throws(StorageError) -> RecordHeaderView? {
        guard remaining > 0 else { return nil }
        let (key, afterKey) = try RecordFieldReader.readBytes(
            at: p, end: end, batchStart: batchStart, field: "header key", allowNull: false)
        let (value, afterValue) = try RecordFieldReader.readBytes(
            at: afterKey, end: end, batchStart: batchStart, field: "header value", allowNull: true)
        guard let key else {
            // Unreachable: allowNull: false already threw for length -1.
            throw RecordFieldReader.corruption("header key is null", at: p, batchStart: batchStart)
        }
        p = afterValue
        remaining &-= 1
        return RecordHeaderView(key: key, value: value)
    }
}
