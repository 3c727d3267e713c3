// SPDX-License-Identifier: Apache-2.0
// Delivery guarantees of groups while nobody dies: fan-out (every group gets
// the whole stream), exactly once per group when members commit after
// processing, and `records` delivering exactly what `batches` delivers.
import Spool
import Synchronization
import Testing

/// Records collected by concurrent consumer tasks.
final class Collector: Sendable {
    private let seen = Mutex<[String: [Seen]]>([:])

    func add(_ records: [Seen], group: String) {
        seen.withLock { $0[group, default: []] += records }
    }

    func count(_ group: String) -> Int { seen.withLock { $0[group]?.count ?? 0 } }
    func records(_ group: String) -> [Seen] { seen.withLock { $0[group] ?? [] } }
}

@Suite("Delivery: fan-out, exactly once per group, records = batches", .timeLimit(.minutes(2)))
struct DeliveryTests {
    @Test("two groups consume concurrently while two producers send: each group sees every record exactly once")
    func exactlyOncePerGroupWithConcurrentMembers() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let groups = ["payment-service-group": 3, "audit-group": 2]
        var members: [(String, GroupConsumer)] = []
        for (group, count) in groups.sorted(by: { $0.key < $1.key }) {
            var mine: [GroupConsumer] = []
            for _ in 0..<count { mine.append(try await f.spool.consumer(group: group, topics: ["orders"], options: .fast())) }
            #expect(await waitForBalancedAssignment(mine, partitions: 6), "\(group)")
            members += mine.map { (group, $0) }
        }

        let n = 600
        let collector = Collector()
        var produced: Set<Position> = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for (group, member) in members {
                tasks.addTask {
                    // Process (record) first, then commit: the at-least-once loop.
                    for try await batch in member.batches {
                        let records = batch.map(Seen.init)
                        try await member.commit(batch)
                        collector.add(records, group: group)
                    }
                }
            }
            let producer = f.spool.producer()
            produced = try await withThrowingTaskGroup(of: [Position].self) { producers in
                for p in 0..<2 {
                    producers.addTask {
                        var mine: [Position] = []
                        for call in 0..<(n / 2 / 10) {
                            let records = (0..<10).map { i in Record(key: "order-\(p)-\(call)-\(i)", value: "v\(i)") }
                            let receipts = try await producer.send(records, to: "orders")
                            mine += receipts.map { Position(partition: $0.partition, offset: $0.offset) }
                        }
                        return mine
                    }
                }
                return try await producers.reduce(into: Set<Position>()) { $0.formUnion($1) }
            }
            let done = await eventually(30) { groups.keys.allSatisfy { collector.count($0) >= n } }
            tasks.cancelAll()
            try await tasks.waitForAll()
            #expect(done, "\(groups.keys.map { ($0, collector.count($0)) })")
        }
        let all = produced
        #expect(all.count == n)
        for group in groups.keys {
            let seen = collector.records(group)
            #expect(seen.count == n, "\(group): \(seen.count) deliveries")
            #expect(Set(seen.map(\.position)) == all, "\(group)")
            #expect(try f.spool.describeGroup(group).totalLag == 0, "\(group)")
        }
        for (_, m) in members { try await m.close() }
    }

    @Test("a plain reader's records sequence yields exactly the records of its batches sequence, in order")
    func plainRecordsEqualBatches() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("events", partitions: 2)
        let producer = f.spool.producer()
        for call in 0..<25 {
            var records: [Record] = []
            for i in 0..<(call % 7 + 1) {
                let key: [UInt8]? = i % 3 == 0 ? nil : Array("k\(call)-\(i)".utf8)
                let value: [UInt8]? = i % 5 == 4 ? nil : Array("value \(call) \(i)".utf8)
                let headers: [Header] = i % 2 == 0 ? [Header("h", "\(i)")] : []
                records.append(Record(key: key, value: value, headers: headers, partition: call % 2))
            }
            _ = try await producer.send(records, to: "events")
        }
        for partition in 0..<2 {
            let end = try f.spool.offsets(topic: "events", partition: partition).end
            #expect(end > 0)
            let viaBatches = try await withDeadline(20, "batches") {
                var out: [Seen] = []
                for try await batch in try f.spool.batches(topic: "events", partition: partition, from: .earliest, maxBytes: 200) {
                    out += batch.map(Seen.init)
                    #expect(batch.count == batch.reduce(0) { n, _ in n + 1 }, "Batch.count matches its iteration")
                    if batch.nextOffset >= end { break }
                }
                return out
            }
            let viaRecords = try await withDeadline(20, "records") {
                var out: [Seen] = []
                for try await r in try f.spool.records(topic: "events", partition: partition, from: .earliest) {
                    out.append(Seen(r))
                    if r.offset + 1 >= end { break }
                }
                return out
            }
            #expect(viaBatches.count == Int(end))
            #expect(viaRecords == viaBatches)
            #expect(viaBatches.map(\.offset) == Array(0..<end))
        }
    }

    @Test("a group consumer's records sequence yields exactly what its batches sequence yields")
    func groupRecordsEqualBatches() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("events", partitions: 3)
        let producer = f.spool.producer()
        for call in 0..<40 {
            _ = try await producer.send((0..<(call % 4 + 1)).map { Record(key: "k\(call)-\($0)", value: "v\(call)-\($0)") },
                                        to: "events")
        }
        let total = Int(try f.spool.totalRecords("events"))
        let a = try await f.spool.consumer(group: "by-batches", topics: ["events"], options: .fast())
        let b = try await f.spool.consumer(group: "by-records", topics: ["events"], options: .fast())
        let viaBatches = try await a.consume(count: total)
        let viaRecords = try await withDeadline(30, "records") {
            var out: [Seen] = []
            for try await r in b.records {
                out.append(Seen(r))
                try await b.commit(r)
                if out.count >= total { break }
            }
            return out
        }
        #expect(viaBatches.count == total)
        #expect(viaRecords.count == total)
        // Partition interleaving may differ; each partition's sequence must not.
        for p in 0..<3 {
            #expect(viaRecords.filter { $0.partition == p } == viaBatches.filter { $0.partition == p }, "partition \(p)")
        }
        #expect(try f.spool.describeGroup("by-records").totalLag == 0)
        try await a.close()
        try await b.close()
    }
}
