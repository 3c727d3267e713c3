// SPDX-License-Identifier: Apache-2.0
// Offset commit (coalesced into shared transactions), fetch, reset, clamping
// at open and the start-position rule for consumers.

extension GroupCoordinator {
    // MARK: - Commit

    /// Commits offsets for partitions the member owns (assigned or revoking).
    /// Each offset is the NEXT offset to consume. Returns only after the
    /// transaction holding the commit committed (with `synchronous=FULL`:
    /// after fsync).
    ///
    /// Concurrent calls coalesce (group commit): the first caller to find no
    /// write in flight becomes the leader, takes every queued commit, writes
    /// them in ONE transaction and wakes the others with their own results;
    /// commits arriving meanwhile form the next batch, led by the first of
    /// them. Each commit is validated when called (nothing is queued on
    /// error) and re-checked against the state at write time (a rebalance may
    /// have happened while it waited). A later commit of a partition wins.
    ///
    /// The leader writes synchronously on its task's thread (an fsync); the
    /// followers are suspended, not blocked.
    ///
    /// - Throws: `groupNotFound`, `unknownMember`, `fencedInstance`,
    ///   `staleGeneration`, `unknownTopic`, `unknownPartition`, `notAssigned`,
    ///   `invalidOffset`, `metadataTooLarge`, `persistence`.
    package func commitOffsets(
        group groupID: String, member memberID: String, generation: Int32,
        offsets: [TopicPartition: OffsetAndMetadata]
    ) async throws(CoordinatorError) {
        try core.withLock { (c: inout Core) throws(CoordinatorError) in
            try Self.validateCommit(c, group: groupID, member: memberID, generation: generation, offsets: offsets)
        }
        guard !offsets.isEmpty else { return }
        var ticket: UInt64 = 0
        let signal = await withCheckedContinuation { (continuation: CheckedContinuation<CommitSignal, Never>) in
            let lead = commits.withLock { q -> Bool in
                q.nextTicket &+= 1
                ticket = q.nextTicket
                q.pending.append(
                    PendingCommit(
                        ticket: ticket, groupID: groupID, memberID: memberID, generation: generation, offsets: offsets,
                        continuation: continuation))
                if q.leaderActive { return false }
                q.leaderActive = true
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        let outcome: CoordinatorError?
        switch signal {
        case .done(let result): outcome = result
        case .lead:
            // Yield once before taking the batch: commits of tasks that are
            // already runnable (typically the waiters the previous leader just
            // woke) get to join it. Without this a leader that found the queue
            // empty writes a batch of one and, never suspending, keeps the
            // thread, so batches stay at one commit (measured: ~8k commits/s
            // instead of tens of thousands with 16 committers).
            await Task.yield()
            outcome = leadCommitBatch(ownTicket: ticket)
        }
        if let outcome { throw outcome }
    }

    /// Writes the whole pending queue as one transaction, wakes its waiters,
    /// hands leadership to the first commit queued meanwhile (keeps I1, I2).
    private func leadCommitBatch(ownTicket: UInt64) -> CoordinatorError? {
        let batch = commits.withLock { q -> [PendingCommit] in
            let batch = q.pending
            q.pending.removeAll(keepingCapacity: true)
            return batch
        }
        let results = writeCommitBatch(batch)
        var own: CoordinatorError? = nil
        for (commit, result) in zip(batch, results) {
            if commit.ticket == ownTicket {
                own = result
            } else {
                commit.continuation.resume(returning: .done(result))
            }
        }
        let successor = commits.withLock { q -> CheckedContinuation<CommitSignal, Never>? in
            guard let first = q.pending.first else {
                q.leaderActive = false
                return nil
            }
            return first.continuation
        }
        successor?.resume(returning: .lead)
        return own
    }

    /// One transaction for a batch; one result per entry, in order.
    private func writeCommitBatch(_ batch: [PendingCommit]) -> [CoordinatorError?] {
        writer.withLock { writer -> [CoordinatorError?] in
            let now = clock.nowMillis()
            var results = [CoordinatorError?](repeating: nil, count: batch.count)
            var byGroup = [String: [OffsetCommit]]()
            var groupOrder = [String]()
            core.withLock { c in
                for (index, commit) in batch.enumerated() {
                    do throws(CoordinatorError) {
                        try Self.validateCommit(
                            c, group: commit.groupID, member: commit.memberID, generation: commit.generation,
                            offsets: commit.offsets)
                    } catch {
                        results[index] = error
                        continue
                    }
                    if byGroup[commit.groupID] == nil { groupOrder.append(commit.groupID) }
                    for (partition, value) in commit.offsets {
                        byGroup[commit.groupID, default: []].append(
                            OffsetCommit(
                                partition: partition,
                                committed: CommittedOffset(offset: value.offset, metadata: value.metadata, commitTimeMillis: now)))
                    }
                }
            }
            let mutations = groupOrder.map { GroupMutation.offsetsCommitted(groupID: $0, byGroup[$0] ?? []) }
            guard !mutations.isEmpty else { return results }
            do {
                try writer.persistence.persist(mutations)
            } catch {
                for index in results.indices where results[index] == nil { results[index] = .persistence(error) }
                return results
            }
            core.withLock { c in c.state.apply(mutations) }
            return results
        }
    }

    /// Fencing and value checks for a member's commit (nothing is written).
    static func validateCommit(
        _ c: Core, group groupID: String, member memberID: String, generation: Int32,
        offsets: [TopicPartition: OffsetAndMetadata]
    ) throws(CoordinatorError) {
        let (entry, _) = try authorize(c, group: groupID, member: memberID, generation: generation)
        let assignment = entry.assignments[memberID] ?? .empty
        for (partition, value) in offsets {
            guard let count = c.topics[partition.topic] else { throw .unknownTopic(partition.topic) }
            guard partition.partition >= 0, partition.partition < count else { throw .unknownPartition(partition) }
            guard value.offset >= 0 else { throw .invalidOffset(partition, value.offset) }
            let bytes = value.metadata.utf8.count
            guard bytes <= CommittedOffset.maxMetadataBytes else { throw .metadataTooLarge(partition, bytes: bytes) }
            guard assignment.assigned.contains(partition) || assignment.revoking.contains(partition) else {
                throw .notAssigned(group: groupID, memberID: memberID, partition: partition)
            }
        }
    }

    /// Commits waiting for the next transaction (diagnostics and tests).
    package var queuedCommitCount: Int { commits.withLock { $0.pending.count } }

    // MARK: - Fetch

    /// The group's committed offsets (empty for an unknown group).
    package func fetchOffsets(group groupID: String) -> [TopicPartition: CommittedOffset] {
        core.withLock { $0.state.groups[groupID]?.offsets ?? [:] }
    }

    /// Where a consumer of `group` starts reading `partition`: the committed
    /// offset if it lies within [logStart, logEnd], else per `reset`.
    ///
    /// - Throws: `noCommittedOffset` / `committedOffsetOutOfRange` when `reset` is `.none`.
    package func startingOffset(
        group groupID: String, partition: TopicPartition, logStart: Int64, logEnd: Int64, reset: OffsetResetPolicy
    ) throws(CoordinatorError) -> Int64 {
        let committed = core.withLock { $0.state.groups[groupID]?.offsets[partition]?.offset }
        if let committed, committed >= logStart, committed <= logEnd { return committed }
        switch reset {
        case .earliest: return logStart
        case .latest: return logEnd
        case .none:
            if let committed {
                throw .committedOffsetOutOfRange(
                    group: groupID, partition: partition, committed: committed, logStart: logStart, logEnd: logEnd)
            }
            throw .noCommittedOffset(group: groupID, partition: partition)
        }
    }

    // MARK: - Administration

    /// Sets the committed offsets of `topic`'s partitions (partition → next
    /// offset; the caller resolves earliest/latest). Creates the group if it
    /// does not exist. Refused while the group has live members (members
    /// awaiting rejoin or departed do not count).
    ///
    /// - Throws: `unknownTopic`, `unknownPartition`, `invalidOffset`, `groupNotEmpty`, `persistence`.
    package func resetOffsets(group groupID: String, topic: String, to offsets: [Int32: Int64]) throws(CoordinatorError) {
        try perform { (c, now) throws(CoordinatorError) -> Plan<Void> in
            guard let count = c.topics[topic] else { throw .unknownTopic(topic) }
            var commits = [OffsetCommit]()
            for partition in offsets.keys.sorted() {
                let tp = TopicPartition(topic, partition)
                guard partition >= 0, partition < count else { throw .unknownPartition(tp) }
                guard let offset = offsets[partition], offset >= 0 else { throw .invalidOffset(tp, offsets[partition] ?? -1) }
                commits.append(OffsetCommit(partition: tp, committed: CommittedOffset(offset: offset, commitTimeMillis: now)))
            }
            let live = Self.liveMemberCount(c, group: groupID)
            guard live == 0 else { throw .groupNotEmpty(group: groupID, liveMembers: live) }
            var planner =
                c.state.groups[groupID].map { GroupPlanner(entry: $0, now: now) }
                ?? GroupPlanner(newGroup: groupID, assignor: .default, now: now)
            if !commits.isEmpty { planner.emit(.offsetsCommitted(groupID: groupID, commits)) }
            planner.finish()
            return Plan(mutations: planner.mutations, result: ())
        }
    }

    /// Committed offsets above their partition's log end (possible after a
    /// power loss with relaxed log durability). With `clamp`, sets each to the
    /// log end in one transaction; without, only reports (for `verify`).
    /// Partitions missing from `endOffsets` are not judged.
    ///
    /// - Returns: the offsets found beyond the end (before clamping).
    @discardableResult
    package func offsetsBeyondEnd(endOffsets: [TopicPartition: Int64], clamp: Bool) throws(CoordinatorError) -> [OffsetBeyondEnd] {
        let found = try perform { (c, now) throws(CoordinatorError) -> Plan<[OffsetBeyondEnd]> in
            var found = [OffsetBeyondEnd]()
            var mutations = [GroupMutation]()
            for groupID in c.state.groups.keys.sorted() {
                guard let entry = c.state.groups[groupID] else { continue }
                var clamped = [OffsetCommit]()
                for tp in entry.offsets.keys.sorted() {
                    guard let committed = entry.offsets[tp], let end = endOffsets[tp], committed.offset > end else { continue }
                    found.append(OffsetBeyondEnd(groupID: groupID, partition: tp, committed: committed.offset, logEnd: end))
                    var fixed = committed
                    fixed.offset = end
                    clamped.append(OffsetCommit(partition: tp, committed: fixed))
                }
                if clamp, !clamped.isEmpty { mutations.append(.offsetsCommitted(groupID: groupID, clamped)) }
            }
            return Plan(mutations: mutations, result: found)
        }
        for item in found {
                logger.warning(
                    clamp ? "committed offset beyond log end; clamped" : "committed offset beyond log end",
                    metadata: [
                        "group": "\(item.groupID)", "partition": "\(item.partition)", "committed": "\(item.committed)",
                        "logEnd": "\(item.logEnd)",
                    ])
        }
        return found
    }

    /// Members heard from (not awaiting rejoin, not departed).
    static func liveMemberCount(_ c: Core, group groupID: String) -> Int {
        guard let entry = c.state.groups[groupID] else { return 0 }
        return entry.members.keys.reduce(0) { count, memberID in
            count + (c.soft[groupID]?.sessions[memberID]?.presence == .active ? 1 : 0)
        }
    }
}
