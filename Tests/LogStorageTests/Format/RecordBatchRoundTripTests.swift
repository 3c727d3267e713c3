// SPDX-License-Identifier: Apache-2.0
// Builder → view round trips: null/empty keys and values, headers, 64 KiB
// keys, timestamp bookkeeping, builder reuse and base-offset stamping.
import LogStorage
import Testing

@Suite("RecordBatch round trip")
struct RecordBatchRoundTripTests {
    let ts = FormatFixtures.ts

    static func randomRecords(count: Int, using rng: inout FormatFuzzRNG, ts: Int64) -> [DecodedRecord] {
        func bytes(_ max: Int) -> [UInt8]? {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: return nil
            case 1: return []
            default: return (0..<Int.random(in: 1...max, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return (0..<count).map { i in
            let headers = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                RecordHeaderInput(key: bytes(12) ?? [], value: bytes(20))
            }
            return DecodedRecord(
                offset: Int64(i), timestamp: ts + Int64.random(in: -100_000...100_000, using: &rng),
                key: bytes(40), value: bytes(300), headers: headers)
        }
    }

    static func encode(_ records: [DecodedRecord], builder: RecordBatchBuilder = RecordBatchBuilder()) -> [UInt8] {
        FormatFixtures.encode({ b in
            for r in records { b.append(key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers) }
        }, builder: builder)
    }

    @Test("random records with null, empty and filled keys, values and headers decode to exactly what was appended")
    func randomRoundTrip() throws {
        var rng = FormatFuzzRNG(seed: 2024)
        let builder = RecordBatchBuilder(initialCapacity: 256)
        for _ in 0..<50 {
            let records = Self.randomRecords(count: Int.random(in: 1...40, using: &rng), using: &rng, ts: ts)
            let batch = try DecodedBatch.decode(Self.encode(records, builder: builder))
            #expect(batch.records == records)
            #expect(batch.header.recordsCount == Int32(records.count))
            #expect(batch.header.lastOffsetDelta == Int32(records.count - 1))
            #expect(batch.header.baseTimestamp == records[0].timestamp)
            #expect(batch.header.maxTimestamp == records.map(\.timestamp).max())
        }
    }

    @Test("null and empty keys and values stay distinct")
    func nullVersusEmpty() throws {
        let records = [
            DecodedRecord(offset: 0, timestamp: ts, key: nil, value: nil, headers: []),
            DecodedRecord(offset: 1, timestamp: ts, key: [], value: [], headers: []),
            DecodedRecord(offset: 2, timestamp: ts, key: nil, value: [], headers: [RecordHeaderInput(key: [], value: nil)]),
            DecodedRecord(offset: 3, timestamp: ts, key: [], value: nil, headers: [RecordHeaderInput(key: [1], value: [])]),
        ]
        #expect(try DecodedBatch.decode(Self.encode(records)).records == records)
    }

    @Test("a 64 KiB key and a 100 KiB value round-trip through a builder that starts tiny and grows")
    func largeKeyAndValue() throws {
        let key = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let value = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let records = [
            DecodedRecord(offset: 0, timestamp: ts, key: key, value: value, headers: []),
            DecodedRecord(offset: 1, timestamp: ts + 1, key: Array(key.prefix(300)), value: nil,
                          headers: [RecordHeaderInput(key: Array("big".utf8), value: key)]),
        ]
        let builder = RecordBatchBuilder(initialCapacity: 64)
        let bytes = Self.encode(records, builder: builder)
        #expect(bytes.count == builder.encodedSize)
        #expect(try DecodedBatch.decode(bytes).records == records)
    }

    @Test("reusing one builder across batches (with growth in between) gives the same bytes as fresh builders")
    func builderReuse() {
        var rng = FormatFuzzRNG(seed: 99)
        let small = Self.randomRecords(count: 3, using: &rng, ts: ts)
        let large = Self.randomRecords(count: 200, using: &rng, ts: ts)
        let reused = RecordBatchBuilder(initialCapacity: 128)
        let first = Self.encode(small, builder: reused)
        let big = Self.encode(large, builder: reused)
        let again = Self.encode(small, builder: reused)
        #expect(first == again)
        #expect(first == Self.encode(small))
        #expect(big == Self.encode(large))
    }

    @Test("recordCount and encodedSize track appends; reset starts over at the 61-byte header")
    func counters() {
        let b = RecordBatchBuilder()
        #expect(b.recordCount == 0)
        #expect(b.encodedSize == RecordBatchFormat.headerSize)
        b.append(key: nil, value: Array("hello".utf8), timestamp: ts)
        #expect(b.recordCount == 1)
        #expect(b.encodedSize == 73)
        #expect(b.finish().count == 73)
        b.reset()
        #expect(b.recordCount == 0)
        #expect(b.encodedSize == RecordBatchFormat.headerSize)
    }

    @Test("finishChecked() on an empty builder throws invalidArgument instead of trapping")
    func emptyBatch() {
        let b = RecordBatchBuilder()
        let error = FormatFixtures.storageError { () throws(StorageError) in _ = try b.finishChecked() }
        #expect(error?.code == .invalidArgument)
    }

    @Test("setBaseOffset stamps the offset without invalidating the CRC, and records follow it")
    func stampBaseOffset() throws {
        let b = RecordBatchBuilder()
        b.append(key: [1], value: [2], timestamp: ts)
        b.append(key: [3], value: [4], timestamp: ts + 9)
        b.append(key: nil, value: [5], timestamp: ts - 3)
        let batch = b.finish()
        RecordBatchBuilder.setBaseOffset(1_000_000_007, in: batch)
        let decoded = try DecodedBatch.decode(Array(UnsafeRawBufferPointer(batch)))
        #expect(decoded.header.baseOffset == 1_000_000_007)
        #expect(decoded.header.lastOffset == 1_000_000_009)
        #expect(decoded.header.nextOffset == 1_000_000_010)
        #expect(decoded.header.maxTimestamp == ts + 9)
        #expect(decoded.records.map(\.offset) == [1_000_000_007, 1_000_000_008, 1_000_000_009])
        #expect(decoded.records.map(\.timestamp) == [ts, ts + 9, ts - 3])
    }

    @Test("the raw-pointer append and the array append encode identically")
    func rawAndArrayAppendAgree() {
        let key: [UInt8] = [9, 8, 7]
        let value = [UInt8](repeating: 0xAB, count: 500)
        let viaArrays = FormatFixtures.encode { $0.append(key: key, value: value, timestamp: 5) }
        let viaRaw = FormatFixtures.encode { b in
            key.withUnsafeBytes { k in value.withUnsafeBytes { v in b.append(key: k, value: v, timestamp: 5) } }
        }
        #expect(viaArrays == viaRaw)
    }
}
