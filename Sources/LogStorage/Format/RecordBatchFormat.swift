// SPDX-License-Identifier: Apache-2.0
// THE byte layout of a Kafka RecordBatch v2 and of the Records inside it.
// The encoder (RecordBatchBuilder) and the decoders (RecordBatchHeader,
// RecordIterator) read and write bytes only through these constants.
// See docs/format.md for the prose version and what the decoder rejects.
//
// RecordBatch v2 header; all fixed-width integers big-endian:
//
//   OFFSET  SIZE  FIELD                 NOTES
//   ------  ----  --------------------  --------------------------------------------
//        0     8  baseOffset            int64, offset of the first record; stamped by
//                                       the partition after encoding (not CRC-covered)
//        8     4  batchLength           int32, total batch size - 12 (bytes after it)
//       12     4  partitionLeaderEpoch  int32, -1 = none; not CRC-covered
//       16     1  magic                 int8, always 2
//       17     4  crc                   uint32, CRC-32C over [21, end of batch)
//       21     2  attributes            int16, bit layout below
//       23     4  lastOffsetDelta       int32, last offset - baseOffset
//       27     8  baseTimestamp         int64, first record's timestamp
//       35     8  maxTimestamp          int64, largest record timestamp
//       43     8  producerId            int64, -1 = none
//       51     2  producerEpoch         int16, -1 = none
//       53     4  baseSequence          int32, -1 = none
//       57     4  recordsCount          int32, number of records
//       61     …  records               concatenated Records (below); a codec stream
//                                       of them when compressed (unsupported here)
//
//   attributes:  bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
//                bit 3 timestampType (0 CreateTime, 1 LogAppendTime)
//                bit 4 isTransactional, bit 5 isControlBatch,
//                bit 6 hasDeleteHorizonMs, bits 7-15 unused (0)
//
// Record (inside a batch); "varint" = zigzag LEB128, max 5 bytes (int32),
// "varlong" = zigzag LEB128, max 10 bytes (int64):
//
//   FIELD              TYPE        NOTES
//   -----------------  ----------  ------------------------------------------
//   length             varint      bytes of everything after this field
//   attributes         int8        unused, 0
//   timestampDelta     varlong     record timestamp - batch baseTimestamp
//   offsetDelta        varint      record offset - batch baseOffset
//   keyLength          varint      -1 = null key
//   key                bytes       keyLength bytes
//   valueLength        varint      -1 = null value (tombstone)
//   value              bytes       valueLength bytes
//   headersCount       varint      >= 0
//     headerKeyLength  varint      >= 0 (header keys are never null)
//     headerKey        bytes       UTF-8
//     headerValueLen   varint      -1 = null
//     headerValue      bytes

/// Offsets, sizes and masks of the RecordBatch v2 format.
package enum RecordBatchFormat {
    // MARK: Header field offsets
    package static let baseOffsetOffset = 0
    package static let batchLengthOffset = 8
    package static let partitionLeaderEpochOffset = 12
    package static let magicOffset = 16
    package static let crcOffset = 17
    package static let attributesOffset = 21
    package static let lastOffsetDeltaOffset = 23
    package static let baseTimestampOffset = 27
    package static let maxTimestampOffset = 35
    package static let producerIdOffset = 43
    package static let producerEpochOffset = 51
    package static let baseSequenceOffset = 53
    package static let recordsCountOffset = 57
    package static let recordsOffset = 61

    // MARK: Sizes
    /// Bytes of the fixed batch header (Kafka's RECORD_BATCH_OVERHEAD).
    package static let headerSize = 61
    /// baseOffset + batchLength: the bytes not counted by batchLength (Kafka's LOG_OVERHEAD).
    package static let logOverhead = 12
    /// The smallest legal batchLength: a header with no records.
    package static let minBatchLength = Int32(headerSize - logOverhead)
    /// The CRC covers [crcCoverageStart, end of batch): everything after the crc field.
    package static let crcCoverageStart = 21
    /// Kafka's DefaultRecord.MAX_RECORD_OVERHEAD: length (5) + attributes (1) +
    /// timestampDelta (10) + offsetDelta (5); excludes key, value and headers.
    package static let maxRecordOverhead = 21
    /// Worst case bytes of a record besides key, value and header bytes:
    /// maxRecordOverhead + keyLength (5) + valueLength (5) + headersCount (5).
    package static let maxRecordFramingSize = 36
    /// The smallest encodable record: seven 1-byte fields
    /// (length, attributes, timestampDelta, offsetDelta, keyLength, valueLength, headersCount).
    package static let minRecordSize = 7

    // MARK: Values
    package static let magic: Int8 = 2
    package static let noPartitionLeaderEpoch: Int32 = -1
    package static let noProducerId: Int64 = -1
    package static let noProducerEpoch: Int16 = -1
    package static let noSequence: Int32 = -1
    package static let noTimestamp: Int64 = -1
    /// Length value meaning "null" for keys, values and header values.
    package static let nullLength: Int32 = -1

    // MARK: Attribute masks
    package static let compressionMask: Int16 = 0x07
    package static let timestampTypeMask: Int16 = 0x08
    package static let transactionalMask: Int16 = 0x10
    package static let controlMask: Int16 = 0x20
    package static let deleteHorizonMask: Int16 = 0x40
}
