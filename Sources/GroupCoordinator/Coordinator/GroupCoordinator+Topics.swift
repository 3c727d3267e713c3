// SPDX-License-Identifier: Apache-2.0
// Keeping groups in line with the topic catalog: partition count changes and
// topic deletion bump the generation of every group that subscribes.

extension GroupCoordinator {
    /// A topic was created or its partition count grew. Every group with a
    /// member subscribed to it gets a new generation and a rebalance.
    package func topicPartitionCountChanged(topic: String, count: Int32) throws(CoordinatorError) {
        try realign { $0[topic] = count }
    }

    /// A topic was deleted: subscribed groups rebalance without its partitions
    /// (no revocation wait: nobody can consume them), and every group's
    /// committed offsets of the topic are deleted, in one transaction.
    package func topicDeleted(topic: String) throws(CoordinatorError) {
        try realign(deletedTopic: topic) { $0[topic] = nil }
    }

    /// Replaces the catalog and rebalances every group whose targets do not
    /// cover exactly the existing partitions of its subscribed topics. The
    /// catalog is updated even if the transaction fails (it mirrors the
    /// catalog, which already changed); the groups then stay out of line
    /// until the next call or reopen, which repeats the check.
    package func syncTopics(_ topics: [String: Int32]) throws(CoordinatorError) {
        try realign { $0 = topics }
    }

    /// Edits the catalog and realigns groups, under the writer lock so that
    /// concurrent catalog changes cannot lose each other's edits.
    private func realign(
        deletedTopic: String? = nil, _ edit: @escaping (inout [String: Int32]) -> Void
    ) throws(CoordinatorError) {
        try perform(prepare: { edit(&$0.topics) }) { (c, now) throws(CoordinatorError) -> Plan<Void> in
            var mutations = [GroupMutation]()
            for groupID in c.state.groups.keys.sorted() {
                guard let entry = c.state.groups[groupID] else { continue }
                var planner = GroupPlanner(entry: entry, now: now)
                if !entry.members.isEmpty && !Self.targetsMatchCatalog(entry, topics: c.topics) {
                    planner.bumpGeneration()
                    planner.rebalance(topics: c.topics)
                }
                if let deletedTopic, entry.offsets.keys.contains(where: { $0.topic == deletedTopic }) {
                    planner.emit(.offsetsDeleted(groupID: groupID, topic: deletedTopic))
                }
                planner.finish()
                mutations += planner.mutations
            }
            return Plan(mutations: mutations, result: ())
        }
    }

    /// Whether the union of the members' targets is exactly every partition of
    /// every subscribed topic that exists.
    static func targetsMatchCatalog(_ entry: GroupEntry, topics: [String: Int32]) -> Bool {
        var expected = 0
        for topic in entry.subscribedTopics { expected += Int(max(0, topics[topic] ?? 0)) }
        var seen = 0
        for assignment in entry.assignments.values {
            for p in assignment.target {
                guard p.partition >= 0, p.partition < (topics[p.topic] ?? 0) else { return false }
                seen += 1
            }
        }
        // Targets are disjoint (I2), so equal counts of existing partitions mean equal sets.
        return seen == expected
    }
}
