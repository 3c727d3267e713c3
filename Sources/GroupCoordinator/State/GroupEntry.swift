// SPDX-License-Identifier: Apache-2.0
// The hard (persisted) state of one group, and how a mutation changes it.

// MARK: Invariants
// I1 Owned sets (assigned ∪ revoking) of different members are disjoint: a
//    partition has at most one owner.
// I2 Target sets (assigned ∪ pending) of different members are disjoint.
// I3 A pending partition is revoking at some other member (else it would have
//    been granted): `AssignmentReconciler` re-establishes this after every change.
// I4 Within one member assigned, revoking and pending are disjoint.
// I5 Every member has an entry in `assignments` (possibly empty).
// I6 `record.state` equals `derivedState` after every handler.
// Handlers keep I1–I6; `apply` trusts its input so that replay reproduces
// exactly what was written, and `checkInvariants()` verifies in tests.

/// One group's hard state. A value type: handlers plan on a copy, and the
/// coordinator replaces its copy only after the transaction committed.
package struct GroupEntry: Hashable, Sendable {
    package var record: GroupRecord
    package var members: [String: MemberRecord] = [:]
    package var assignments: [String: MemberAssignment] = [:]
    package var offsets: [TopicPartition: CommittedOffset] = [:]

    package init(record: GroupRecord) {
        self.record = record
    }

    /// Applies one mutation addressed to this group (not `groupDeleted`, which
    /// `CoordinatorState` handles). Unknown members are ignored rather than
    /// trapped on, so a damaged database cannot crash replay.
    package mutating func apply(_ mutation: GroupMutation) {
        switch mutation {
        case .groupUpserted(let newRecord):
            record = newRecord
        case .groupDeleted:
            break
        case .memberUpserted(_, let member):
            members[member.memberID] = member
            if assignments[member.memberID] == nil { assignments[member.memberID] = .empty }
        case .memberRemoved(_, let memberID):
            members[memberID] = nil
            assignments[memberID] = nil
        case .assignmentReplaced(_, let memberID, let assignment):
            guard members[memberID] != nil else { return }
            assignments[memberID] = assignment
        case .offsetsCommitted(_, let commits):
            for commit in commits { offsets[commit.partition] = commit.committed }
        case .offsetsDeleted(_, let topic):
            offsets = offsets.filter { $0.key.topic != topic }
        }
    }

    /// The state the group is in given its members and assignments (keeps I6).
    package var derivedState: GroupState {
        if members.isEmpty { return .empty }
        return assignments.values.allSatisfy(\.isSettled) ? .stable : .reconciling
    }

    /// Members with their current targets, in the assignor's input form.
    package func assignorMembers() -> [AssignorMember] {
        members.values.map { member in
            AssignorMember(
                memberID: member.memberID, sortKey: member.sortKey, subscription: Set(member.subscription),
                current: assignments[member.memberID]?.target ?? [])
        }
    }

    /// Every topic some member subscribes to.
    package var subscribedTopics: Set<String> {
        var topics = Set<String>()
        for member in members.values { topics.formUnion(member.subscription) }
        return topics
    }

    /// The distinct subscriptions when members disagree (two services sharing
    /// one group id), each with its members; nil when all agree.
    package var subscriptionConflict: [SubscriptionVariant]? {
        var bySubscription = [[String]: [String]]()
        for member in members.values { bySubscription[member.subscription, default: []].append(member.memberID) }
        guard bySubscription.count > 1 else { return nil }
        return bySubscription.map { SubscriptionVariant(topics: $0.key, memberIDs: $0.value.sorted()) }
            .sorted { $0.topics.lexicographicallyPrecedes($1.topics) }
    }

    /// Violations of I1–I6, empty when the entry is consistent.
    package func checkInvariants() -> [String] {
        var problems = [String]()
        var owners = [TopicPartition: String]()
        var targets = [TopicPartition: String]()
        var revokingAnywhere = Set<TopicPartition>()
        for (memberID, a) in assignments { revokingAnywhere.formUnion(a.revoking); _ = memberID }
        for memberID in members.keys.sorted() {
            guard let a = assignments[memberID] else {
                problems.append("I5: member \(memberID) has no assignment")
                continue
            }
            if !a.assigned.isDisjoint(with: a.revoking) || !a.assigned.isDisjoint(with: a.pending)
                || !a.revoking.isDisjoint(with: a.pending)
            {
                problems.append("I4: phases of \(memberID) overlap")
            }
            for p in a.owned {
                if let other = owners.updateValue(memberID, forKey: p) { problems.append("I1: \(p) owned by \(other) and \(memberID)") }
            }
            for p in a.target {
                if let other = targets.updateValue(memberID, forKey: p) { problems.append("I2: \(p) targeted to \(other) and \(memberID)") }
            }
            for p in a.pending where !revokingAnywhere.contains(p) { problems.append("I3: \(p) pending at \(memberID) but revoked by nobody") }
        }
        for memberID in assignments.keys where members[memberID] == nil { problems.append("I5: assignment for non-member \(memberID)") }
        if record.state != derivedState { problems.append("I6: state \(record.state) but derived \(derivedState)") }
        return problems
    }
}

/// One of the distinct subscriptions inside a group.
package struct SubscriptionVariant: Hashable, Sendable {
    package var topics: [String]
    package var memberIDs: [String]

    package init(topics: [String], memberIDs: [String]) {
        self.topics = topics
        self.memberIDs = memberIDs
    }
}
