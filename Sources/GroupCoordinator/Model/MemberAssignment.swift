// SPDX-License-Identifier: Apache-2.0
// One member's partitions in the cooperative (two-phase) assignment.

/// A member's partitions, split by phase.
///
/// - `assigned`: owned and part of the member's target: it may consume them.
/// - `revoking`: still owned but no longer in its target: it should commit and
///   stop consuming them, then acknowledge (`acknowledgeRevocation`).
/// - `pending`: in its target but still owned (revoking) by another member;
///   handed over once that member acknowledges, leaves or expires.
///
/// Target = assigned ∪ pending; owned = assigned ∪ revoking. The three sets are
/// disjoint (see the invariants in `GroupEntry`).
package struct MemberAssignment: Hashable, Sendable {
    package var assigned: Set<TopicPartition>
    package var revoking: Set<TopicPartition>
    package var pending: Set<TopicPartition>

    package init(
        assigned: Set<TopicPartition> = [], revoking: Set<TopicPartition> = [], pending: Set<TopicPartition> = []
    ) {
        self.assigned = assigned
        self.revoking = revoking
        self.pending = pending
    }

    package static let empty = MemberAssignment()

    package var target: Set<TopicPartition> { assigned.union(pending) }
    package var owned: Set<TopicPartition> { assigned.union(revoking) }
    package var isSettled: Bool { revoking.isEmpty && pending.isEmpty }
}
