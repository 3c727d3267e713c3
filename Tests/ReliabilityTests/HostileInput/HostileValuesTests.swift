// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 5: hostile values at the public API: topic names that try to
// escape the data directory or look like other names, keys and header keys
// at the batch size limit, offsets at the Int64 limits.
import FileIO
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("Hostile names, sizes and offsets at the public API")
struct HostileValuesTests {
    static let badNames: [String] = [
        "", ".", "..", "/", "a/b", "../escape", "/abs", "a\u{0}b", "\u{0}", String(repeating: "t", count: 250),
        "ordérs", "оrders" /* Cyrillic о */, "orders\u{200B}", "\u{202E}sredro", "orders ", " orders", "a,b", "a\nb",
        "a\\b", "🙂", "ｏｒｄｅｒｓ" /* full-width */, "a:b", "*", "?",
    ]

    @Test("hostile topic names are refused with .invalidTopicName and create nothing on disk")
    func hostileTopicNames() async throws {
        let scratch = try ScratchDirectory("names")
        let dir = scratch.appending("data")
        let spool = try Spool.open(at: dir, configuration: SpoolHarness.configuration())
        defer { try? spool.close() }
        let before = try PosixFileSystem().listDirectory(dir)
        for name in Self.badNames {
            #expect {
                try spool.createTopic(name, partitions: 1)
            } throws: { error in
                (error as? SpoolError)?.code == .invalidTopicName
            }
        }
        #expect(try PosixFileSystem().listDirectory(dir) == before, "a refused name created a file or folder")
        #expect(try PosixFileSystem().listDirectory(scratch.path) == ["data"], "a refused name escaped the data directory")
        // The longest legal name: its partition folders are 251-254 bytes long (NAME_MAX is 255).
        let longest = String(repeating: "t", count: 249)
        try spool.createTopic(longest, partitions: 11)
        #expect(PosixFileSystem().isDirectory(dir + "/" + longest + "-10"))
        _ = try await spool.producer().send(Record(value: "x", partition: 10), to: longest)
        #expect(try spool.read(topic: longest, partition: 10, from: 0).count == 1)
        try spool.deleteTopic(longest)
    }

    @Test("a topic with the maximum 10,000 partitions is created and reopened, or refused before anything changes")
    func maximumPartitionCount() throws {
        let scratch = try ScratchDirectory("partitions")
        let dir = scratch.appending("data")
        let spool = try Spool.open(at: dir, configuration: SpoolHarness.configuration())
        var created = true
        do { try spool.createTopic("wide", partitions: 10_000) } catch let e as SpoolError {
            created = false
            #expect(e.code == .invalidPartitionCount || e.code == .invalidArgument, "\(e)")
        }
        try spool.close()
        let again = try Spool.open(at: dir, configuration: SpoolHarness.configuration())
        #expect(try again.listTopics().map(\.partitionCount) == (created ? [10_000] : []))
        try again.close()
    }

    /// The largest key (or header key) one record can carry under `maxBatchBytes`.
    static func largestAccepted(_ spool: Spool, topic: String, make: (Int) -> Record) async throws -> (Int, Record) {
        let limit = spool.configuration.maxBatchBytes
        var size = limit
        while size > limit - 200 {
            let record = make(size)
            do {
                _ = try await spool.producer().send(record, to: topic)
                return (size, record)
            } catch let e as SpoolError where e.code == .recordTooLarge {
                size -= 1
            }
        }
        throw SpoolError(.internalError, "no size within 200 bytes of maxBatchBytes was accepted")
    }

    @Test("keys and header keys of the largest accepted size round-trip; one byte more is refused and writes nothing")
    func maximalKeys() async throws {
        let scratch = try ScratchDirectory("sizes")
        let spool = try SpoolHarness.open(InMemoryFileSystem(), metadata: scratch.appending("m.sqlite"))
        defer { try? spool.close() }
        try spool.createTopic("big", partitions: 1)
        var random = SeededRandom(seed: 77)
        let keyBytes = random.bytes(spool.configuration.maxBatchBytes)
        let (keySize, keyRecord) = try await Self.largestAccepted(spool, topic: "big") {
            Record(key: Array(keyBytes.prefix($0)), value: nil, timestamp: 5, partition: 0)
        }
        let (headerSize, headerRecord) = try await Self.largestAccepted(spool, topic: "big") {
            Record(key: nil, value: [1], headers: [Header(key: String(repeating: "h", count: $0), value: nil)], partition: 0)
        }
        #expect(keySize > spool.configuration.maxBatchBytes - 100 && headerSize > spool.configuration.maxBatchBytes - 100)
        let end = try spool.offsets(topic: "big", partition: 0).end
        #expect(end == 2)
        // One byte more: refused, nothing written.
        for record in [Record(key: Array(keyBytes.prefix(keySize)) + [0], value: nil, partition: 0),
                       Record(key: nil, value: [1], headers: [Header(key: String(repeating: "h", count: headerSize + 1), value: nil)], partition: 0)] {
            await #expect(throws: SpoolError.self) { _ = try await spool.producer().send(record, to: "big") }
        }
        #expect(try spool.offsets(topic: "big", partition: 0).end == end)
        let batch = try spool.read(topic: "big", partition: 0, from: 0, maxBytes: 1)
        let records = Array(batch)
        #expect(records.count >= 1 && RecordOracle.matches(records[0], keyRecord))
        let second = Array(try spool.read(topic: "big", partition: 0, from: 1, maxBytes: 1))
        #expect(second.count == 1 && second[0].headers == headerRecord.headers && second[0].value?.array == [1])
        #expect(try spool.verify().isHealthy)
    }

    static let extremes: [Int64] = [Int64.min, Int64.min + 1, -1, Int64.max - 1, Int64.max]

    @Test("offsets at the Int64 limits: reads and resets are refused as out of range; extreme commits are refused or clamped")
    func int64Offsets() async throws {
        let scratch = try ScratchDirectory("offsets")
        let fs = InMemoryFileSystem()
        let db = scratch.appending("m.sqlite")
        var spool = try SpoolHarness.open(fs, metadata: db)
        try spool.createTopic("t", partitions: 1)
        for i in 0..<5 { _ = try await spool.producer().send(Record(value: "v\(i)", partition: 0), to: "t") }
        for o in Self.extremes + [6] {
            #expect(throws: SpoolError.self, "read from \(o)") {
                do { _ = try spool.read(topic: "t", partition: 0, from: o) } catch let e as SpoolError {
                    #expect(e.code == .offsetOutOfRange, "read from \(o): \(e)")
                    throw e
                }
            }
            #expect(throws: SpoolError.self, "reset to \(o)") {
                try spool.resetOffsets(group: "idle", topic: "t", to: .offset(o))
            }
            var iterator = try spool.batches(topic: "t", partition: 0, from: .offset(o)).makeAsyncIterator()
            await #expect(throws: SpoolError.self, "batches from \(o)") { _ = try await iterator.next() }
            _ = try spool.offset(topic: "t", partition: 0, for: .timestamp(o))
        }
        #expect(try spool.read(topic: "t", partition: 0, from: 5).isEmpty)
        #expect(throws: SpoolError.self) { _ = try spool.read(topic: "t", partition: Int.max, from: 0) }
        #expect(throws: SpoolError.self) { _ = try spool.read(topic: "t", partition: Int.min, from: 0) }
        let c = try await spool.consumer(group: "g", topics: ["t"], options: SpoolHarness.manualMember)
        let tp = TopicPartitionID(topic: "t", partition: 0)
        for o in [Int64.min, Int64.min + 1, -1] {
            await #expect(throws: SpoolError.self, "commit \(o)") { try await c.commit(offsets: [tp: o]) }
        }
        // A commit far beyond the end is accepted (Kafka does too), reported by verify(), clamped at the next open.
        try await c.commit(offsets: [tp: Int64.max])
        let described = try spool.describeGroup("g")
        #expect(described.partitions.first?.committedOffset == Int64.max)
        #expect(described.partitions.first?.lag == 0)
        #expect(try !spool.verify().isHealthy)
        try spool.close()
        try await c.close()
        spool = try SpoolHarness.open(fs.snapshot(), metadata: db)
        #expect(try spool.describeGroup("g").partitions.first?.committedOffset == 5)
        #expect(try spool.verify().isHealthy)
        try spool.close()
    }
}
