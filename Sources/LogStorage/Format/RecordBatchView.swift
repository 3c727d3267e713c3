// SPDX-License-Identifier: Apache-2.0
// A non-owning, zero-copy view of one complete RecordBatch v2 in memory (a
// read buffer or a mapping): header parsed up front, CRC and record walk on
// demand. Byte layout: RecordBatchFormat.swift.
//
// MARK: Invariants
// I1. bytes.count == header.totalSize >= 61 and start == bytes.baseAddress.
// I2. header passed RecordBatchHeader.parse (magic 2, uncompressed, sane lengths).

/// One whole batch, borrowed from memory the caller keeps alive.
package struct RecordBatchView {
    package let bytes: UnsafeRawBufferPointer
    package let header: RecordBatchHeader
    private let start: UnsafeRawPointer

    /// Parses the header and requires `bytes` to be exactly the batch
    /// (header.totalSize bytes). Does not verify the CRC or the records.
    package init(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        let header = try RecordBatchHeader.parse(bytes)
        guard bytes.count == header.totalSize, let start = bytes.baseAddress else {
            throw StorageError(
                .corruption,
                bytes.count < header.totalSize
                    ? "batch truncated: \(bytes.count) bytes available, batch length says \(header.totalSize)"
                    : "\(bytes.count - header.totalSize) bytes beyond the batch's \(header.totalSize) "
                        + "(batch length \(header.batchLength))",
                position: Int64(RecordBatchFormat.batchLengthOffset))
        }
        self.bytes = bytes
        self.header = header
        self.start = start
    }

    /// CRC-32C of bytes [21, end), as the batch should store it.
    package func computeCRC() -> UInt32 {
        CRC32C.checksum(UnsafeRawBufferPointer(
            start: start + RecordBatchFormat.crcCoverageStart,
            count: bytes.count &- RecordBatchFormat.crcCoverageStart))
    }

    /// True when the stored CRC matches the bytes.
    package func verifyCRC() -> Bool {
        computeCRC() == header.crc
    }

    /// CRC check plus a full walk of every record (see RecordIterator for the
    /// rules). Throws `.corruption` with the position of the first problem.
    package func validate() throws(StorageError) {
        let computed = computeCRC()
        guard computed == header.crc else {
            throw StorageError(
                .corruption,
                "batch CRC mismatch: stored 0x\(String(header.crc, radix: 16)), "
                    + "computed 0x\(String(computed, radix: 16))",
                position: Int64(RecordBatchFormat.crcOffset))
        }
        var records = makeRecordIterator()
        while try records.next() != nil {}
    }

    /// Iterates the records (bounds-checked; does not verify the CRC).
    package func makeRecordIterator() -> RecordIterator {
        RecordIterator(start: start, count: bytes.count, header: header)
    }
}
