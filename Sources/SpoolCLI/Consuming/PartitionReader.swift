// SPDX-License-Identifier: Apache-2.0
// Group-less reading for `spool consume` without --group: one partition, or
// every partition of the topic in turn (one batch from each partition that
// has data, round-robin), waiting on all of them at once when caught up.
import Spool

// MARK: Invariants
// I1. `positions[i]` is the next offset to print of `partitions[i]` and equals
//     the offset `iterators[i]` will fetch from next.

/// Owned by the consuming task.
struct PartitionReader {
    let spool: Spool
    let topic: String
    let partitions: [Int]
    private var positions: [Int64]
    private var iterators: [PartitionBatches.Iterator]
    private var cursor = 0

    /// Where each of `partitions` starts, resolved now.
    /// - Throws: `SpoolError` for an unknown topic or partition; `CLIError`
    ///   for an `.offset` outside a partition's retained range.
    static func startPositions(spool: Spool, topic: String, partitions: [Int],
                               from start: ReadStart) throws -> [StartPosition] {
        try partitions.map { p in
            if case .offset(let o) = start {
                let (first, end) = try spool.offsets(topic: topic, partition: p)
                guard o >= first, o <= end else {
                    throw CLIError.runtime("offset \(o) is outside [\(first), \(end)] of \(topic)-\(p)")
                }
            }
            return StartPosition(partition: p, offset: try spool.offset(topic: topic, partition: p, for: start))
        }
    }

    struct StartPosition: Sendable {
        var partition: Int
        var offset: Int64
    }

    init(spool: Spool, topic: String, starts: [StartPosition]) throws {
        self.spool = spool
        self.topic = topic
        partitions = starts.map(\.partition)
        positions = starts.map(\.offset)
        iterators = try starts.map {
            try spool.batches(topic: topic, partition: $0.partition, from: .offset($0.offset)).makeAsyncIterator()
        }
    }

    /// The next batch, taking partitions in turn; waits while every
    /// partition is caught up. nil once the task is cancelled or the Spool closed.
    mutating func next() async throws -> Batch? {
        let n = partitions.count
        while !Task.isCancelled, n > 0 {
            for step in 0..<n {
                let i = (cursor + step) % n
                let (_, end) = try spool.offsets(topic: topic, partition: partitions[i])
                guard end > positions[i] else { continue }
                guard let batch = try await iterators[i].next() else { return nil }
                positions[i] = batch.nextOffset
                cursor = (i + 1) % n
                return batch
            }
            try await waitForAnyPartition()
        }
        return nil
    }

    /// Returns when some partition has data past its position (each waiter is
    /// a Spool long poll, woken by appends; the others are then cancelled).
    private func waitForAnyPartition() async throws {
        let spool = self.spool
        let topic = self.topic
        let targets = Array(zip(partitions, positions))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (partition, position) in targets {
                group.addTask {
                    var waiter = try spool.batches(topic: topic, partition: partition, from: .offset(position))
                        .makeAsyncIterator()
                    _ = try await waiter.next()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
