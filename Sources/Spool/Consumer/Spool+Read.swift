// SPDX-License-Identifier: Apache-2.0
// Group-less reading: one-shot reads and long-polling sequences.
import LogStorage

extension Spool {
    /// Reads records of one partition starting at `offset`, up to about
    /// `maxBytes` (at least one stored batch when there is data). Returns an
    /// empty batch at the end of the partition.
    ///
    /// - Throws: `.unknownTopic`, `.unknownPartition`, `.offsetOutOfRange`
    ///   (the message carries the valid range), `.corruption`, `.closed`.
    public func read(topic: String, partition: Int, from offset: Int64, maxBytes: Int = 1 << 20) throws -> Batch {
        let p = try self.partition(topic, partition)
        var fetcher = Fetcher()
        if let batch = try fetcher.fetch(p, topic: topic, index: partition, from: offset, maxBytes: maxBytes) {
            return batch
        }
        return Batch(topic: topic, partition: partition, firstOffset: offset, lastOffset: offset - 1, count: 0,
                     storage: FetchStorage(capacity: 0), start: 0, end: 0)
    }

    /// The offset a `ReadStart` resolves to now.
    /// - Throws: `.unknownTopic`, `.unknownPartition`, `.corruption`, `.closed`.
    public func offset(topic: String, partition: Int, for start: ReadStart) throws -> Int64 {
        let p = try self.partition(topic, partition)
        switch start {
        case .earliest: return p.logStartOffset
        case .latest: return p.logEndOffset
        case .offset(let o): return o
        case .timestamp(let t): return try wrapStorage { try p.offset(forTimestamp: t) } ?? p.logEndOffset
        }
    }

    /// First and end offset of a partition (`end` is the next offset to be written).
    public func offsets(topic: String, partition: Int) throws -> (start: Int64, end: Int64) {
        let p = try self.partition(topic, partition)
        let s = p.summary
        return (s.logStartOffset, s.logEndOffset)
    }

    /// An endless sequence of batches of one partition from `start`, waiting
    /// (without polling) for new records at the end. Ends when the `Spool` closes.
    public func batches(topic: String, partition: Int, from start: ReadStart = .earliest,
                        maxBytes: Int = 1 << 20) throws -> PartitionBatches {
        let offset = try self.offset(topic: topic, partition: partition, for: start)
        return PartitionBatches(spool: self, topic: topic, partition: partition, offset: offset, maxBytes: maxBytes)
    }

    /// `batches(...)` flattened to records.
    public func records(topic: String, partition: Int, from start: ReadStart = .earliest) throws -> PartitionRecords {
        BatchRecords(batches: try batches(topic: topic, partition: partition, from: start))
    }
}

/// The batches of one partition, long-polling at the end.
public struct PartitionBatches: AsyncSequence, Sendable {
    public typealias Element = Batch
    let spool: Spool
    let topic: String
    let partition: Int
    let offset: Int64
    let maxBytes: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(spool: spool, topic: topic, partition: partition, offset: offset, maxBytes: maxBytes)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let spool: Spool
        let topic: String
        let partition: Int
        var offset: Int64
        let maxBytes: Int
        var fetcher = Fetcher()

        init(spool: Spool, topic: String, partition: Int, offset: Int64, maxBytes: Int) {
            self.spool = spool
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.maxBytes = maxBytes
        }

        /// The next batch; nil once the `Spool` is closed or the task cancelled.
        /// - Throws: `.offsetOutOfRange` (e.g. retention passed the reader), `.corruption`, `.unknownTopic`.
        public mutating func next() async throws -> Batch? {
            while !Task.isCancelled {
                if spool.isClosed { return nil }
                let p = try spool.partition(topic, partition)
                if let batch = try fetcher.fetch(p, topic: topic, index: partition, from: offset, maxBytes: maxBytes) {
                    offset = batch.nextOffset
                    return batch
                }
                await p.waitForData(beyond: offset)
            }
            return nil
        }
    }
}

/// The records of one partition, long-polling at the end.
public typealias PartitionRecords = BatchRecords<PartitionBatches>
