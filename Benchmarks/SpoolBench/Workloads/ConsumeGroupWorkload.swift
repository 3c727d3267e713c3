// SPDX-License-Identifier: Apache-2.0
// consume-group: total records/s of --consumers GroupConsumers of one group
// sharing a --partitions-partition topic, each iterating `batches` and every
// record in them, reading from the page cache. Timed: from the start of
// iteration (after the group has settled, untimed) until the last record
// has been counted by any member. The values' checksum, summed over the
// members, must equal what was produced (no record lost or duplicated).
import Spool
import Synchronization

struct ConsumeGroupWorkload: Workload {
    let name = WorkloadName.consumeGroup
    let summary = "N group consumers on P partitions iterating batches, total records/s, checksum verified"

    /// Shared between the member tasks: records counted and the time the last one was.
    final class Finish: Sendable {
        let records = Atomic<Int>(0)
        let endNanos = Atomic<UInt64>(0)
    }

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        for size in settings.recordSizes {
            let source = RecordBatches(recordSize: size, batchSize: settings.batchSize)
            let records = settings.records(forSize: size)
            let path = try context.directory("consume-group-\(size)")
            defer { context.discard(path) }
            let spool = try SpoolFixtures.open(path, durability: .none)
            do {
                try spool.createTopic("bench", partitions: settings.partitions)
                Progress.line("  consume-group \(size) B: writing \(formatCount(records)) records over \(settings.partitions) partitions (untimed)")
                let expected = try await SpoolFixtures.fill(spool, topic: "bench", source: source, records: records)
                let bytes = try SpoolFixtures.bytesOnDisk(spool, topic: "bench")
                var result = try await context.measure("consume-group \(size) B \(settings.consumers) consumers") {
                    try await once(spool, records: records, expected: expected, bytes: bytes, size: size, settings: settings)
                }
                if size == 100 {
                    result.targets.append(("≥ 15 M records/s in total", result.recordsPerSecond >= 15e6))
                }
                results.append(result)
                try spool.close()
            } catch {
                try? spool.close()
                throw error
            }
        }
        return results
    }

    private func once(_ spool: Spool, records: Int, expected: RecordChecksum, bytes: Int64, size: Int,
                      settings: BenchSettings) async throws -> BenchResult
    {
        var consumers: [GroupConsumer] = []
        for _ in 0..<settings.consumers {
            consumers.append(try await spool.consumer(group: "bench-group", topics: ["bench"],
                                                      options: SpoolFixtures.groupOptions()))
        }
        try await SpoolFixtures.awaitBalanced(consumers, partitionCount: settings.partitions)
        let finish = Finish()
        let watch = Stopwatch()
        let start = Stopwatch.nanos()
        let checksum = try await withThrowingTaskGroup(of: RecordChecksum.self) { group in
            for consumer in consumers {
                group.addTask {
                    var mine = RecordChecksum()
                    for try await batch in consumer.batches {
                        for record in batch {
                            if let value = record.value { mine.add(hash: value.withUnsafeBytes(RecordChecksum.hash)) }
                        }
                        let total = finish.records.add(batch.count, ordering: .relaxed).newValue
                        if total >= records {
                            finish.endNanos.store(Stopwatch.nanos(), ordering: .relaxed)
                            break
                        }
                    }
                    return mine
                }
            }
            // The first member to see the total reach the end returns; the
            // others are waiting for data that will never come: stop them.
            var all = RecordChecksum()
            if let first = try await group.next() { all.merge(first) }
            group.cancelAll()
            for try await rest in group { all.merge(rest) }
            return all
        }
        let end = finish.endNanos.load(ordering: .relaxed)
        let seconds = end > start ? Double(end - start) / 1e9 : watch.seconds
        for consumer in consumers { try await consumer.close() }
        var result = BenchResult(workload: name, variant: "\(settings.consumers) consumers, \(settings.partitions) partitions",
                                 recordSize: size, durability: .notApplicable, records: checksum.count,
                                 seconds: seconds, bytes: bytes)
        result.checksumOK = checksum == expected
        if checksum != expected { result.notes.append("expected \(expected.text), read \(checksum.text)") }
        return result
    }
}
