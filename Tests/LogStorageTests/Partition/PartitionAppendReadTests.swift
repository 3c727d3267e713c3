// SPDX-License-Identifier: Apache-2.0
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Partition append and read")
struct PartitionAppendReadTests {
    @Test("appends return contiguous offsets and reads return every record from any offset")
    func appendAndReadBack() async throws {
        let (manager, p, _) = try Fixture.open(InMemoryFileSystem(), config: Fixture.config(indexInterval: 256))
        var results: [AppendResult] = []
        for n in [1, 5, 10, 3, 7, 1, 20] { results.append(try await Fixture.appendBatch(p, count: n)) }
        #expect(results.map(\.baseOffset) == [0, 1, 6, 16, 19, 26, 27])
        #expect(results.map(\.lastOffset) == [0, 5, 15, 18, 25, 26, 46])
        #expect(p.logEndOffset == 47 && p.highWaterMark == 47 && p.logStartOffset == 0)
        for from in Int64(0)...47 {
            #expect(try Fixture.readAll(p, from: from, maxBytes: 300) == Fixture.expected(from..<47), "from \(from)")
        }
        try manager.close()
    }

    @Test("a read returns whole batches starting with the one that contains the offset, at least one even past maxBytes")
    func readReturnsWholeBatches() async throws {
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: Fixture.config(indexInterval: 1))
        for _ in 0..<10 { try await Fixture.appendBatch(p, count: 10) }
        let buffer = ReadBuffer(capacity: 4096)
        // Offset 55 lies in the batch [50, 59]; with maxBytes 1 exactly that batch comes back.
        let one = try p.read(from: 55, maxBytes: 1, into: buffer)
        #expect(one.batchCount == 1)
        #expect(try RecordBatchHeader.parse(one.bytes).baseOffset == 50)
        #expect(one.nextOffset == 60)
        let many = try p.read(from: 55, maxBytes: 1 << 20, into: buffer)
        #expect(many.batchCount == 5 && many.nextOffset == 100)
        // At the end: empty, not an error.
        #expect(try p.read(from: 100, maxBytes: 100, into: buffer).isEmpty)
    }

    @Test("index lookup at every boundary: first batch unindexed, exact entry, between entries, last batch")
    func indexBoundaries() async throws {
        let fs = InMemoryFileSystem()
        // Each 5-record batch is ~330 bytes; an interval of 600 indexes every other batch.
        let (_, p, _) = try Fixture.open(fs, config: Fixture.config(indexInterval: 600))
        for _ in 0..<12 { try await Fixture.appendBatch(p, count: 5) }
        let index = p.segments[0].offsetIndex
        #expect(index.entryCount > 2)
        let first = try index.entry(at: 0)
        #expect(first.position > 0, "the first batch of a segment is never indexed")
        let buffer = ReadBuffer(capacity: 4096)
        for target in [Int64(0), 4, first.offset, first.offset + 1, first.offset - 1, 59] {
            let r = try p.read(from: target, maxBytes: 1, into: buffer)
            let h = try RecordBatchHeader.parse(r.bytes)
            #expect(h.baseOffset <= target && h.lastOffset >= target, "target \(target)")
        }
        #expect(try index.lookup(-1, entryCount: index.entryCount) == OffsetPosition(offset: 0, position: 0))
        #expect(try index.lookup(first.offset, entryCount: index.entryCount) == first)
        #expect(try index.lookup(10_000, entryCount: index.entryCount) == index.lastEntry)
    }

    @Test("reading outside [log start, log end] throws offsetOutOfRange carrying the valid range")
    func outOfRange() async throws {
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: Fixture.config())
        try await Fixture.appendBatch(p, count: 3)
        let buffer = ReadBuffer()
        for bad in [Int64(-1), 4, .max] {
            let error = #expect(throws: StorageError.self) { try p.read(from: bad, maxBytes: 100, into: buffer) }
            #expect(error?.code == .offsetOutOfRange(requested: bad, logStart: 0, logEnd: 3))
        }
    }

    @Test("an oversized or malformed batch is rejected before anything is written")
    func oversizedRejected() async throws {
        var config = Fixture.config()
        config.maxBatchBytes = 2_000
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: config)
        try await Fixture.appendBatch(p, count: 2)
        let sizeBefore = p.summary.sizeBytes
        let error = await #expect(throws: StorageError.self) { try await Fixture.appendBatch(p, count: 100) }
        #expect(error?.code == .invalidArgument)
        var junk = [UInt8](repeating: 7, count: 100)
        let junkError = #expect(throws: StorageError.self) {
            try junk.withUnsafeMutableBytes { b in _ = try p.write(b) }
        }
        #expect(junkError?.code == .invalidArgument)
        #expect(p.summary.sizeBytes == sizeBefore && p.logEndOffset == 2 && p.failure == nil)
    }

    @Test("offset(forTimestamp:) finds the first record whose timestamp is >= t, across segments")
    func timestampLookup() async throws {
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: Fixture.config(segmentBytes: 1_500, indexInterval: 200))
        // Timestamps 10 * offset, so t = 10k + 5 maps to offset k + 1.
        for _ in 0..<20 { try await Fixture.appendBatch(p, count: 4) { $0 * 10 } }
        #expect(p.segments.count > 2)
        #expect(try p.offset(forTimestamp: -5) == 0)
        for k in Int64(0)..<79 {
            #expect(try p.offset(forTimestamp: k * 10) == k)
            #expect(try p.offset(forTimestamp: k * 10 + 5) == k + 1)
        }
        #expect(try p.offset(forTimestamp: 10_000) == nil)
    }

    @Test("a long-polling reader is woken by the append, not by a timer")
    func waitForDataWakesOnAppend() async throws {
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: Fixture.config(durability: .none))
        try await Fixture.appendBatch(p, count: 2)
        await p.waitForData(beyond: 1)  // already there: returns at once
        async let woken: Int64 = { await p.waitForData(beyond: 2); return p.logEndOffset }()
        try await Task.sleep(for: .milliseconds(20))
        try await Fixture.appendBatch(p, count: 1)
        #expect(await woken == 3)
        // Cancellation also ends the wait.
        let task = Task { await p.waitForData(beyond: 100) }
        task.cancel()
        await task.value
    }
}
