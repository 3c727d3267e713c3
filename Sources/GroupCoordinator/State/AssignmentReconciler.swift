// SPDX-License-Identifier: Apache-2.0
// The cooperative hand-over: turns a target assignment plus what members own
// now into each member's assigned / revoking / pending sets.

/// Two-phase reconciliation (KIP-429 / KIP-848 style), used after every
/// assignor run and after every acknowledgement, leave or expiry.
///
/// For each member: owned ∩ target stays assigned; owned − target becomes
/// revoking; target − owned is granted at once unless another member still
/// owns it (revoking), in which case it is pending. A partition is therefore
/// never owned by two members at once, and a moved partition reaches its new
/// owner only after the old one acknowledged, left or expired.
package enum AssignmentReconciler {
    /// - Parameters:
    ///   - current: members that remain, with what they hold now. Members being
    ///     removed must be left out: their partitions are released.
    ///   - target: each remaining member's target; targets must be disjoint.
    ///   - exists: whether a partition still exists (deleted topics drop out
    ///     without a revocation, since nobody can consume them).
    /// - Returns: the new assignment of every member in `current`.
    package static func reconcile(
        current: [String: MemberAssignment],
        target: [String: Set<TopicPartition>],
        exists: (TopicPartition) -> Bool
    ) -> [String: MemberAssignment] {
        var kept = [String: Set<TopicPartition>](minimumCapacity: current.count)
        var revoking = [String: Set<TopicPartition>](minimumCapacity: current.count)
        var held = Set<TopicPartition>()
        for (memberID, assignment) in current {
            let owned = assignment.owned.filter(exists)
            let goal = target[memberID] ?? []
            let keep = owned.intersection(goal)
            let revoke = owned.subtracting(goal)
            kept[memberID] = keep
            revoking[memberID] = revoke
            held.formUnion(revoke)
        }
        var result = [String: MemberAssignment](minimumCapacity: current.count)
        for memberID in current.keys {
            let goal = (target[memberID] ?? []).filter(exists)
            let keep = kept[memberID] ?? []
            let wanted = goal.subtracting(keep)
            let waiting = wanted.intersection(held)
            result[memberID] = MemberAssignment(
                assigned: keep.union(wanted.subtracting(waiting)),
                revoking: revoking[memberID] ?? [],
                pending: waiting
            )
        }
        return result
    }
}
