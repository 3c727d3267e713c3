// SPDX-License-Identifier: Apache-2.0
// end-to-end: latency from `send` to delivery to a GroupConsumer that is
// already waiting (long poll, woken by the append), in-process. Ping-pong:
// the producer sends one message (a single record, or a batch of
// --batch-size whose first record is stamped), the consumer records the
// time since the send started, acknowledges, and the producer sends the
// next. p50/p99/p999 from a log-linear histogram; the first 10 % (at most
// 200) round trips are warm-up and not recorded.
import Spool

struct EndToEndWorkload: Workload {
    let name = WorkloadName.endToEnd
    let summary = "send -> awaiting group consumer latency, ping-pong, p50/p99/p999"

    /// Marks a stamped value: "SPOOLBEN" little-endian, then the send time.
    static let magic: UInt64 = 0x4E45_424C_4F4F_5053

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        let size = max(16, settings.recordSizes.first ?? 100)
        var cases: [(DurabilityChoice, Int)] = [(.none, 1), (.none, settings.batchSize)]
        if settings.durabilities.contains(.fsyncEachBatch) { cases.append((.fsyncEachBatch, 1)) }
        var results: [BenchResult] = []
        for (mode, perMessage) in cases {
            let label = "end-to-end \(mode.rawValue) \(perMessage == 1 ? "1 record" : "batch \(perMessage)")"
            var result = try await context.measure(label) {
                try await once(context, size: size, mode: mode, perMessage: perMessage)
            }
            if mode == .none, perMessage == 1, let p99 = result.p99Micros {
                result.targets.append(("p99 < 100 µs", p99 < 100))
            }
            results.append(result)
        }
        return results
    }

    private func once(_ context: WorkloadContext, size: Int, mode: DurabilityChoice, perMessage: Int)
        async throws -> BenchResult
    {
        let settings = context.settings
        let messages = settings.messages
        let warmup = min(200, messages / 10)
        let path = try context.directory("end-to-end-\(mode.rawValue)-\(perMessage)")
        defer { context.discard(path) }
        let spool = try SpoolFixtures.open(path, durability: mode)
        do {
            try spool.createTopic("e2e", partitions: 1)
            let consumer = try await spool.consumer(group: "e2e", topics: ["e2e"], options: SpoolFixtures.groupOptions())
            try await SpoolFixtures.awaitBalanced([consumer], partitionCount: 1)
            let (acks, ackContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
            let total = warmup + messages
            let receiver = Task { () throws -> LatencyHistogram in
                var histogram = LatencyHistogram()
                var stamped = 0
                for try await batch in consumer.batches {
                    let arrived = Stopwatch.nanos()
                    for record in batch {
                        guard let value = record.value, value.count >= 16 else { continue }
                        let sent = value.withUnsafeBytes { p -> UInt64? in
                            p.loadUnaligned(as: UInt64.self) == Self.magic ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : nil
                        }
                        guard let sent else { continue }
                        stamped += 1
                        if stamped > warmup { histogram.record(nanos: arrived &- sent) }
                        ackContinuation.yield()
                    }
                    if stamped >= total { break }
                }
                ackContinuation.finish()
                return histogram
            }
            // The producer: one stamped value, rewritten in place each round
            // (it is uniquely referenced again once send returned).
            let producer = spool.producer()
            let source = RecordBatches(recordSize: size, batchSize: perMessage, phases: 1)
            var batch = source.batch(0)
            var stamp = ValuePool.values(size: size)[0]
            var ackIterator = acks.makeAsyncIterator()
            let watch = Stopwatch()
            for _ in 0..<total {
                batch[0] = Record(value: nil)
                let t0 = Stopwatch.nanos()
                stamp.withUnsafeMutableBytes { p in
                    p.storeBytes(of: Self.magic, as: UInt64.self)
                    p.storeBytes(of: t0, toByteOffset: 8, as: UInt64.self)
                }
                batch[0] = Record(value: stamp)
                _ = try await producer.send(batch, to: "e2e")
                guard await ackIterator.next() != nil else { break }
            }
            let seconds = watch.seconds
            let histogram = try await receiver.value
            try await consumer.close()
            let bytes = try SpoolFixtures.bytesOnDisk(spool, topic: "e2e")
            try spool.close()
            var result = BenchResult(workload: name, variant: perMessage == 1 ? "ping-pong, 1 record" : "ping-pong, batch \(perMessage)",
                                     recordSize: size, durability: mode.label, records: total * perMessage,
                                     seconds: seconds, bytes: bytes)
            result.setLatencies(histogram)
            result.checksumOK = histogram.total == UInt64(messages)
            result.notes.append("\(messages) round trips measured after \(warmup) warm-up; latency = send start -> batch handed to the consumer")
            return result
        } catch {
            try? spool.close()
            throw error
        }
    }
}
