// SPDX-License-Identifier: Apache-2.0
// commit: acknowledged offset commits/s through `GroupConsumer.commit(offsets:)`
// with 1 and 16 (--committers) concurrent committers, each a member of one
// group owning its share of a 16-partition topic and committing one
// partition per call in a loop, with the default synchronous=FULL metadata.
// Concurrent commits coalesce into shared SQLite transactions (group commit).
// Time-bounded (--seconds); p50/p99 are per commit call.
import Spool

struct CommitWorkload: Workload {
    let name = WorkloadName.commit
    let summary = "coalesced offset commits/s through GroupConsumer.commit, 1 and 16 committers"

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        let partitionCount = max(16, settings.committers.max() ?? 16)
        let path = try context.directory("commit")
        defer { context.discard(path) }
        let spool = try SpoolFixtures.open(path, durability: .none)
        var results: [BenchResult] = []
        do {
            try spool.createTopic("commits", partitions: partitionCount)
            for committers in settings.committers {
                let label = "commit \(committers) committer\(committers == 1 ? "" : "s")"
                var result = try await context.measure(label) {
                    try await once(spool, committers: committers, partitionCount: partitionCount, seconds: settings.seconds)
                }
                if committers >= 16 {
                    result.targets.append(("≥ 200 k commits/s", result.recordsPerSecond >= 200_000))
                }
                results.append(result)
            }
            try spool.close()
        } catch {
            try? spool.close()
            throw error
        }
        return results
    }

    private func once(_ spool: Spool, committers: Int, partitionCount: Int, seconds: Double) async throws -> BenchResult {
        var members: [GroupConsumer] = []
        let group = "commit-\(committers)"
        for _ in 0..<committers {
            members.append(try await spool.consumer(group: group, topics: ["commits"], options: SpoolFixtures.groupOptions()))
        }
        try await SpoolFixtures.awaitBalanced(members, partitionCount: partitionCount)
        let deadline = Stopwatch.nanos() &+ UInt64(seconds * 1e9)
        let watch = Stopwatch()
        typealias Outcome = (count: Int, latencies: LatencyHistogram, last: [TopicPartitionID: Int64])
        let (count, latencies, expected) = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for member in members {
                let owned = member.assignment
                group.addTask {
                    var latencies = LatencyHistogram()
                    var done = 0
                    var next: Int64 = 1
                    while Stopwatch.nanos() < deadline {
                        let tp = owned[done % owned.count]
                        let t0 = Stopwatch.nanos()
                        try await member.commit(offsets: [tp: next])
                        latencies.record(nanos: Stopwatch.nanos() &- t0)
                        done += 1
                        if done % owned.count == 0 { next += 1 }
                    }
                    // Commit i went to owned[i % n] with offset 1 + i / n.
                    var last: [TopicPartitionID: Int64] = [:]
                    for i in max(0, done - owned.count)..<done { last[owned[i % owned.count]] = 1 + Int64(i / owned.count) }
                    return (done, latencies, last)
                }
            }
            var total = 0
            var all = LatencyHistogram()
            var last: [TopicPartitionID: Int64] = [:]
            for try await outcome in group {
                total += outcome.count
                all.merge(outcome.latencies)
                last.merge(outcome.last) { a, _ in a }
            }
            return (total, all, last)
        }
        let elapsed = watch.seconds
        // Correctness: the group's committed offsets are the last ones acknowledged.
        let committed = try spool.describeGroup(group).partitions
        let wrong = committed.filter { p in expected[p.partition].map { $0 != p.committedOffset } ?? false }
        for member in members { try await member.close() }
        var result = BenchResult(workload: name, variant: "\(committers) committer\(committers == 1 ? "" : "s")",
                                 recordSize: 0, durability: .notApplicable, records: count, seconds: elapsed, bytes: 0)
        result.setLatencies(latencies)
        result.checksumOK = wrong.isEmpty && !expected.isEmpty
        if !wrong.isEmpty { result.notes.append("committed offsets differ from the last acknowledged: \(wrong.map(\.partition))") }
        result.notes.append("metadata synchronous=FULL; records = acknowledged commits (one partition each)")
        return result
    }
}
