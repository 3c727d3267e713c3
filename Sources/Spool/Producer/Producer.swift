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
        // Route every record; `single` stays set while all go to one partition
        // (the common case: no keys, or one key), which skips the per-record
        // bookkeeping below.
        var targets: [Int] = []
        var single: Int? = nil
        for (i, r) in records.enumerated() {
            let p: Int
            if let explicit = r.partition {
                guard explicit >= 0, explicit < count else {
                    throw SpoolError(.unknownPartition, "topic '\(topic)' has no partition \(explicit) (it has \(count))")
                }
                p = explicit
            } else if let key = r.key {
                p = KafkaPartitioner.partition(forKey: key, partitionCount: count)
            } else {
                p = stickyPartition
            }
            if i == 0 { single = p }
            if let s = single, s != p {
                targets = [Int](repeating: s, count: i)
                single = nil
            }
            if single == nil { targets.append(p) }
        }
        let now = spool.clock.nowMillis()
        // Encode every batch first so an oversized one rejects the whole call.
        var encoded: [(partition: Int, builder: RecordBatchBuilder, indices: [Int]?)] = []
        defer { for e in encoded { spool.builders.give(e.builder) } }
        if let single {
            let builder = spool.builders.take()
            encoded.append((single, builder, nil))
            builder.reset()
            for r in records { append(r, to: builder, now: now) }
            try checkSize(builder, records: records.count, topic: topic, partition: single)
        } else {
            for p in Set(targets).sorted() {
                let builder = spool.builders.take()
                builder.reset()
                var indices: [Int] = []
                for i in records.indices where targets[i] == p {
                    append(records[i], to: builder, now: now)
                    indices.append(i)
                }
                encoded.append((p, builder, indices))
                try checkSize(builder, records: indices.count, topic: topic, partition: p)
            }
        }
        var receipts = [Receipt](repeating: Receipt(topic: topic, partition: 0, offset: 0), count: records.count)
        for e in encoded {
            let partition = try spool.partition(topic, e.partition)
            let result: AppendResult
            do { result = try await partition.append(e.builder.finish(), durability: durability?.storage) } catch {
                throw SpoolError(error)
            }
            if let indices = e.indices {
                for (j, i) in indices.enumerated() {
                    receipts[i] = Receipt(topic: topic, partition: e.partition, offset: result.baseOffset + Int64(j))
                }
            } else {
                for i in receipts.indices {
                    receipts[i] = Receipt(topic: topic, partition: e.partition, offset: result.baseOffset + Int64(i))
                }
            }
        }
        return receipts
    }

    @inline(__always)
    private func append(_ r: Record, to builder: RecordBatchBuilder, now: Int64) {
        let headers = r.headers.isEmpty ? [] : r.headers.map { RecordHeaderInput(key: Array($0.key.utf8), value: $0.value) }
        builder.append(key: r.key, value: r.value, timestamp: r.timestamp ?? now, headers: headers)
    }

    private func checkSize(_ builder: RecordBatchBuilder, records: Int, topic: String, partition: Int) throws(SpoolError) {
        if builder.encodedSize > spool.configuration.maxBatchBytes {
            throw SpoolError(.recordTooLarge,
                             "\(records) record(s) for \(topic)-\(partition) encode to \(builder.encodedSize) bytes, above maxBatchBytes \(spool.configuration.maxBatchBytes)")
        }
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
