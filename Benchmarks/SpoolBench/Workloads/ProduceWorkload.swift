// SPDX-License-Identifier: Apache-2.0
// produce: how many records/s (and MB/s on disk) ONE producer writes into
// ONE partition through the public API, `Producer.send([Record], to:)` with
// batches of --batch-size, for each record size and durability mode.
// Timed: the sends only (open, topic creation, a 20-batch warm-up into
// another topic, and close are outside). p50/p99
// are per send() call, i.e. per batch. The Record arrays are prebuilt and
// reused (RecordBatches), so all per-record cost measured is Spool's.
import Spool

struct ProduceWorkload: Workload {
    let name = WorkloadName.produce
    let summary = "1 producer -> 1 partition via Producer.send, per record size x durability"

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        for size in settings.recordSizes {
            let source = RecordBatches(recordSize: size, batchSize: settings.batchSize)
            let records = settings.records(forSize: size)
            for mode in settings.durabilities {
                let label = "produce \(size) B \(mode.rawValue)"
                let volume = BenchSettings.diskBytes(records: records, size: size)
                var result = try await context.measure(label, primeBytes: volume) {
                    try await once(context, source: source, records: records, mode: mode)
                }
                if size == 100, mode == .none {
                    result.targets.append(("≥ 12 M records/s", result.recordsPerSecond >= 12e6))
                }
                results.append(result)
            }
        }
        return results
    }

    private func once(_ context: WorkloadContext, source: RecordBatches, records: Int, mode: DurabilityChoice)
        async throws -> BenchResult
    {
        let settings = context.settings
        let path = try context.directory("produce-\(source.recordSize)-\(mode.rawValue)")
        defer { context.discard(path) }
        let spool = try SpoolFixtures.open(path, durability: mode, intervalMs: settings.intervalMs)
        do {
            try spool.createTopic("bench", partitions: 1)
            let producer = spool.producer()
            // Warm-up (untimed, another topic): builders, page faults, first segment.
            try spool.createTopic("warmup", partitions: 1)
            for index in 0..<min(20, max(1, records / source.batchSize)) {
                _ = try await producer.send(source.batch(index), to: "warmup")
            }
            var latencies = LatencyHistogram()
            let plan = source.plan(records: records)
            let watch = Stopwatch()
            for (index, count) in plan {
                let batch = count == source.batchSize ? source.batch(index) : source.batch(index, count: count).records
                let t0 = Stopwatch.nanos()
                _ = try await producer.send(batch, to: "bench")
                latencies.record(nanos: Stopwatch.nanos() &- t0)
            }
            let seconds = watch.seconds
            let bytes = try SpoolFixtures.bytesOnDisk(spool, topic: "bench")
            try spool.close()
            var result = BenchResult(workload: name, variant: "batch \(settings.batchSize)", recordSize: source.recordSize,
                                     durability: mode.label, records: records, seconds: seconds, bytes: bytes)
            if mode == .interval { result.variant += ", interval \(settings.intervalMs) ms" }
            result.setLatencies(latencies)
            result.notes.append("latency is per send() of one batch")
            return result
        } catch {
            try? spool.close()
            throw error
        }
    }
}
