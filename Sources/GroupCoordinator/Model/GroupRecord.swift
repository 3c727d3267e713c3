// SPDX-License-Identifier: Apache-2.0
// The persisted header of a group (one row of `groups`).

/// A group's persisted header.
package struct GroupRecord: Hashable, Sendable {
    package var groupID: String
    /// Bumped by every change of membership or of a subscribed topic's partition
    /// count; commits and heartbeats must carry the current value.
    package var generation: Int32
    package var assignor: AssignorKind
    package var state: GroupState
    package var createdAtMillis: Int64
    /// Time of the last generation change (Kafka's `currentStateTimestamp`).
    package var updatedAtMillis: Int64

    package init(
        groupID: String, generation: Int32, assignor: AssignorKind, state: GroupState,
        createdAtMillis: Int64, updatedAtMillis: Int64
    ) {
        self.groupID = groupID
        self.generation = generation
        self.assignor = assignor
        self.state = state
        self.createdAtMillis = createdAtMillis
        self.updatedAtMillis = updatedAtMillis
    }
}
