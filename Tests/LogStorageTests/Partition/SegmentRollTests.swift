// SPDX-License-Identifier: Apache-2.0
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Segment roll and retention")
struct SegmentRollTests {
    @Test("the active segment rolls on size; files are named by base offset; reads span segments")
    func rollOnSize() async throws {
        let fs = InMemoryFileSystem()
        let (manager, p, _) = try Fixture.open(fs, config: Fixture.config(segmentBytes: 2_000, indexInterval: 100))
        for _ in 0..<20 { try await Fixture.appendBatch(p, count: 5) }
        let segments = p.segments
        #expect(segments.count > 3)
        for (a, b) in zip(segments, segments.dropFirst()) {
            #expect(a.nextOffset == b.baseOffset)
            #expect(a.size <= 2_000)
            #expect(a.isSealed)
        }
        let names = try fs.listDirectory("/data/orders-0")
        for s in segments {
            #expect(names.contains(LogFileNames.segmentFile(baseOffset: s.baseOffset, kind: .log)))
            #expect(names.contains(LogFileNames.segmentFile(baseOffset: s.baseOffset, kind: .index)))
            #expect(names.contains(LogFileNames.segmentFile(baseOffset: s.baseOffset, kind: .timeIndex)))
        }
        #expect(LogFileNames.segmentFile(baseOffset: 52_311, kind: .log) == "00000000000000052311.log")
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<100))
        #expect(manager.verify().isHealthy)
    }

    @Test("the active segment rolls when its first append is older than segmentMs")
    func rollOnAge() async throws {
        let clock = ManualClock()
        var config = Fixture.config()
        config.segmentMs = 1_000
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: config, clock: clock)
        try await Fixture.appendBatch(p, count: 2)
        clock.advance(by: 999)
        try await Fixture.appendBatch(p, count: 2)
        #expect(p.segments.count == 1)
        clock.advance(by: 1)
        try await Fixture.appendBatch(p, count: 2)
        #expect(p.segments.map(\.baseOffset) == [0, 4])
    }

    @Test("the active segment rolls when its offset index is full")
    func rollOnFullIndex() async throws {
        var config = Fixture.config(indexInterval: 1)
        config.maxIndexBytes = 3 * OffsetIndex.entrySize
        let (_, p, _) = try Fixture.open(InMemoryFileSystem(), config: config)
        for _ in 0..<10 { try await Fixture.appendBatch(p, count: 1) }
        #expect(p.segments.count > 1)
        #expect(p.segments.allSatisfy { $0.offsetIndex.entryCount <= 3 })
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<10))
    }

    @Test("retention by size drops whole sealed segments, never the active one, and advances the log start")
    func retentionBySize() async throws {
        let fs = InMemoryFileSystem()
        var config = Fixture.config(segmentBytes: 1_000)
        config.retentionBytes = 2_500
        let (manager, p, _) = try Fixture.open(fs, config: config)
        for _ in 0..<30 { try await Fixture.appendBatch(p, count: 3) }
        let before = p.segments
        let deleted = try manager.applyRetention()
        let after = p.segments
        #expect(!deleted.isEmpty)
        // Kafka's rule: drop oldest sealed segments while the rest still meets the limit.
        let total = after.reduce(0) { $0 + $1.size }
        #expect(before.reduce(0) { $0 + $1.size } > 2_500)
        #expect(total >= 2_500 && total - after[0].size < 2_500)
        #expect(after.last === before.last)
        #expect(p.logStartOffset == after[0].baseOffset)
        for base in deleted[Fixture.tp]! {
            #expect(!fs.exists(Fixture.partitionPath(LogFileNames.segmentFile(baseOffset: base, kind: .log))))
        }
        let error = #expect(throws: StorageError.self) { try p.read(from: 0, maxBytes: 10, into: ReadBuffer()) }
        #expect(error?.code == .offsetOutOfRange(requested: 0, logStart: p.logStartOffset, logEnd: 90))
        #expect(try Fixture.readAll(p) == Fixture.expected(p.logStartOffset..<90))
        // The log start survives a restart.
        let start = p.logStartOffset
        try manager.close()
        let (again, reopened, _) = try Fixture.open(fs, config: config)
        #expect(reopened.logStartOffset == start)
        try again.close()
    }

    @Test("retention by time drops sealed segments whose newest record is older than retentionMs")
    func retentionByTime() async throws {
        let clock = ManualClock(start: 10_000)
        var config = Fixture.config(segmentBytes: 800)
        config.retentionMs = 5_000
        let (manager, p, _) = try Fixture.open(InMemoryFileSystem(), config: config, clock: clock)
        // Offsets 0..<30 get timestamp 1_000 + offset (old); 30..<60 get 9_000 + offset (recent).
        for _ in 0..<10 { try await Fixture.appendBatch(p, count: 3) }
        for _ in 0..<10 { try await Fixture.appendBatch(p, count: 3) { 9_000 + $0 } }
        try manager.applyRetention(now: clock.now)
        let start = p.logStartOffset
        #expect(start > 0 && start <= 30)
        #expect(p.segments.allSatisfy { $0.maxTimestamp >= 5_000 || $0 === p.segments.last })
    }
}
