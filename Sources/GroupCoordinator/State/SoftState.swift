// SPDX-License-Identifier: Apache-2.0
// Soft state: session deadlines, presence, fenced ids. Never persisted;
// rebuilt at open (every member "awaiting rejoin").

// MARK: Invariants
// I1 After every transaction, each member of a group has exactly one session
//    and no session belongs to a non-member (`GroupCoordinator.afterApply`).
// I2 `revocationDeadlineMillis` is set iff the member has partitions revoking.
// I3 Nothing here is ever persisted: losing it at a restart is by design.

/// Whether a member is heard from.
package enum MemberPresence: Hashable, Sendable {
    /// Heartbeating (or just joined).
    case active
    /// Not heard from since the coordinator reopened; keeps its assignment and
    /// may resume (heartbeat, commit or join) until its session deadline.
    case awaitingRejoinAfterRestart
    /// A static member that left; keeps its assignment until its session
    /// deadline; only a join with its instance id brings it back.
    case departed
}

/// One member's soft state.
package struct MemberSession: Hashable, Sendable {
    package var presence: MemberPresence
    /// Past this time (ms) `expireSessions` removes the member.
    package var deadlineMillis: Int64
    /// Set while the member has partitions to revoke: past it the member is removed.
    package var revocationDeadlineMillis: Int64?
}

/// One group's soft state.
package struct GroupSoftState: Sendable {
    package var sessions: [String: MemberSession] = [:]
    /// Member ids replaced by a newer member with the same instance id, with
    /// the time after which they are forgotten (then they get `unknownMember`).
    package var fenced: [String: (instanceID: String, forgetAtMillis: Int64)] = [:]
    /// The generation the shared-group-id warning was last logged for.
    package var warnedGeneration: Int32?
}

/// Soft effects a handler asks for once its transaction committed.
package enum SoftEffect: Sendable {
    /// (Re)start the member's session: active, deadline = now + session timeout.
    case activate(groupID: String, memberID: String)
    /// A static member left: departed, deadline = now + session timeout.
    case depart(groupID: String, memberID: String)
    /// `memberID` was replaced by a newer member with `instanceID`.
    case fence(groupID: String, memberID: String, instanceID: String, forgetAtMillis: Int64)
}
