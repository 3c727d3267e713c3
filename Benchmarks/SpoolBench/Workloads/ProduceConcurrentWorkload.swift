// SPDX-License-Identifier: Apache-2.0
// produce-concurrent: records/s of --producers concurrent producers with
// .fsyncEachBatch, over --partitions partitions and over ONE partition.
// Shows group commit: appenders to one partition share an fdatasync, so the
// one-partition case should beat one producer's sync-bound rate. Timed: from
// the first send to the last acknowledgement; p50/p99 per send() call.
import Spool

struct ProduceConcurrentWorkload: Workload {
    let name = WorkloadName.produceConcurrent
    let summary = "N producers, fsyncEachBatch, over P partitions and over 1 partition (group commit)"

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        for size in settings.recordSizes {
            let source = RecordBatches(recordSize: size, batchSize: settings.batchSize)
            let records = settings.records(forSize: size)
            var layouts = [settings.partitions]
            if settings.partitions != 1 { layouts.append(1) }
            for partitions in layouts {
                let label = "produce-concurrent \(size) B \(settings.producers) producers x \(partitions) partitions"
                let volume = BenchSettings.diskBytes(records: records, size: size)
                results.append(try await context.measure(label, primeBytes: volume) {
                    try await once(context, source: source, records: records, partitions: partitions)
                })
            }
        }
        return results
    }

    private func once(_ context: WorkloadContext, source: RecordBatches, records: Int, partitions: Int)
        async throws -> BenchResult
    {
        let settings = context.settings
        let producers = settings.producers
        let path = try context.directory("produce-concurrent-\(source.recordSize)-\(partitions)")
        defer { context.discard(path) }
        let spool = try SpoolFixtures.open(path, durability: .fsyncEachBatch)
        do {
            try spool.createTopic("bench", partitions: partitions)
            let plan = source.plan(records: records)
            let watch = Stopwatch()
            let latencies = try await withThrowingTaskGroup(of: LatencyHistogram.self) { group in
                for p in 0..<producers {
                    group.addTask {
                        let producer = spool.producer()
                        var latencies = LatencyHistogram()
                        var i = p
                        while i < plan.count {
                            let (index, count) = plan[i]
                            let batch = count == source.batchSize ? source.batch(index) : source.batch(index, count: count).records
                            let t0 = Stopwatch.nanos()
                            _ = try await producer.send(batch, to: "bench")
                            latencies.record(nanos: Stopwatch.nanos() &- t0)
                            i += producers
                        }
                        return latencies
                    }
                }
                var all = LatencyHistogram()
                for try await h in group { all.merge(h) }
                return all
            }
            let seconds = watch.seconds
            let bytes = try SpoolFixtures.bytesOnDisk(spool, topic: "bench")
            try spool.close()
            var result = BenchResult(workload: name, variant: "\(producers) producers, \(partitions) partition\(partitions == 1 ? "" : "s")",
                                     recordSize: source.recordSize, durability: .fsyncEachBatch, records: records,
                                     seconds: seconds, bytes: bytes)
            result.setLatencies(latencies)
            result.notes.append("latency is per send() of one batch of \(settings.batchSize)")
            return result
        } catch {
            try? spool.close()
            throw error
        }
    }
}
