// SPDX-License-Identifier: Apache-2.0
// Opening a Spool for a workload and the untimed setup steps several
// workloads share: filling a topic, waiting for a group to settle, and
// counting the bytes a topic holds on disk.
import Spool

enum SpoolFixtures {
    static func durability(_ mode: DurabilityChoice, intervalMs: Int) -> Durability {
        switch mode {
        case .none: .none
        case .interval: .interval(milliseconds: intervalMs)
        case .fsyncEachBatch: .fsyncEachBatch
        }
    }

    /// A Spool at `path` with warnings-only logging and `mode` as the default durability.
    static func open(_ path: String, durability mode: DurabilityChoice, intervalMs: Int = 100) throws -> Spool {
        var configuration = Configuration()
        configuration.durability = durability(mode, intervalMs: intervalMs)
        configuration.logger = WorkloadContext.quietLogger()
        return try Spool.open(at: path, configuration: configuration)
    }

    /// Sends `records` records of `source` to `topic` (keyless: each send goes
    /// to the next partition round-robin). Untimed setup; returns the checksum.
    static func fill(_ spool: Spool, topic: String, source: RecordBatches, records: Int) async throws -> RecordChecksum {
        let producer = spool.producer()
        var checksum = RecordChecksum()
        for (index, count) in source.plan(records: records) {
            let (batch, sum) = source.batch(index, count: count)
            _ = try await producer.send(batch, to: topic)
            checksum.merge(sum)
        }
        return checksum
    }

    /// Bytes of `topic` on disk (all partitions, all segments).
    static func bytesOnDisk(_ spool: Spool, topic: String) throws -> Int64 {
        try spool.describeTopic(topic).partitions.reduce(0) { $0 + $1.sizeBytes }
    }

    /// Waits until `consumers` own disjoint partitions covering all of
    /// `partitionCount`, balanced to within one (heartbeats settle a group).
    static func awaitBalanced(_ consumers: [GroupConsumer], partitionCount: Int, timeoutSeconds: Double = 20)
        async throws
    {
        let watch = Stopwatch()
        while true {
            let owned = consumers.map(\.assignment)
            let all = owned.flatMap { $0 }
            let counts = owned.map(\.count)
            if all.count == partitionCount, Set(all).count == partitionCount,
               (counts.max() ?? 0) - (counts.min() ?? 0) <= 1 {
                return
            }
            if watch.seconds > timeoutSeconds {
                throw BenchError("group did not settle within \(timeoutSeconds) s: owned \(counts)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Consumer options for benchmark groups: frequent heartbeats so a group
    /// settles in milliseconds rather than seconds.
    static func groupOptions() -> ConsumerOptions {
        ConsumerOptions(clientID: "spool-bench", sessionTimeoutMs: 30_000, heartbeatIntervalMs: 20)
    }
}
