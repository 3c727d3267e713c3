// SPDX-License-Identifier: Apache-2.0
// The contract every server-side assignor meets, and its input.

/// What an assignor knows about one member.
package struct AssignorMember: Sendable, Hashable {
    package var memberID: String
    /// Ordering key (instance id if static, else member id); ties broken by member id.
    package var sortKey: String
    package var subscription: Set<String>
    /// The member's current target (assigned ∪ pending); only `sticky` reads it.
    package var current: Set<TopicPartition>

    package init(memberID: String, sortKey: String? = nil, subscription: Set<String>, current: Set<TopicPartition> = []) {
        self.memberID = memberID
        self.sortKey = sortKey ?? memberID
        self.subscription = subscription
        self.current = current
    }
}

/// Computes a group's target assignment. Pure and deterministic: the same
/// input gives the same output on every run (no dictionary iteration order).
///
/// Every assignor guarantees, for the returned map:
/// - it has one entry per input member (possibly empty);
/// - each partition `0..<count` of each topic some member subscribes to goes to
///   exactly one member;
/// - a member only gets partitions of topics it subscribes to.
package protocol PartitionAssignor: Sendable {
    var kind: AssignorKind { get }
    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>]
}

extension PartitionAssignor {
    /// Members in assignor order.
    static func ordered(_ members: [AssignorMember]) -> [AssignorMember] {
        members.sorted { $0.sortKey != $1.sortKey ? $0.sortKey < $1.sortKey : $0.memberID < $1.memberID }
    }

    /// Every topic some member subscribes to, sorted.
    static func subscribedTopics(_ members: [AssignorMember]) -> [String] {
        var topics = Set<String>()
        for member in members { topics.formUnion(member.subscription) }
        return topics.sorted()
    }
}
