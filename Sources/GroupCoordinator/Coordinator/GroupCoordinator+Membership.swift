// SPDX-License-Identifier: Apache-2.0
// Joining, heartbeating, acknowledging revocations, leaving and session expiry.

extension GroupCoordinator {
    // MARK: - Join

    /// Joins a member to a group, creating the group if needed.
    ///
    /// - A new member (no `memberID`, no known `instanceID`) gets a fresh id;
    ///   the generation is bumped and the group rebalances.
    /// - `memberID` of an existing member: refreshes its session and returns its
    ///   state; rebalances only if its subscription changed. This is how a
    ///   member catches up after `staleGeneration`.
    /// - `instanceID` of an existing static member (returning after a leave or
    ///   restart, or a second live process): the new member takes over the old
    ///   one's assignment under a new member id, WITHOUT a generation bump when
    ///   the subscription is the same; the old member id is fenced.
    ///
    /// - Throws: `unknownTopic`, `invalidJoin`, `inconsistentAssignor`,
    ///   `unknownMember`, `fencedInstance`, `persistence`.
    package func join(
        group groupID: String,
        memberID: String? = nil,
        instanceID: String? = nil,
        clientID: String,
        topics: [String],
        sessionTimeoutMs: Int32,
        rebalanceTimeoutMs: Int32,
        assignor: AssignorKind? = nil
    ) throws(CoordinatorError) -> JoinResult {
        guard !groupID.isEmpty else { throw .invalidJoin("empty group id") }
        guard !topics.isEmpty else { throw .invalidJoin("empty subscription") }
        guard sessionTimeoutMs >= configuration.minSessionTimeoutMs, sessionTimeoutMs <= configuration.maxSessionTimeoutMs else {
            throw .invalidJoin(
                "session timeout \(sessionTimeoutMs) ms outside [\(configuration.minSessionTimeoutMs), \(configuration.maxSessionTimeoutMs)]")
        }
        guard rebalanceTimeoutMs > 0 else { throw .invalidJoin("rebalance timeout \(rebalanceTimeoutMs) ms must be positive") }
        if let instanceID, instanceID.isEmpty { throw .invalidJoin("empty instance id") }
        let subscription = Array(Set(topics)).sorted()
        let newMemberID = Self.makeMemberID(clientID: clientID)

        var replaced: (memberID: String, instanceID: String)? = nil
        let result = try perform { (c, now) throws(CoordinatorError) -> Plan<JoinResult> in
            for topic in subscription where c.topics[topic] == nil { throw .unknownTopic(topic) }
            var planner: GroupPlanner
            if let entry = c.state.groups[groupID] {
                planner = GroupPlanner(entry: entry, now: now)
                if let assignor, assignor != entry.record.assignor {
                    guard entry.members.isEmpty else {
                        throw .inconsistentAssignor(group: groupID, groupUses: entry.record.assignor, requested: assignor)
                    }
                    planner.setAssignor(assignor)
                }
            } else {
                if let memberID { throw .unknownMember(group: groupID, memberID: memberID) }
                planner = GroupPlanner(newGroup: groupID, assignor: assignor ?? .default, now: now)
            }
            var effects = [SoftEffect]()
            let joinedID: String

            if let memberID {
                // A known member rejoining with its id.
                if let fenced = c.soft[groupID]?.fenced[memberID] {
                    throw .fencedInstance(group: groupID, memberID: memberID, instanceID: fenced.instanceID)
                }
                guard let existing = planner.entry.members[memberID] else {
                    throw .unknownMember(group: groupID, memberID: memberID)
                }
                if let instanceID, instanceID != existing.instanceID {
                    throw .invalidJoin("member \(memberID) has instance id \(existing.instanceID ?? "none"), not \(instanceID)")
                }
                var updated = existing
                updated.clientID = clientID
                updated.subscription = subscription
                updated.sessionTimeoutMs = sessionTimeoutMs
                updated.rebalanceTimeoutMs = rebalanceTimeoutMs
                if updated != existing { planner.emit(.memberUpserted(groupID: groupID, updated)) }
                if updated.subscription != existing.subscription {
                    planner.bumpGeneration()
                    planner.rebalance(topics: c.topics)
                }
                joinedID = memberID
            } else if let instanceID, let previous = planner.entry.members.values.first(where: { $0.instanceID == instanceID }) {
                // Static member returning (or a second process with the same
                // instance id): take over, fence the old id.
                let old = planner.entry.assignments[previous.memberID] ?? .empty
                let replacement = MemberRecord(
                    memberID: newMemberID, instanceID: instanceID, clientID: clientID, subscription: subscription,
                    sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs,
                    joinedGeneration: previous.joinedGeneration)
                planner.emit(.memberRemoved(groupID: groupID, memberID: previous.memberID))
                planner.emit(.memberUpserted(groupID: groupID, replacement))
                // The new incarnation does not hold what the old one was
                // revoking (and the old one can no longer commit): release it.
                planner.emit(
                    .assignmentReplaced(
                        groupID: groupID, memberID: newMemberID,
                        MemberAssignment(assigned: old.assigned, pending: old.pending)))
                if replacement.subscription != previous.subscription {
                    planner.bumpGeneration()
                    planner.rebalance(topics: c.topics)
                } else {
                    planner.settle(topics: c.topics)
                }
                effects.append(
                    .fence(
                        groupID: groupID, memberID: previous.memberID, instanceID: instanceID,
                        forgetAtMillis: now + 2 * Int64(max(previous.sessionTimeoutMs, sessionTimeoutMs))))
                replaced = (previous.memberID, instanceID)
                joinedID = newMemberID
            } else {
                planner.bumpGeneration()
                planner.emit(
                    .memberUpserted(
                        groupID: groupID,
                        MemberRecord(
                            memberID: newMemberID, instanceID: instanceID, clientID: clientID, subscription: subscription,
                            sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs,
                            joinedGeneration: planner.entry.record.generation)))
                planner.rebalance(topics: c.topics)
                joinedID = newMemberID
            }
            planner.finish()
            effects.append(.activate(groupID: groupID, memberID: joinedID))
            let result = JoinResult(
                memberID: joinedID, generation: planner.entry.record.generation,
                assignment: planner.entry.assignments[joinedID] ?? .empty, groupState: planner.entry.record.state)
            return Plan(mutations: planner.mutations, effects: effects, result: result)
        }
        if let replaced {
            logger.info(
                "static member replaced; the old member id is fenced",
                metadata: [
                    "group": "\(groupID)", "instance": "\(replaced.instanceID)", "old": "\(replaced.memberID)",
                    "new": "\(result.memberID)",
                ])
        }
        return result
    }

    // MARK: - Heartbeat and revocation

    /// Keeps a member's session alive and tells it its current assignment.
    /// Memory only: never writes to persistence.
    ///
    /// - Throws: `groupNotFound`, `unknownMember`, `fencedInstance`,
    ///   `staleGeneration` (then `join` again with the member id).
    package func heartbeat(group groupID: String, member memberID: String, generation: Int32) throws(CoordinatorError)
        -> HeartbeatResult
    {
        let now = clock.nowMillis()
        return try core.withLock { (c: inout Core) throws(CoordinatorError) -> HeartbeatResult in
            let (entry, member) = try Self.authorize(c, group: groupID, member: memberID, generation: generation)
            c.soft[groupID]?.sessions[memberID]?.presence = .active
            c.soft[groupID]?.sessions[memberID]?.deadlineMillis = now + Int64(member.sessionTimeoutMs)
            return HeartbeatResult(
                generation: entry.record.generation, assignment: entry.assignments[memberID] ?? .empty,
                groupState: entry.record.state)
        }
    }

    /// The member stopped consuming `partitions` (nil: everything it was
    /// revoking) and committed what it wanted to; they go to their new owners
    /// in the same transaction. Partitions it was not revoking are ignored.
    ///
    /// - Throws: as `heartbeat`, plus `persistence`.
    package func acknowledgeRevocation(
        group groupID: String, member memberID: String, generation: Int32, partitions: Set<TopicPartition>? = nil
    ) throws(CoordinatorError) -> HeartbeatResult {
        try perform { (c, now) throws(CoordinatorError) -> Plan<HeartbeatResult> in
            let (entry, _) = try Self.authorize(c, group: groupID, member: memberID, generation: generation)
            var planner = GroupPlanner(entry: entry, now: now)
            var assignment = entry.assignments[memberID] ?? .empty
            let released = partitions.map { assignment.revoking.intersection($0) } ?? assignment.revoking
            if !released.isEmpty {
                assignment.revoking.subtract(released)
                planner.emit(.assignmentReplaced(groupID: groupID, memberID: memberID, assignment))
                planner.settle(topics: c.topics)
            }
            planner.finish()
            let result = HeartbeatResult(
                generation: planner.entry.record.generation, assignment: planner.entry.assignments[memberID] ?? .empty,
                groupState: planner.entry.record.state)
            return Plan(mutations: planner.mutations, effects: [.activate(groupID: groupID, memberID: memberID)], result: result)
        }
    }

    // MARK: - Leave

    /// A member leaves.
    ///
    /// A dynamic member is removed at once: its partitions are released
    /// without waiting for an acknowledgement, the generation is bumped and the
    /// group rebalances. A static member (with an instance id) only departs: it
    /// keeps its assignment until its session timeout (measured from now), so
    /// a restart of the same instance gets its partitions back without a
    /// rebalance; `permanently: true` removes it like a dynamic member.
    ///
    /// - Throws: `groupNotFound`, `unknownMember`, `fencedInstance`, `persistence`.
    package func leave(group groupID: String, member memberID: String, permanently: Bool = false) throws(CoordinatorError) {
        try perform { (c, now) throws(CoordinatorError) -> Plan<Void> in
            let (entry, member) = try Self.authorize(c, group: groupID, member: memberID, generation: nil)
            if member.instanceID != nil, !permanently {
                return Plan(effects: [.depart(groupID: groupID, memberID: memberID)], result: ())
            }
            var planner = GroupPlanner(entry: entry, now: now)
            planner.emit(.memberRemoved(groupID: groupID, memberID: memberID))
            planner.bumpGeneration()
            planner.rebalance(topics: c.topics)
            planner.finish()
            return Plan(mutations: planner.mutations, result: ())
        }
    }

    // MARK: - Expiry

    /// Removes every member whose session deadline passed (no heartbeat, a
    /// static member that left and did not return, a member not back after a
    /// restart) or that did not acknowledge a revocation within its rebalance
    /// timeout. Each affected group gets one generation bump and a rebalance;
    /// all groups are written in one transaction.
    ///
    /// - Parameter now: the time to judge deadlines by (default: the clock).
    /// - Returns: the removed members.
    @discardableResult
    package func expireSessions(now: Int64? = nil) throws(CoordinatorError) -> [ExpiredMember] {
        let cutoff = now ?? clock.nowMillis()
        core.withLock { c in
            for groupID in Array(c.soft.keys) {
                guard var soft = c.soft[groupID] else { continue }
                soft.fenced = soft.fenced.filter { $0.value.forgetAtMillis > cutoff }
                c.soft[groupID] = soft
            }
        }
        let expired = try perform { (c, clockNow) throws(CoordinatorError) -> Plan<[ExpiredMember]> in
            let judgedAt = now ?? clockNow
            var mutations = [GroupMutation]()
            var expired = [ExpiredMember]()
            for groupID in c.state.groups.keys.sorted() {
                guard let entry = c.state.groups[groupID], let soft = c.soft[groupID] else { continue }
                var removed = [ExpiredMember]()
                for memberID in entry.members.keys.sorted() {
                    guard let session = soft.sessions[memberID], let member = entry.members[memberID] else { continue }
                    let reason: ExpiredMember.Reason
                    if judgedAt > session.deadlineMillis {
                        reason = .sessionTimeout
                    } else if let revocationDeadline = session.revocationDeadlineMillis, judgedAt > revocationDeadline {
                        reason = .revocationTimeout
                    } else {
                        continue
                    }
                    removed.append(ExpiredMember(groupID: groupID, memberID: memberID, instanceID: member.instanceID, reason: reason))
                }
                guard !removed.isEmpty else { continue }
                var planner = GroupPlanner(entry: entry, now: clockNow)
                for member in removed { planner.emit(.memberRemoved(groupID: groupID, memberID: member.memberID)) }
                planner.bumpGeneration()
                planner.rebalance(topics: c.topics)
                planner.finish()
                mutations += planner.mutations
                expired += removed
            }
            return Plan(mutations: mutations, result: expired)
        }
        for member in expired {
                logger.info(
                    "member expired",
                metadata: ["group": "\(member.groupID)", "member": "\(member.memberID)", "reason": "\(member.reason)"])
        }
        return expired
    }

    // MARK: - Member ids

    /// `<clientID>-<16 random hex digits>`; ids are persisted, so replay never
    /// needs to regenerate one.
    static func makeMemberID(clientID: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = String(generator.next() as UInt64, radix: 16)
        let hex = String(repeating: "0", count: 16 - raw.count) + raw
        return "\(clientID.isEmpty ? "member" : clientID)-\(hex)"
    }
}
