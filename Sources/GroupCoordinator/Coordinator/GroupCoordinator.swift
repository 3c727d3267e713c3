// SPDX-License-Identifier: Apache-2.0
// The group coordinator: membership, assignment, fencing and offsets of every
// consumer group, persisted through a `GroupPersistence` and rebuilt at open.
import Logging
import Synchronization

// MARK: Invariants
// I1 Memory holds no hard-state change that persistence has not committed:
//    every mutating handler plans → persists (one transaction) → applies, in
//    that order, all under `writer` (see `perform`).
// I2 `core.state` equals replaying everything persisted (`apply` is the same
//    function for both), so a coordinator reopened from the same storage has
//    the same hard state (`snapshot()` ==).
// I3 Lock order: `writer` before `core`; `commits` is never held while taking
//    either. Heartbeats, reads and describe take only `core`.
// I4 Soft state (sessions, presence, fenced ids) is never persisted; at open
//    every member is `awaitingRejoinAfterRestart` with deadline open + timeout.

/// Coordinates consumer groups. One per data directory, shared by all tasks.
///
/// Thread-safe: hard and soft state sit behind a `Mutex`; writes are
/// serialized by a second one that owns the persistence. Synchronous handlers
/// block while a transaction (an fsync) is in flight; `commitOffsets` is async
/// and coalesces concurrent commits into one transaction (group commit).
///
/// Request flow for a member: `join` → consume `assigned` → `heartbeat` every
/// few seconds (learns new partitions and revocations) → `commitOffsets` →
/// on `revoking`: commit, stop, `acknowledgeRevocation` → `leave`. On
/// `staleGeneration`, `join` again with the member id (cheap: no rebalance
/// unless the subscription changed).
package final class GroupCoordinator: Sendable {
    package struct Configuration: Sendable {
        /// Smallest session timeout a join may ask for (Kafka's broker minimum
        /// is 6000; tests use small values with a manual clock).
        package var minSessionTimeoutMs: Int32 = 1
        /// Largest session timeout (Kafka `group.max.session.timeout.ms`).
        package var maxSessionTimeoutMs: Int32 = 1_800_000

        package init(minSessionTimeoutMs: Int32 = 1, maxSessionTimeoutMs: Int32 = 1_800_000) {
            self.minSessionTimeoutMs = minSessionTimeoutMs
            self.maxSessionTimeoutMs = maxSessionTimeoutMs
        }
    }

    struct Core: Sendable {
        var state: CoordinatorState
        var soft: [String: GroupSoftState]
        /// Partition count per topic, as the catalog says (handed in by the caller).
        var topics: [String: Int32]
    }

    struct Writer {
        var persistence: any GroupPersistence
    }

    /// What a handler decided: mutations to persist, soft effects for after, its answer.
    struct Plan<Result: Sendable>: Sendable {
        var mutations: [GroupMutation] = []
        var effects: [SoftEffect] = []
        var result: Result
    }

    let clock: any CoordinatorClock
    let logger: Logger
    let configuration: Configuration
    let core: Mutex<Core>
    let writer: Mutex<Writer>
    let commits = Mutex(CommitQueue())

    /// Opens the coordinator: replays persisted state, marks every member
    /// awaiting rejoin (deadline = now + its session timeout), then
    /// rebalances groups whose assignment no longer matches `topics` (a crash
    /// between a catalog change and the coordinator's transaction).
    ///
    /// - Parameters:
    ///   - persistence: where hard state lives; owned by the coordinator from now on.
    ///   - topics: every topic with its partition count.
    /// - Throws: `.persistence` if loading or the topic reconciliation fails.
    package init(
        persistence: sending any GroupPersistence,
        topics: [String: Int32],
        clock: any CoordinatorClock = SystemCoordinatorClock(),
        logger: Logger = Logger(label: "spool.groups"),
        configuration: Configuration = Configuration()
    ) throws(CoordinatorError) {
        let loaded: [GroupMutation]
        do { loaded = try persistence.loadAll() } catch { throw .persistence(error) }
        var state = CoordinatorState()
        state.apply(loaded)
        let now = clock.nowMillis()
        var soft = [String: GroupSoftState]()
        for (groupID, entry) in state.groups {
            var groupSoft = GroupSoftState()
            for member in entry.members.values {
                let revoking = !(entry.assignments[member.memberID]?.revoking.isEmpty ?? true)
                groupSoft.sessions[member.memberID] = MemberSession(
                    presence: .awaitingRejoinAfterRestart,
                    deadlineMillis: now + Int64(member.sessionTimeoutMs),
                    revocationDeadlineMillis: revoking ? now + Int64(member.rebalanceTimeoutMs) : nil)
            }
            soft[groupID] = groupSoft
        }
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        self.core = Mutex(Core(state: state, soft: soft, topics: topics))
        self.writer = Mutex(Writer(persistence: persistence))
        logger.info(
            "group state rebuilt",
            metadata: ["groups": "\(state.groups.count)", "members": "\(state.groups.values.reduce(0) { $0 + $1.members.count })"])
        try syncTopics(topics)
    }

    // MARK: - Reading

    /// The hard state (what a reopen from the same storage rebuilds).
    package func snapshot() -> CoordinatorState {
        core.withLock { $0.state }
    }

    /// The topic catalog as the coordinator knows it.
    package var topics: [String: Int32] { core.withLock { $0.topics } }

    // MARK: - The write path

    /// Plans under `core`, persists under `writer`, then applies and runs soft
    /// effects under `core` (keeps I1, I3). A failed transaction throws
    /// `.persistence` and leaves memory untouched.
    ///
    /// `prepare` edits soft inputs (the topic catalog) under the same locks,
    /// before planning; it runs even if the transaction then fails.
    func perform<R: Sendable>(
        prepare: ((inout Core) -> Void)? = nil,
        _ plan: (Core, Int64) throws(CoordinatorError) -> Plan<R>
    ) throws(CoordinatorError) -> R {
        try writer.withLock { (writer: inout Writer) throws(CoordinatorError) -> R in
            let now = clock.nowMillis()
            let planned = try core.withLock { (c: inout Core) throws(CoordinatorError) -> Plan<R> in
                prepare?(&c)
                return try plan(c, now)
            }
            if !planned.mutations.isEmpty {
                do { try writer.persistence.persist(planned.mutations) } catch { throw .persistence(error) }
            }
            core.withLock { c in
                c.state.apply(planned.mutations)
                afterApply(&c, mutations: planned.mutations, effects: planned.effects, now: now)
            }
            return planned.result
        }
    }

    /// Brings soft state in line with hard state for the groups a transaction
    /// touched, runs the handler's soft effects, and logs the shared-group-id
    /// warning once per generation.
    func afterApply(_ c: inout Core, mutations: [GroupMutation], effects: [SoftEffect], now: Int64) {
        var touched = Set<String>()
        for mutation in mutations { touched.insert(mutation.groupID) }
        for effect in effects {
            switch effect {
            case .activate(let g, _), .depart(let g, _), .fence(let g, _, _, _): touched.insert(g)
            }
        }
        for groupID in touched.sorted() {
            guard let entry = c.state.groups[groupID] else {
                c.soft[groupID] = nil
                continue
            }
            var soft = c.soft[groupID] ?? GroupSoftState()
            for memberID in soft.sessions.keys where entry.members[memberID] == nil { soft.sessions[memberID] = nil }
            for member in entry.members.values {
                var session =
                    soft.sessions[member.memberID]
                    ?? MemberSession(presence: .active, deadlineMillis: now + Int64(member.sessionTimeoutMs))
                if entry.assignments[member.memberID]?.revoking.isEmpty ?? true {
                    session.revocationDeadlineMillis = nil
                } else if session.revocationDeadlineMillis == nil {
                    session.revocationDeadlineMillis = now + Int64(member.rebalanceTimeoutMs)
                }
                soft.sessions[member.memberID] = session
            }
            c.soft[groupID] = soft
        }
        for effect in effects {
            switch effect {
            case .activate(let groupID, let memberID):
                guard let member = c.state.groups[groupID]?.members[memberID] else { continue }
                c.soft[groupID]?.sessions[memberID]?.presence = .active
                c.soft[groupID]?.sessions[memberID]?.deadlineMillis = now + Int64(member.sessionTimeoutMs)
            case .depart(let groupID, let memberID):
                guard let member = c.state.groups[groupID]?.members[memberID] else { continue }
                c.soft[groupID]?.sessions[memberID]?.presence = .departed
                c.soft[groupID]?.sessions[memberID]?.deadlineMillis = now + Int64(member.sessionTimeoutMs)
            case .fence(let groupID, let memberID, let instanceID, let forgetAt):
                c.soft[groupID]?.fenced[memberID] = (instanceID, forgetAt)
            }
        }
        for groupID in touched.sorted() {
            guard let entry = c.state.groups[groupID], let conflict = entry.subscriptionConflict,
                c.soft[groupID]?.warnedGeneration != entry.record.generation
            else { continue }
            c.soft[groupID]?.warnedGeneration = entry.record.generation
            let variants = conflict.map { "[\($0.topics.joined(separator: ","))] by \($0.memberIDs.joined(separator: ","))" }
            logger.warning(
                "members of one group subscribe to different topics; two applications may be sharing a group id and silently splitting partitions",
                metadata: [
                    "group": "\(groupID)", "generation": "\(entry.record.generation)",
                    "subscriptions": "\(variants.joined(separator: "; "))",
                ])
        }
    }

    // MARK: - Fencing

    /// The member a request comes from, if it may act in `generation` (or any
    /// generation when `generation` is nil).
    static func authorize(
        _ c: Core, group groupID: String, member memberID: String, generation: Int32?
    ) throws(CoordinatorError) -> (GroupEntry, MemberRecord) {
        guard let entry = c.state.groups[groupID] else { throw .groupNotFound(group: groupID) }
        if let fenced = c.soft[groupID]?.fenced[memberID] {
            throw .fencedInstance(group: groupID, memberID: memberID, instanceID: fenced.instanceID)
        }
        guard let member = entry.members[memberID],
            c.soft[groupID]?.sessions[memberID]?.presence != .departed
        else { throw .unknownMember(group: groupID, memberID: memberID) }
        if let generation, generation != entry.record.generation {
            throw .staleGeneration(group: groupID, given: generation, current: entry.record.generation)
        }
        return (entry, member)
    }
}
