// SPDX-License-Identifier: Apache-2.0
// Committing: the committed offset is the NEXT offset to consume. Commits of
// concurrent consumers coalesce into shared SQLite transactions (coordinator).
import GroupCoordinator

extension GroupConsumer {
    /// Commits the position after every batch handed out so far, for every
    /// partition this consumer fetches (Kafka's `commitSync()`).
    ///
    /// - Throws: `.removedFromGroup`, `.rebalanceInProgress` (a partition moved
    ///   to another member before the commit), `.io`, `.closed`.
    public func commit() async throws {
        let positions = state.withLock { $0.positions }
        try await commit(positions)
    }

    /// Commits `batch.nextOffset` for the batch's partition (everything in it processed).
    public func commit(_ batch: Batch) async throws {
        try await commit([GroupPartition(batch.topic, Int32(batch.partition)): batch.nextOffset])
    }

    /// Commits `record.offset + 1` for the record's partition.
    public func commit(_ record: ConsumedRecord) async throws {
        try await commit([GroupPartition(record.topic, Int32(record.partition)): record.offset + 1])
    }

    /// Commits explicit next-offsets.
    public func commit(offsets: [TopicPartitionID: Int64]) async throws {
        var converted: [GroupPartition: Int64] = [:]
        for (k, v) in offsets { converted[GroupPartition(k.topic, Int32(k.partition))] = v }
        try await commit(converted)
    }

    func commit(_ offsets: [GroupPartition: Int64]) async throws(SpoolError) {
        let payload = offsets.mapValues { OffsetAndMetadata($0) }
        for attempt in 0..<2 {
            // A removed or closed consumer says so even when there is nothing to commit.
            let (memberID, generation) = try state.withLock { s throws(SpoolError) -> (String, Int32) in
                if let removed = s.removed { throw removed }
                if s.closed { throw SpoolError(.closed, "consumer of group '\(group)' is closed") }
                return (s.memberID, s.generation)
            }
            guard !offsets.isEmpty else { return }
            do {
                try await spool.coordinator.commitOffsets(group: group, member: memberID, generation: generation, offsets: payload)
                return
            } catch {
                // After a rebalance our generation is old: catch up once and
                // retry; the retry succeeds if we still own the partitions.
                if case .staleGeneration = error, attempt == 0 {
                    try await rejoin()
                    continue
                }
                if case .notAssigned = error {
                    throw SpoolError(.rebalanceInProgress, "\(error); the partition moved to another member", underlying: error)
                }
                throw SpoolError(error)
            }
        }
    }
}

extension Spool {
    /// Joins `group` as a new member subscribed to `topics` and returns its
    /// consumer. Members of one group share the topics' partitions (each
    /// partition to exactly one member); every group gets the whole stream.
    ///
    /// - Throws: `.unknownTopic`, `.invalidArgument` (empty group or topics,
    ///   bad timeouts, an assignor different from the group's), `.io`, `.closed`.
    public func consumer(group: String, topics: [String], options: ConsumerOptions = ConsumerOptions()) async throws
        -> GroupConsumer
    {
        try checkOpen()
        for t in topics { _ = try topicInfo(t) }
        guard options.heartbeatIntervalMs > 0, options.sessionTimeoutMs > options.heartbeatIntervalMs else {
            throw SpoolError(.invalidArgument, "heartbeatIntervalMs must be positive and below sessionTimeoutMs")
        }
        let join: JoinResult
        do {
            join = try coordinator.join(
                group: group, memberID: nil, instanceID: options.instanceID, clientID: options.clientID, topics: topics,
                sessionTimeoutMs: Int32(clamping: options.sessionTimeoutMs),
                rebalanceTimeoutMs: Int32(clamping: options.maxPollIntervalMs), assignor: options.assignor.kind)
        } catch { throw SpoolError(error) }
        let consumer = GroupConsumer(spool: self, group: group, topics: topics, options: options, join: join)
        try await consumer.apply(generation: join.generation, assignment: join.assignment)
        consumer.startHeartbeats()
        return consumer
    }
}
