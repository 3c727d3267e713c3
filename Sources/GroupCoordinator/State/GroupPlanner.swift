// SPDX-License-Identifier: Apache-2.0
// Plans a handler's mutations for one group on a private copy of its state.

/// Builds a handler's list of mutations. Each emitted mutation is applied at
/// once to the planner's copy with the real `apply`, so later planning steps
/// see their effect, and the final copy is exactly what memory will hold
/// after the transaction commits.
struct GroupPlanner {
    private(set) var entry: GroupEntry
    private(set) var mutations: [GroupMutation] = []
    private var headerDirty = false
    let now: Int64

    /// Plans on an existing group.
    init(entry: GroupEntry, now: Int64) {
        self.entry = entry
        self.now = now
    }

    /// Plans on a group that does not exist yet; emits its creation first so
    /// that rows referencing it are written after it.
    init(newGroup groupID: String, assignor: AssignorKind, now: Int64) {
        let record = GroupRecord(
            groupID: groupID, generation: 0, assignor: assignor, state: .empty,
            createdAtMillis: now, updatedAtMillis: now)
        self.entry = GroupEntry(record: record)
        self.now = now
        emit(.groupUpserted(record))
    }

    var groupID: String { entry.record.groupID }

    mutating func emit(_ mutation: GroupMutation) {
        mutations.append(mutation)
        entry.apply(mutation)
    }

    /// A membership or partition-count change: the next generation.
    mutating func bumpGeneration() {
        entry.record.generation &+= 1
        entry.record.updatedAtMillis = now
        headerDirty = true
    }

    mutating func setAssignor(_ assignor: AssignorKind) {
        guard entry.record.assignor != assignor else { return }
        entry.record.assignor = assignor
        headerDirty = true
    }

    /// Runs the group's assignor and reconciles toward its result.
    mutating func rebalance(topics: [String: Int32]) {
        var counts = [String: Int32]()
        for topic in entry.subscribedTopics { counts[topic] = topics[topic] ?? 0 }
        let target = entry.record.assignor.assignor.assign(members: entry.assignorMembers(), partitionCounts: counts)
        reconcile(toward: target, topics: topics)
    }

    /// Reconciles toward the current targets: grants partitions that were
    /// released (acknowledged, left, expired) to the members waiting for them.
    mutating func settle(topics: [String: Int32]) {
        reconcile(toward: entry.assignments.mapValues(\.target), topics: topics)
    }

    private mutating func reconcile(toward target: [String: Set<TopicPartition>], topics: [String: Int32]) {
        let next = AssignmentReconciler.reconcile(current: entry.assignments, target: target) { p in
            p.partition >= 0 && p.partition < (topics[p.topic] ?? 0)
        }
        for memberID in next.keys.sorted() {
            guard let assignment = next[memberID], assignment != entry.assignments[memberID] else { continue }
            emit(.assignmentReplaced(groupID: groupID, memberID: memberID, assignment))
        }
    }

    /// Emits the header if it changed (generation, assignor, derived state; keeps I6).
    mutating func finish() {
        let state = entry.derivedState
        if state != entry.record.state {
            entry.record.state = state
            headerDirty = true
        }
        if headerDirty {
            emit(.groupUpserted(entry.record))
            headerDirty = false
        }
    }
}
