// SPDX-License-Identifier: Apache-2.0
// Topics over their life: per-topic settings kept across a reopen, many
// concurrent producers (dense, unique offsets), retention moving the log
// start under readers, and deleting a topic under a live consumer.
import Spool
import SpoolTestSupport
import Testing

@Suite("Topics: settings, concurrency, retention, deletion", .timeLimit(.minutes(2)))
struct TopicLifecycleTests {
    @Test("per-topic settings and data survive close and reopen")
    func settingsSurviveReopen() async throws {
        let directory = try TemporaryDirectory(prefix: "spool-api-topics")
        let path = directory.appending("data")
        let settings = TopicConfiguration(durability: .interval(milliseconds: 250), segmentBytes: 4096,
                                          retentionMs: 86_400_000, retentionBytes: 1 << 20)
        do {
            let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
            try spool.createTopic("orders", partitions: 3, configuration: settings)
            try spool.createTopic("plain", partitions: 1)
            _ = try await spool.producer().send((0..<200).map { Record(key: "k\($0)", value: "value \($0)") }, to: "orders")
            try spool.close()
        }
        let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
        defer { try? spool.close() }
        let orders = try spool.describeTopic("orders")
        #expect(orders.configuration == settings)
        #expect(orders.partitionCount == 3)
        #expect(orders.partitions.reduce(0) { $0 + $1.endOffset } == 200)
        #expect(try spool.describeTopic("plain").configuration == TopicConfiguration())
        #expect(try spool.listTopics().map(\.name) == ["orders", "plain"])
        #expect(try spool.verify().isHealthy)
    }

    @Test("eight concurrent producers get dense, unique offsets on every partition")
    func concurrentProducers() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 3)
        let receipts = try await withThrowingTaskGroup(of: [Receipt].self) { group in
            for task in 0..<8 {
                group.addTask {
                    let producer = f.spool.producer()
                    var mine: [Receipt] = []
                    for call in 0..<25 {
                        let records = (0..<(call % 3 + 1)).map { Record(key: "t\(task)-c\(call)-\($0)", value: "x") }
                        mine += try await producer.send(records, to: "orders")
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Receipt]()) { $0 += $1 }
        }
        // Per task: calls of 1, 2, 3, 1, 2, 3, ... records over 25 calls = 49.
        #expect(receipts.count == 8 * 49)
        for p in 0..<3 {
            let offsets = receipts.filter { $0.partition == p }.map(\.offset).sorted()
            let end = try f.spool.offsets(topic: "orders", partition: p).end
            #expect(offsets == Array(0..<end), "partition \(p): offsets are dense and unique")
            let stored = try f.spool.readAll(topic: "orders", partition: p)
            #expect(stored.map(\.offset) == Array(0..<end))
        }
    }

    @Test("retention moves the log start; plain reads below it are refused and an earliest group skips ahead")
    func retentionUnderReaders() async throws {
        var configuration = SpoolFixture.fastConfiguration()
        configuration.segmentBytes = 1024
        let f = try SpoolFixture(configuration: configuration)
        try f.spool.createTopic("events", partitions: 1, configuration: TopicConfiguration(retentionBytes: 2048))
        let producer = f.spool.producer()
        for i in 0..<60 {
            _ = try await producer.send(Record(value: Array(repeating: UInt8(i), count: 100)), to: "events")
        }
        // Maintenance runs every 100 ms in this fixture.
        #expect(await eventually(20) { ((try? f.spool.offsets(topic: "events", partition: 0).start) ?? 0) > 0 })
        let (start, end) = try f.spool.offsets(topic: "events", partition: 0)
        #expect(end == 60)
        #expect(start > 0 && start < end)
        await expectSpoolError(.offsetOutOfRange) { try f.spool.read(topic: "events", partition: 0, from: 0) }
        #expect(try f.spool.read(topic: "events", partition: 0, from: start).firstOffset == start)
        let c = try await f.spool.consumer(group: "late", topics: ["events"], options: .fast())
        let currentStart = try f.spool.offsets(topic: "events", partition: 0).start
        let seen = try await c.consume(count: Int(end - currentStart))
        #expect(seen.first?.offset == currentStart)
        #expect(seen.last?.offset == end - 1)
        try await c.close()
    }

    @Test("deleting a topic under a live consumer stops its partitions without breaking the consumer's other topic")
    func deleteTopicUnderConsumer() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        try f.spool.createTopic("refunds", partitions: 2)
        let c = try await f.spool.consumer(group: "g", topics: ["orders", "refunds"], options: .fast())
        #expect(await eventually(20) { c.assignment.count == 4 })
        _ = try await f.spool.producer().send(Record(value: "o", partition: 0), to: "orders")
        #expect(try await c.consume(count: 1).map(\.partition) == [0])
        try f.spool.deleteTopic("orders")
        #expect(await eventually(20) { c.assignment.allSatisfy { $0.topic == "refunds" } }, "\(c.assignment)")
        _ = try await f.spool.producer().send(Record(value: "r", partition: 1), to: "refunds")
        let seen = try await c.consume(count: 1)
        #expect(seen.map(\.position) == [Position(partition: 1, offset: 0)])
        // The group's offsets for the deleted topic are gone with it.
        #expect(try f.spool.describeGroup("g").partitions.allSatisfy { $0.partition.topic == "refunds" })
        try await c.close()
    }
}
