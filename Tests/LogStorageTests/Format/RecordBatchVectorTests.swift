// SPDX-License-Identifier: Apache-2.0
// The two kafka-format.md §4 test vectors (validated by kafka-python): the
// builder must produce them byte for byte, and the decoder must read back
// every header field and record.
import LogStorage
import Testing

@Suite("RecordBatch test vectors")
struct RecordBatchVectorTests {
    let ts = FormatFixtures.ts

    @Test("vector 1 (one record, null key, value \"hello\") encodes byte for byte")
    func vector1Encodes() {
        let bytes = FormatFixtures.encode { b in
            b.append(key: nil, value: Array("hello".utf8), timestamp: ts)
        }
        #expect(FormatFixtures.hex(bytes) == FormatFixtures.vector1Hex)
        #expect(bytes.count == 73)
    }

    @Test("vector 2 (two records, a header, a null value, ts+5) encodes byte for byte")
    func vector2Encodes() {
        let bytes = FormatFixtures.encode { b in
            b.append(key: Array("k1".utf8), value: Array("v1".utf8), timestamp: ts,
                     headers: [RecordHeaderInput(key: Array("h".utf8), value: Array("x".utf8))])
            b.append(key: Array("k2".utf8), value: nil, timestamp: ts + 5)
        }
        #expect(FormatFixtures.hex(bytes) == FormatFixtures.vector2Hex)
        #expect(bytes.count == 85)
    }

    @Test("vector 1 decodes to its header fields and record")
    func vector1Decodes() throws {
        let batch = try DecodedBatch.decode(FormatFixtures.bytes(hex: FormatFixtures.vector1Hex))
        #expect(batch.header == RecordBatchHeader(
            baseOffset: 0, batchLength: 61, partitionLeaderEpoch: -1, magic: 2, crc: 0xE641_A44B,
            attributes: 0, lastOffsetDelta: 0, baseTimestamp: ts, maxTimestamp: ts,
            producerId: -1, producerEpoch: -1, baseSequence: -1, recordsCount: 1))
        #expect(batch.header.totalSize == 73)
        #expect(batch.header.lastOffset == 0)
        #expect(batch.header.nextOffset == 1)
        #expect(batch.header.compression == 0)
        #expect(batch.records == [DecodedRecord(offset: 0, timestamp: ts, key: nil, value: Array("hello".utf8), headers: [])])
    }

    @Test("vector 2 decodes to its header fields, both records and the header")
    func vector2Decodes() throws {
        let batch = try DecodedBatch.decode(FormatFixtures.bytes(hex: FormatFixtures.vector2Hex))
        #expect(batch.header == RecordBatchHeader(
            baseOffset: 0, batchLength: 73, partitionLeaderEpoch: -1, magic: 2, crc: 0xF175_9BAF,
            attributes: 0, lastOffsetDelta: 1, baseTimestamp: ts, maxTimestamp: ts + 5,
            producerId: -1, producerEpoch: -1, baseSequence: -1, recordsCount: 2))
        #expect(batch.header.totalSize == 85)
        #expect(batch.header.nextOffset == 2)
        #expect(batch.records == [
            DecodedRecord(offset: 0, timestamp: ts, key: Array("k1".utf8), value: Array("v1".utf8),
                          headers: [RecordHeaderInput(key: Array("h".utf8), value: Array("x".utf8))]),
            DecodedRecord(offset: 1, timestamp: ts + 5, key: Array("k2".utf8), value: nil, headers: []),
        ])
    }

    @Test("kafka-python's variant of vector 1 (partition leader epoch 0) still validates: the epoch is outside the CRC")
    func partitionLeaderEpochOutsideCRC() throws {
        var bytes = FormatFixtures.bytes(hex: FormatFixtures.vector1Hex)
        bytes.replaceSubrange(12..<16, with: [0, 0, 0, 0])
        let batch = try DecodedBatch.decode(bytes)
        #expect(batch.header.partitionLeaderEpoch == 0)
        #expect(batch.header.crc == 0xE641_A44B)
    }

    @Test("the header alone (first 61 bytes) is enough to parse the header and size the batch")
    func headerOnlyParse() throws {
        let bytes = FormatFixtures.bytes(hex: FormatFixtures.vector2Hex)
        let header = try bytes.withUnsafeBytes { raw throws(StorageError) in
            try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: raw[..<61]))
        }
        #expect(header.totalSize == bytes.count)
        #expect(header.recordsCount == 2)
    }
}
