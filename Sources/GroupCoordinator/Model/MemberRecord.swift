// SPDX-License-Identifier: Apache-2.0
// The persisted description of one group member (one row of `members`).

/// A member as persisted. Session deadlines are soft state and live elsewhere.
package struct MemberRecord: Hashable, Sendable {
    package var memberID: String
    /// Static membership id (`group.instance.id`); nil for a dynamic member.
    package var instanceID: String?
    package var clientID: String
    /// Subscribed topic names, sorted and without duplicates.
    package var subscription: [String]
    package var sessionTimeoutMs: Int32
    /// How long the member may take to acknowledge a revocation.
    package var rebalanceTimeoutMs: Int32
    /// The group generation this member (or its static predecessor) joined in.
    package var joinedGeneration: Int32

    package init(
        memberID: String, instanceID: String?, clientID: String, subscription: [String],
        sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32, joinedGeneration: Int32
    ) {
        self.memberID = memberID
        self.instanceID = instanceID
        self.clientID = clientID
        self.subscription = Array(Set(subscription)).sorted()
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.joinedGeneration = joinedGeneration
    }

    /// The key assignors order members by: the instance id when there is one
    /// (stable across restarts, as Kafka does), else the member id.
    package var sortKey: String { instanceID ?? memberID }
}
