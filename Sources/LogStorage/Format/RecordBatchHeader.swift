// SPDX-License-Identifier: Apache-2.0
// The 61-byte RecordBatch v2 header as a value: parsed from (and encoded to)
// raw bytes using RecordBatchFormat offsets only. Parsing needs the header
// bytes alone, so a segment scan can size a batch before reading all of it.
//
// OFFSET SIZE FIELD (big-endian; full table in RecordBatchFormat.swift)
//      0    8 baseOffset           27    8 baseTimestamp
//      8    4 batchLength          35    8 maxTimestamp
//     12    4 partitionLeaderEpoch 43    8 producerId
//     16    1 magic                51    2 producerEpoch
//     17    4 crc                  53    4 baseSequence
//     21    2 attributes           57    4 recordsCount
//     23    4 lastOffsetDelta      61    … records

/// The fields of a RecordBatch v2 header.
package struct RecordBatchHeader: Sendable, Equatable {
    package var baseOffset: Int64
    package var batchLength: Int32
    package var partitionLeaderEpoch: Int32
    package var magic: Int8
    package var crc: UInt32
    package var attributes: Int16
    package var lastOffsetDelta: Int32
    package var baseTimestamp: Int64
    package var maxTimestamp: Int64
    package var producerId: Int64
    package var producerEpoch: Int16
    package var baseSequence: Int32
    package var recordsCount: Int32

    package init(
        baseOffset: Int64,
        batchLength: Int32,
        partitionLeaderEpoch: Int32 = RecordBatchFormat.noPartitionLeaderEpoch,
        magic: Int8 = RecordBatchFormat.magic,
        crc: UInt32,
        attributes: Int16 = 0,
        lastOffsetDelta: Int32,
        baseTimestamp: Int64,
        maxTimestamp: Int64,
        producerId: Int64 = RecordBatchFormat.noProducerId,
        producerEpoch: Int16 = RecordBatchFormat.noProducerEpoch,
        baseSequence: Int32 = RecordBatchFormat.noSequence,
        recordsCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordsCount = recordsCount
    }

    // MARK: Derived values

    /// Offset of the last record (parse guarantees this does not overflow).
    package var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    /// The offset following this batch.
    package var nextOffset: Int64 { lastOffset &+ 1 }
    /// Bytes of the whole batch: batchLength plus the 12 bytes before it counts.
    package var totalSize: Int { Int(batchLength) &+ RecordBatchFormat.logOverhead }
    /// Compression codec bits (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
    package var compression: Int16 { attributes & RecordBatchFormat.compressionMask }
    /// True when timestamps are LogAppendTime rather than CreateTime.
    package var isLogAppendTime: Bool { attributes & RecordBatchFormat.timestampTypeMask != 0 }
    package var isTransactional: Bool { attributes & RecordBatchFormat.transactionalMask != 0 }
    package var isControlBatch: Bool { attributes & RecordBatchFormat.controlMask != 0 }
}

// MARK: - Parsing and encoding

extension RecordBatchHeader {
    /// Parses and sanity-checks the header at the start of `bytes` (at least 61
    /// bytes; the rest of the batch need not be present). Checks magic, batch
    /// length, delta and count ranges, and rejects compressed batches with
    /// `.unsupportedFormat`. Does not verify the CRC. Positions in errors are
    /// byte offsets within `bytes`.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(StorageError) -> RecordBatchHeader {
        typealias F = RecordBatchFormat
        guard bytes.count >= F.headerSize, let base = bytes.baseAddress else {
            throw StorageError(
                .corruption,
                "batch header truncated: \(bytes.count) bytes available, the header needs \(F.headerSize)",
                position: Int64(bytes.count))
        }
        @inline(__always) func i64(_ at: Int) -> Int64 { Int64(bigEndian: base.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
        @inline(__always) func i32(_ at: Int) -> Int32 { Int32(bigEndian: base.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
        @inline(__always) func i16(_ at: Int) -> Int16 { Int16(bigEndian: base.loadUnaligned(fromByteOffset: at, as: Int16.self)) }

        let header = RecordBatchHeader(
            baseOffset: i64(F.baseOffsetOffset),
            batchLength: i32(F.batchLengthOffset),
            partitionLeaderEpoch: i32(F.partitionLeaderEpochOffset),
            magic: base.load(fromByteOffset: F.magicOffset, as: Int8.self),
            crc: UInt32(bigEndian: base.loadUnaligned(fromByteOffset: F.crcOffset, as: UInt32.self)),
            attributes: i16(F.attributesOffset),
            lastOffsetDelta: i32(F.lastOffsetDeltaOffset),
            baseTimestamp: i64(F.baseTimestampOffset),
            maxTimestamp: i64(F.maxTimestampOffset),
            producerId: i64(F.producerIdOffset),
            producerEpoch: i16(F.producerEpochOffset),
            baseSequence: i32(F.baseSequenceOffset),
            recordsCount: i32(F.recordsCountOffset))
        try header.check()
        return header
    }

    /// The header-only consistency rules, in byte order of the fields they concern.
    private func check() throws(StorageError) {
        typealias F = RecordBatchFormat
        guard baseOffset >= 0 else {
            throw StorageError(.corruption, "base offset \(baseOffset) is negative",
                               position: Int64(F.baseOffsetOffset))
        }
        guard batchLength >= F.minBatchLength else {
            throw StorageError(.corruption, "batch length \(batchLength) is below the minimum \(F.minBatchLength)",
                               position: Int64(F.batchLengthOffset))
        }
        guard magic == F.magic else {
            throw StorageError(.corruption, "magic byte is \(magic), expected \(F.magic) (RecordBatch v2)",
                               position: Int64(F.magicOffset))
        }
        guard lastOffsetDelta >= 0 else {
            throw StorageError(.corruption, "last offset delta \(lastOffsetDelta) is negative",
                               position: Int64(F.lastOffsetDeltaOffset))
        }
        // nextOffset (= baseOffset + lastOffsetDelta + 1) must stay representable.
        guard baseOffset <= Int64.max - 1 - Int64(lastOffsetDelta) else {
            throw StorageError(.corruption,
                               "last offset of base \(baseOffset) + delta \(lastOffsetDelta) overflows Int64",
                               position: Int64(F.lastOffsetDeltaOffset))
        }
        guard recordsCount >= 0 else {
            throw StorageError(.corruption, "records count \(recordsCount) is negative",
                               position: Int64(F.recordsCountOffset))
        }
        // Records have distinct offsets in [baseOffset, lastOffset].
        guard Int64(recordsCount) <= Int64(lastOffsetDelta) + 1 else {
            throw StorageError(.corruption,
                               "records count \(recordsCount) exceeds the \(Int64(lastOffsetDelta) + 1) offsets "
                                   + "the batch spans (last offset delta \(lastOffsetDelta))",
                               position: Int64(F.recordsCountOffset))
        }
        guard compression == 0 else {
            throw StorageError(.unsupportedFormat,
                               "batch is compressed (codec \(compression)); compressed batches are not supported",
                               position: Int64(F.attributesOffset))
        }
        // Uncompressed records take at least minRecordSize bytes each.
        let recordBytes = Int64(batchLength) - Int64(F.minBatchLength)
        guard Int64(recordsCount) * Int64(F.minRecordSize) <= recordBytes else {
            throw StorageError(.corruption,
                               "records count \(recordsCount) cannot fit in \(recordBytes) bytes of records "
                                   + "(each record takes at least \(F.minRecordSize))",
                               position: Int64(F.recordsCountOffset))
        }
    }

    /// Writes all 61 header bytes (including `crc` as stored in this value) at `p`.
    package func encode(into p: UnsafeMutableRawPointer) {
        typealias F = RecordBatchFormat
        p.storeBytes(of: baseOffset.bigEndian, toByteOffset: F.baseOffsetOffset, as: Int64.self)
        p.storeBytes(of: batchLength.bigEndian, toByteOffset: F.batchLengthOffset, as: Int32.self)
        p.storeBytes(of: partitionLeaderEpoch.bigEndian, toByteOffset: F.partitionLeaderEpochOffset, as: Int32.self)
        p.storeBytes(of: magic, toByteOffset: F.magicOffset, as: Int8.self)
        p.storeBytes(of: crc.bigEndian, toByteOffset: F.crcOffset, as: UInt32.self)
        p.storeBytes(of: attributes.bigEndian, toByteOffset: F.attributesOffset, as: Int16.self)
        p.storeBytes(of: lastOffsetDelta.bigEndian, toByteOffset: F.lastOffsetDeltaOffset, as: Int32.self)
        p.storeBytes(of: baseTimestamp.bigEndian, toByteOffset: F.baseTimestampOffset, as: Int64.self)
        p.storeBytes(of: maxTimestamp.bigEndian, toByteOffset: F.maxTimestampOffset, as: Int64.self)
        p.storeBytes(of: producerId.bigEndian, toByteOffset: F.producerIdOffset, as: Int64.self)
        p.storeBytes(of: producerEpoch.bigEndian, toByteOffset: F.producerEpochOffset, as: Int16.self)
        p.storeBytes(of: baseSequence.bigEndian, toByteOffset: F.baseSequenceOffset, as: Int32.self)
        p.storeBytes(of: recordsCount.bigEndian, toByteOffset: F.recordsCountOffset, as: Int32.self)
    }
}
