// SPDX-License-Identifier: Apache-2.0
// Read-only views for the CLI and the public API: describe, list; plus delete.

extension GroupCoordinator {
    /// Everything about one group: members (with presence and deadlines),
    /// assignment phases, committed offsets, lag against the end offsets the
    /// caller hands in (the coordinator never reads logs), and the
    /// shared-group-id warning.
    ///
    /// - Throws: `groupNotFound`.
    package func describe(group groupID: String, endOffsets: [TopicPartition: Int64] = [:]) throws(CoordinatorError)
        -> GroupDescription
    {
        try core.withLock { (c: inout Core) throws(CoordinatorError) -> GroupDescription in
            guard let entry = c.state.groups[groupID] else { throw .groupNotFound(group: groupID) }
            let soft = c.soft[groupID] ?? GroupSoftState()
            var owners = [TopicPartition: String]()
            let members = entry.members.keys.sorted().compactMap { memberID -> MemberDescription? in
                guard let member = entry.members[memberID] else { return nil }
                let assignment = entry.assignments[memberID] ?? .empty
                for p in assignment.owned { owners[p] = memberID }
                let session = soft.sessions[memberID]
                return MemberDescription(
                    memberID: memberID, instanceID: member.instanceID, clientID: member.clientID,
                    subscription: member.subscription, sessionTimeoutMs: member.sessionTimeoutMs,
                    rebalanceTimeoutMs: member.rebalanceTimeoutMs, joinedGeneration: member.joinedGeneration,
                    assigned: assignment.assigned.sorted(), revoking: assignment.revoking.sorted(),
                    pending: assignment.pending.sorted(), presence: session?.presence ?? .active,
                    sessionDeadlineMillis: session?.deadlineMillis ?? 0)
            }
            var partitions = Set(entry.offsets.keys)
            for topic in entry.subscribedTopics.union(entry.offsets.keys.map(\.topic)) {
                for p in 0..<max(0, c.topics[topic] ?? 0) { partitions.insert(TopicPartition(topic, p)) }
            }
            let rows = partitions.sorted().map { tp in
                let committed = entry.offsets[tp]
                let end = endOffsets[tp]
                var lag: Int64? = nil
                if let committed, let end { lag = max(0, end - committed.offset) }
                return PartitionDescription(partition: tp, owner: owners[tp], committed: committed, endOffset: end, lag: lag)
            }
            return GroupDescription(
                groupID: groupID, state: entry.record.state, generation: entry.record.generation,
                assignor: entry.record.assignor, createdAtMillis: entry.record.createdAtMillis,
                updatedAtMillis: entry.record.updatedAtMillis, members: members, partitions: rows,
                subscriptionConflict: entry.subscriptionConflict)
        }
    }

    /// Every group, sorted by id.
    package func listGroups() -> [GroupListing] {
        core.withLock { c in
            c.state.groups.keys.sorted().compactMap { groupID in
                c.state.groups[groupID].map {
                    GroupListing(
                        groupID: groupID, state: $0.record.state, generation: $0.record.generation,
                        assignor: $0.record.assignor, memberCount: $0.members.count)
                }
            }
        }
    }

    /// Deletes a group with its members, assignments and committed offsets.
    /// Refused while it has live members.
    ///
    /// - Throws: `groupNotFound`, `groupNotEmpty`, `persistence`.
    package func deleteGroup(_ groupID: String) throws(CoordinatorError) {
        try perform { (c, _) throws(CoordinatorError) -> Plan<Void> in
            guard c.state.groups[groupID] != nil else { throw .groupNotFound(group: groupID) }
            let live = Self.liveMemberCount(c, group: groupID)
            guard live == 0 else { throw .groupNotEmpty(group: groupID, liveMembers: live) }
            return Plan(mutations: [.groupDeleted(groupID: groupID)], result: ())
        }
    }
}
