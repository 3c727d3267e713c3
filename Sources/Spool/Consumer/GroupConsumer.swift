// SPDX-License-Identifier: Apache-2.0
// A member of a consumer group: joins through the coordinator, heartbeats on
// its own, fetches its assigned partitions fairly with long polls, commits.
//
//   create ──join──▶ member ──heartbeat (background)──▶ member
//                      │ staleGeneration → rejoin; revoking → callback,
//                      │ auto-commit, acknowledge; assigned → start offsets
//                      │ maxPollInterval exceeded / fenced / expired
//                      ▼
//                   removed ── every call throws .removedFromGroup
//                      │ close()
//                      ▼
//                   closed  ── every call throws .closed
import GroupCoordinator
import LogStorage
import Synchronization

// MARK: Invariants
// I1. `positions` has an entry for each partition in `fetchable`, plus,
//     while a revocation is being handled, for the partitions leaving (so
//     they can still be committed); those are dropped before the ack.
// I2. A partition leaves `fetchable` before its revocation is acknowledged,
//     so no batch of it is handed out after the group gave it to another member.
// I3. Once `removed` or `closed` is set it stays set.

/// A consumer in a group. `Sendable`; iterate `batches` or `records` from one task.
public final class GroupConsumer: Sendable {
    public let group: String
    public let topics: [String]
    let spool: Spool
    let options: ConsumerOptions
    let changes: AsyncStream<AssignmentChange>.Continuation
    /// Assignment changes, `revoked` before `assigned` within a rebalance.
    public let assignmentChanges: AsyncStream<AssignmentChange>

    struct State: Sendable {
        var memberID: String
        var generation: Int32
        var fetchable: [GroupPartition] = []
        var positions: [GroupPartition: Int64] = [:]
        var cursor = 0
        var lastPollMillis: Int64
        var lastAutoCommitMillis: Int64
        var removed: SpoolError?
        var closed = false
        var heartbeat: Task<Void, Never>?
    }

    let state: Mutex<State>

    init(spool: Spool, group: String, topics: [String], options: ConsumerOptions, join: JoinResult) {
        self.spool = spool
        self.group = group
        self.topics = topics
        self.options = options
        (assignmentChanges, changes) = AsyncStream.makeStream(of: AssignmentChange.self, bufferingPolicy: .bufferingNewest(64))
        let now = spool.clock.nowMillis()
        state = Mutex(State(memberID: join.memberID, generation: join.generation, lastPollMillis: now,
                            lastAutoCommitMillis: now))
    }

    /// The member id the group knows this consumer by.
    public var memberID: String { state.withLock { $0.memberID } }
    /// The group generation this consumer last synced with.
    public var generation: Int { Int(state.withLock { $0.generation }) }
    /// The partitions this consumer currently fetches, sorted.
    public var assignment: [TopicPartitionID] {
        state.withLock { $0.fetchable.map { TopicPartitionID(topic: $0.topic, partition: Int($0.partition)) } }
    }

    // MARK: - Assignment

    /// Applies what the coordinator says this member owns (keeps I1, I2).
    ///
    /// Order for partitions leaving this member: stop fetching them, report
    /// `.revoked`, run `onPartitionsRevoked` (which may commit), auto-commit
    /// when enabled, drop their positions, and only then acknowledge the
    /// revocation, which lets the group hand them to their new owner.
    func apply(generation: Int32, assignment: MemberAssignment) async throws(SpoolError) {
        let (toRevoke, memberID) = state.withLock { s -> ([GroupPartition], String) in
            s.generation = generation
            let gone = s.fetchable.filter { !assignment.assigned.contains($0) }
            s.fetchable.removeAll { !assignment.assigned.contains($0) }
            return (gone, s.memberID)
        }
        if !toRevoke.isEmpty {
            let ids = toRevoke.map(Self.publicID)
            changes.yield(.revoked(ids))
            await options.onPartitionsRevoked?(ids)
            if options.autoCommitIntervalMs != nil {
                let positions = state.withLock { s in s.positions.filter { toRevoke.contains($0.key) } }
                try? await commit(positions)
            }
            state.withLock { s in
                for tp in toRevoke where !s.fetchable.contains(tp) { s.positions[tp] = nil }
            }
        }
        var current = assignment
        if !assignment.revoking.isEmpty {
            // Cooperative: we stopped fetching these (above); let the group hand them on.
            do {
                let hb = try spool.coordinator.acknowledgeRevocation(group: group, member: memberID, generation: generation,
                                                                     partitions: assignment.revoking)
                current = hb.assignment
                state.withLock { $0.generation = hb.generation }
            } catch {
                throw SpoolError(error)
            }
        }
        var added: [GroupPartition] = []
        for tp in current.assigned.sorted() where !state.withLock({ $0.positions[tp] != nil }) {
            let start: Int64
            do {
                let p = try spool.partition(tp.topic, Int(tp.partition))
                let s = p.summary
                start = try spool.coordinator.startingOffset(group: group, partition: tp, logStart: s.logStartOffset,
                                                              logEnd: s.logEndOffset, reset: options.autoOffsetReset.policy)
            } catch let error as SpoolError where error.code == .unknownTopic || error.code == .unknownPartition {
                continue  // deleted under us; the next rebalance drops it
            } catch {
                throw SpoolError.wrap(error)
            }
            state.withLock { s in
                if s.positions[tp] == nil {
                    s.positions[tp] = start
                    s.fetchable.append(tp)
                    s.fetchable.sort()
                }
            }
            added.append(tp)
        }
        if !added.isEmpty { changes.yield(.assigned(added.map(Self.publicID))) }
    }

    /// One heartbeat: keeps the session, follows rebalances, enforces
    /// `maxPollInterval`, runs auto-commit.
    func heartbeatOnce() async {
        let now = spool.clock.nowMillis()
        let snapshot = state.withLock { s -> (String, Int32, Int64, Bool) in
            (s.memberID, s.generation, s.lastPollMillis, s.removed != nil || s.closed)
        }
        guard !snapshot.3 else { return }
        if now - snapshot.2 > Int64(options.maxPollIntervalMs) {
            try? spool.coordinator.leave(group: group, member: snapshot.0, permanently: true)
            markRemoved(SpoolError(.removedFromGroup,
                "consumer of group '\(group)' did not ask for records within maxPollInterval (\(options.maxPollIntervalMs) ms) and was removed; create a new consumer"))
            return
        }
        do {
            let hb = try spool.coordinator.heartbeat(group: group, member: snapshot.0, generation: snapshot.1)
            try await apply(generation: hb.generation, assignment: hb.assignment)
        } catch let error as CoordinatorError {
            await handleMembershipError(error)
        } catch {
            // A transient apply failure: the next heartbeat retries.
        }
        if let interval = options.autoCommitIntervalMs, now - state.withLock({ $0.lastAutoCommitMillis }) >= Int64(interval) {
            state.withLock { $0.lastAutoCommitMillis = now }
            try? await commit()
        }
    }

    /// Rejoins after a generation change; gives up when the member is gone.
    func handleMembershipError(_ error: CoordinatorError) async {
        switch error {
        case .staleGeneration:
            try? await rejoin()
        case .unknownMember, .fencedInstance, .groupNotFound:
            markRemoved(SpoolError(error))
        default:
            break
        }
    }

    func rejoin() async throws(SpoolError) {
        let memberID = state.withLock { $0.memberID }
        // A deleted topic drops out of the subscription; the rest keeps flowing.
        let existing = topics.filter { spool.topicExists($0) }
        guard !existing.isEmpty else {
            try? spool.coordinator.leave(group: group, member: memberID, permanently: true)
            let error = SpoolError(.unknownTopic, "every topic consumer of group '\(group)' subscribed to was deleted")
            markRemoved(error)
            throw error
        }
        let result: JoinResult
        do {
            result = try spool.coordinator.join(
                group: group, memberID: memberID, instanceID: options.instanceID, clientID: options.clientID,
                topics: existing, sessionTimeoutMs: Int32(options.sessionTimeoutMs),
                rebalanceTimeoutMs: Int32(min(options.maxPollIntervalMs, Int(Int32.max))), assignor: options.assignor.kind)
        } catch {
            if case .unknownMember = error { markRemoved(SpoolError(error)) }
            throw SpoolError(error)
        }
        state.withLock { $0.memberID = result.memberID }
        try await apply(generation: result.generation, assignment: result.assignment)
    }

    func markRemoved(_ error: SpoolError) {
        let lost = state.withLock { s -> [GroupPartition] in
            guard s.removed == nil else { return [] }
            s.removed = error
            let owned = s.fetchable
            s.fetchable = []
            s.positions = [:]
            return owned
        }
        if !lost.isEmpty { changes.yield(.lost(lost.map(Self.publicID))) }
        spool.logger.warning("consumer removed from group", metadata: ["group": "\(group)", "reason": "\(error.message)"])
    }

    func startHeartbeats() {
        let period = max(options.heartbeatIntervalMs, 1)
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(period))
                guard let self else { return }
                await self.heartbeatOnce()
            }
        }
        state.withLock { $0.heartbeat = task }
    }

    static func publicID(_ tp: GroupPartition) -> TopicPartitionID {
        TopicPartitionID(topic: tp.topic, partition: Int(tp.partition))
    }

    // MARK: - Close

    /// Commits (when auto-commit is on), leaves the group and stops. A static
    /// member keeps its partitions until its session timeout, so a restart
    /// of the same instance resumes without a rebalance. Idempotent.
    public func close() async throws {
        if options.autoCommitIntervalMs != nil, !state.withLock({ $0.closed || $0.removed != nil }) {
            try? await commit()
        }
        let (task, memberID, wasActive) = state.withLock { s -> (Task<Void, Never>?, String, Bool) in
            let active = !s.closed && s.removed == nil
            s.closed = true
            let t = s.heartbeat
            s.heartbeat = nil
            return (t, s.memberID, active)
        }
        task?.cancel()
        changes.finish()
        guard wasActive, !spool.isClosed else { return }
        do { try spool.coordinator.leave(group: group, member: memberID) } catch { throw SpoolError(error) }
    }
}

extension OffsetReset {
    var policy: OffsetResetPolicy {
        switch self {
        case .earliest: .earliest
        case .latest: .latest
        case .none: .none
        }
    }
}

extension Assignor {
    var kind: AssignorKind {
        switch self {
        case .range: .range
        case .roundRobin: .roundRobin
        case .sticky: .sticky
        }
    }
}
