// SPDX-License-Identifier: Apache-2.0
// The records of hard state change. Handlers emit them; persistence writes them
// in one transaction; `CoordinatorState.apply` applies them live and at replay.

/// One change of hard (persisted) group state.
///
/// Every mutating handler turns its request into a list of these. The list is
/// written in ONE transaction and only then applied in memory, by the same
/// `apply` that rebuilds state from the database at open, so memory never holds
/// a change the database does not (Kafka's `CoordinatorResult` records).
package enum GroupMutation: Hashable, Sendable {
    /// Creates the group or replaces its header.
    case groupUpserted(GroupRecord)
    /// Removes the group with its members, assignments and offsets.
    case groupDeleted(groupID: String)
    /// Adds a member or replaces its record (assignment untouched).
    case memberUpserted(groupID: String, MemberRecord)
    /// Removes a member and its assignment.
    case memberRemoved(groupID: String, memberID: String)
    /// Replaces a member's assignment (all three phases).
    case assignmentReplaced(groupID: String, memberID: String, MemberAssignment)
    /// Sets committed offsets; later entries for the same partition win.
    case offsetsCommitted(groupID: String, [OffsetCommit])
    /// Removes the group's committed offsets of one topic.
    case offsetsDeleted(groupID: String, topic: String)

    package var groupID: String {
        switch self {
        case .groupUpserted(let record): record.groupID
        case .groupDeleted(let id), .memberUpserted(let id, _), .memberRemoved(let id, _),
            .assignmentReplaced(let id, _, _), .offsetsCommitted(let id, _), .offsetsDeleted(let id, _):
            id
        }
    }
}
