// SPDX-License-Identifier: Apache-2.0
// Fetching for a group consumer: fair round-robin over the assigned
// partitions, long polls woken by appends, positions advanced per batch.
import GroupCoordinator
import LogStorage

extension GroupConsumer {
    /// Batches from the assigned partitions, fairly (round-robin, one fetch
    /// per partition in turn), waiting when all are caught up. Ends when the
    /// consumer or the `Spool` closes.
    ///
    /// Iteration throws `.removedFromGroup` (maxPollInterval exceeded, fenced
    /// or expired), `.noCommittedOffset` (reset policy `.none`), `.corruption`.
    public var batches: GroupBatches { GroupBatches(consumer: self) }

    /// `batches` flattened to records. Use `commit(_ record:)` after
    /// processing a record, or `commit()` for everything handed out.
    public var records: GroupRecords { GroupRecords(batches: batches) }

    /// Starts a poll: enforces I3 and records the time for maxPollInterval.
    func beginPoll() throws(SpoolError) -> Bool {
        let now = spool.clock.nowMillis()
        return try state.withLock { s throws(SpoolError) -> Bool in
            if let removed = s.removed { throw removed }
            if s.closed { return false }
            s.lastPollMillis = now
            return true
        }
    }

    /// One round over the fetchable partitions starting at the fairness
    /// cursor; returns the first batch found, or the partitions to wait on.
    func poll(_ fetcher: inout Fetcher) throws(SpoolError) -> (batch: Batch?, waitOn: [(Partition, Int64)]) {
        let candidates = state.withLock { s -> [(GroupPartition, Int64)] in
            guard !s.fetchable.isEmpty else { return [] }
            let n = s.fetchable.count
            return (0..<n).map { i in
                let tp = s.fetchable[(s.cursor + i) % n]
                return (tp, s.positions[tp] ?? 0)
            }
        }
        var waitOn: [(Partition, Int64)] = []
        for (tp, position) in candidates {
            let partition: Partition
            do { partition = try spool.partition(tp.topic, Int(tp.partition)) } catch { continue }
            var batch: Batch?
            do {
                batch = try fetcher.fetch(partition, topic: tp.topic, index: Int(tp.partition), from: position,
                                          maxBytes: options.maxBytesPerFetch)
            } catch where error.code == .offsetOutOfRange {
                // Retention passed us (or a reset moved the log): apply the reset policy.
                let s = partition.summary
                let restart: Int64
                switch options.autoOffsetReset {
                case .earliest: restart = s.logStartOffset
                case .latest: restart = s.logEndOffset
                case .none:
                    throw SpoolError(.noCommittedOffset,
                        "position \(position) of \(tp) is outside [\(s.logStartOffset), \(s.logEndOffset)] and autoOffsetReset is none")
                }
                state.withLock { if $0.positions[tp] == position { $0.positions[tp] = restart } }
                continue
            }
            if let batch {
                let handedOut = state.withLock { s -> Bool in
                    // A rebalance may have moved the partition meanwhile (I2).
                    guard s.positions[tp] == position, let i = s.fetchable.firstIndex(of: tp) else { return false }
                    s.positions[tp] = batch.nextOffset
                    s.cursor = i + 1
                    return true
                }
                if handedOut { return (batch, []) }
                continue
            }
            waitOn.append((partition, position))
        }
        return (nil, waitOn)
    }

    /// Waits until one of the partitions has data past its position, or a
    /// short bound passes (so assignment changes are noticed).
    func waitForData(_ targets: [(Partition, Int64)]) async {
        let bound = min(options.heartbeatIntervalMs, 200)
        await withTaskGroup(of: Void.self) { group in
            for (partition, position) in targets {
                group.addTask { await partition.waitForData(beyond: position) }
            }
            group.addTask { try? await Task.sleep(for: .milliseconds(bound)) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// The batches of a group consumer (see `GroupConsumer.batches`).
public struct GroupBatches: AsyncSequence, Sendable {
    public typealias Element = Batch
    let consumer: GroupConsumer

    public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

    public struct Iterator: AsyncIteratorProtocol {
        let consumer: GroupConsumer
        var fetcher = Fetcher()

        public mutating func next() async throws -> Batch? {
            while !Task.isCancelled {
                guard try consumer.beginPoll(), !consumer.spool.isClosed else { return nil }
                let (batch, waitOn) = try consumer.poll(&fetcher)
                if let batch { return batch }
                await consumer.waitForData(waitOn)
            }
            return nil
        }
    }
}

/// The records of a group consumer (see `GroupConsumer.records`).
public typealias GroupRecords = BatchRecords<GroupBatches>
