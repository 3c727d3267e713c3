// SPDX-License-Identifier: Apache-2.0
// One fetch from one partition: a run of whole RecordBatch v2 frames, fully
// validated when fetched, iterated lazily without per-record allocation.
import LogStorage

/// Records fetched from one partition, in offset order. Iterate it; commit
/// it with `GroupConsumer.commit(_:)` when processed.
public struct Batch: Sequence, Sendable {
    public let topic: String
    public let partition: Int
    /// Offset of the first record in this batch.
    public let firstOffset: Int64
    /// Offset of the last record in this batch.
    public let lastOffset: Int64
    /// Number of records.
    public let count: Int
    let storage: FetchStorage
    let start: Int
    let end: Int

    /// The offset to commit after processing this batch (`lastOffset + 1`).
    public var nextOffset: Int64 { lastOffset + 1 }
    public var isEmpty: Bool { count == 0 }

    init(topic: String, partition: Int, firstOffset: Int64, lastOffset: Int64, count: Int,
         storage: FetchStorage, start: Int, end: Int) {
        self.topic = topic
        self.partition = partition
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.count = count
        self.storage = storage
        self.start = start
        self.end = end
    }

    public func makeIterator() -> Iterator {
        Iterator(batch: self)
    }

    /// Decodes records frame by frame, skipping those below `firstOffset`.
    public struct Iterator: IteratorProtocol {
        let batch: Batch
        let base: UnsafeRawPointer
        var cursor: Int
        var records: RecordIterator?

        init(batch: Batch) {
            self.batch = batch
            self.base = UnsafeRawPointer(batch.storage.base)
            self.cursor = batch.start
        }

        public mutating func next() -> ConsumedRecord? {
            while true {
                // Frames were validated (CRC and record walk) at fetch time, so
                // decoding cannot fail; a failure would end the batch, not trap.
                if records != nil {
                    if let r = try? records!.next() {
                        if r.offset < batch.firstOffset { continue }
                        if r.offset > batch.lastOffset { return nil }
                        return ConsumedRecord(record: r, storage: batch.storage, base: base)
                    }
                    records = nil
                }
                guard cursor < batch.end else { return nil }
                let frame = UnsafeRawBufferPointer(start: base + cursor, count: batch.end - cursor)
                guard let header = try? RecordBatchHeader.parse(frame),
                      let view = try? RecordBatchView(UnsafeRawBufferPointer(rebasing: frame[0..<header.totalSize])) else {
                    return nil
                }
                cursor += header.totalSize
                records = view.makeRecordIterator()
            }
        }
    }
}
