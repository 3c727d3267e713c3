// SPDX-License-Identifier: Apache-2.0
// One decoded record: zero-copy slices into the batch bytes it came from,
// valid only as long as those bytes are.

/// A record inside a RecordBatchView. Key, value and header slices point into
/// the batch buffer; nothing is copied or allocated.
package struct RecordView {
    /// baseOffset + offsetDelta.
    package let offset: Int64
    /// baseTimestamp + timestampDelta (wrapping, as Kafka's Java long arithmetic).
    package let timestamp: Int64
    /// nil for a null key (length -1); an empty buffer for a zero-length key.
    package let key: UnsafeRawBufferPointer?
    /// nil for a null value (tombstone); an empty buffer for a zero-length value.
    package let value: UnsafeRawBufferPointer?
    /// Number of record headers.
    package let headerCount: Int
    /// The encoded headers (after headersCount), already checked by the iterator.
    package let headerBytes: UnsafeRawBufferPointer
    /// Start of the batch, so header errors report batch-relative positions.
    let batchStart: UnsafeRawPointer

    init(
        offset: Int64, timestamp: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headerCount: Int, headerBytes: UnsafeRawBufferPointer, batchStart: UnsafeRawPointer
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headerCount = headerCount
        self.headerBytes = headerBytes
        self.batchStart = batchStart
    }

    /// Iterates this record's headers in order.
    package func makeHeaderIterator() -> RecordHeaderIterator {
        RecordHeaderIterator(headerBytes, count: headerCount, batchStart: batchStart)
    }
}

/// One record header: a non-null key and an optional value, both slices.
package struct RecordHeaderView {
    package let key: UnsafeRawBufferPointer
    package let value: UnsafeRawBufferPointer?
}
