// SPDX-License-Identifier: Apache-2.0
// Sending records: choose partitions, encode one batch per partition per
// call (reused encoders), append, acknowledge per the durability setting.
import LogStorage
import Synchronization

/// Sends records to topics. Cheap to create and `Sendable`: share one or make many.
public struct Producer: Sendable {
    let spool: Spool
    /// Overrides every topic's durability for this producer's sends (nil: the topic's).
    public let durability: Durability?

    init(spool: Spool, durability: Durability?) {
        self.spool = spool
        self.durability = durability
    }

    /// Sends one record.
    ///
    /// - Returns: where it landed, once it is as durable as the topic's (or
    ///   this producer's) durability promises.
    /// - Throws: `.unknownTopic`, `.unknownPartition` (explicit partition out of
    ///   range), `.recordTooLarge`, `.io` (the partition is now failed until
    ///   reopen), `.closed`.
    public func send(_ record: Record, to topic: String) async throws -> Receipt {
        try await send([record], to: topic)[0]
    }

    /// Sends records in one call. Records for the same partition are written
    /// as ONE batch (one write, one sync under `.fsyncEachBatch`), in order.
    /// Keyed records go to `murmur2(key) % partitions`; records with neither a
    /// key nor a partition all go to one partition, chosen round-robin per call.
    ///
    /// Nothing is written when any record is invalid or a batch would exceed
    /// `maxBatchBytes`. When batches go to several partitions and one append
    /// fails, the earlier ones stay written (their receipts are lost with the error).
    ///
    /// - Returns: one receipt per record, in input order.
    /// - Throws: as `send(_:to:)`.
    public func send(_ records: [Record], to topic: String) async throws -> [Receipt] {
        guard !records.isEmpty else { return [] }
        let info = try spool.topicInfo(topic)
        let count = info.partitionCount
        let stickyPartition = spool.nextRoundRobin() % count
        var targets = [Int](repeating: 0, count: records.count)
        for (i, r) in records.enumerated() {
            if let p = r.partition {
                guard p >= 0, p < count else {
                    throw SpoolError(.unknownPartition, "topic '\(topic)' has no partition \(p) (it has \(count))")
                }
                targets[i] = p
            } else if let key = r.key {
                targets[i] = KafkaPartitioner.partition(forKey: key, partitionCount: count)
            } else {
                targets[i] = stickyPartition
            }
        }
        let now = spool.clock.nowMillis()
        let partitions = Array(Set(targets)).sorted()
        // Encode every batch first so an oversized one rejects the whole call.
        var encoded: [(partition: Int, builder: RecordBatchBuilder, indices: [Int])] = []
        defer { for e in encoded { spool.builders.give(e.builder) } }
        for p in partitions {
            let builder = spool.builders.take()
            builder.reset()
            var indices: [Int] = []
            for i in records.indices where targets[i] == p {
                let r = records[i]
                let headers = r.headers.isEmpty ? [] : r.headers.map { RecordHeaderInput(key: Array($0.key.utf8), value: $0.value) }
                builder.append(key: r.key, value: r.value, timestamp: r.timestamp ?? now, headers: headers)
                indices.append(i)
            }
            encoded.append((p, builder, indices))
            if builder.encodedSize > spool.configuration.maxBatchBytes {
                throw SpoolError(.recordTooLarge,
                                 "\(indices.count) record(s) for \(topic)-\(p) encode to \(builder.encodedSize) bytes, above maxBatchBytes \(spool.configuration.maxBatchBytes)")
            }
        }
        var receipts = [Receipt](repeating: Receipt(topic: topic, partition: 0, offset: 0), count: records.count)
        for e in encoded {
            let partition = try spool.partition(topic, e.partition)
            let result: AppendResult
            do { result = try await partition.append(e.builder.finish(), durability: durability?.storage) } catch {
                throw SpoolError(error)
            }
            for (j, i) in e.indices.enumerated() {
                receipts[i] = Receipt(topic: topic, partition: e.partition, offset: result.baseOffset + Int64(j))
            }
        }
        return receipts
    }
}

extension Spool {
    /// A producer. `durability` overrides the topics' setting for its sends.
    public func producer(durability: Durability? = nil) -> Producer {
        Producer(spool: self, durability: durability)
    }

    func nextRoundRobin() -> Int {
        roundRobin.add(1, ordering: .relaxed).oldValue & Int.max
    }
}
