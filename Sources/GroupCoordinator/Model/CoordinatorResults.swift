// SPDX-License-Identifier: Apache-2.0
// What the coordinator's handlers return.

/// The answer to `join`.
package struct JoinResult: Hashable, Sendable {
    /// Use this id in every later call (a static member gets a new one per join).
    package var memberID: String
    /// Carry this generation in heartbeats and commits.
    package var generation: Int32
    package var assignment: MemberAssignment
    package var groupState: GroupState
}

/// The answer to `heartbeat` and `acknowledgeRevocation`.
package struct HeartbeatResult: Hashable, Sendable {
    package var generation: Int32
    /// Consume `assigned`; finish, commit and acknowledge `revoking`;
    /// `pending` arrives once other members release it.
    package var assignment: MemberAssignment
    package var groupState: GroupState
}

/// An offset and its metadata, as a member commits them.
package struct OffsetAndMetadata: Hashable, Sendable {
    /// Next offset to consume (last processed + 1).
    package var offset: Int64
    package var metadata: String

    package init(_ offset: Int64, metadata: String = "") {
        self.offset = offset
        self.metadata = metadata
    }
}

/// A member removed by `expireSessions`.
package struct ExpiredMember: Hashable, Sendable {
    package enum Reason: Hashable, Sendable {
        /// No heartbeat within the session timeout.
        case sessionTimeout
        /// Did not acknowledge a revocation within its rebalance timeout.
        case revocationTimeout
    }

    package var groupID: String
    package var memberID: String
    package var instanceID: String?
    package var reason: Reason

    package init(groupID: String, memberID: String, instanceID: String?, reason: Reason) {
        self.groupID = groupID
        self.memberID = memberID
        self.instanceID = instanceID
        self.reason = reason
    }
}

/// A committed offset above its partition's log end (found at open).
package struct OffsetBeyondEnd: Hashable, Sendable {
    package var groupID: String
    package var partition: TopicPartition
    package var committed: Int64
    package var logEnd: Int64

    package init(groupID: String, partition: TopicPartition, committed: Int64, logEnd: Int64) {
        self.groupID = groupID
        self.partition = partition
        self.committed = committed
        self.logEnd = logEnd
    }
}

/// Where a consumer starts when its group has no usable commit
/// (Kafka's `auto.offset.reset`).
package enum OffsetResetPolicy: String, Hashable, Sendable {
    case earliest, latest, none
}

/// A row of `listGroups`.
package struct GroupListing: Hashable, Sendable {
    package var groupID: String
    package var state: GroupState
    package var generation: Int32
    package var assignor: AssignorKind
    package var memberCount: Int
}

/// A member as `describe` shows it.
package struct MemberDescription: Hashable, Sendable {
    package var memberID: String
    package var instanceID: String?
    package var clientID: String
    package var subscription: [String]
    package var sessionTimeoutMs: Int32
    package var rebalanceTimeoutMs: Int32
    package var joinedGeneration: Int32
    package var assigned: [TopicPartition]
    package var revoking: [TopicPartition]
    package var pending: [TopicPartition]
    package var presence: MemberPresence
    package var sessionDeadlineMillis: Int64
}

/// One partition as `describe` shows it.
package struct PartitionDescription: Hashable, Sendable {
    package var partition: TopicPartition
    /// The member that owns it now (assigned or revoking), if any.
    package var owner: String?
    package var committed: CommittedOffset?
    /// The log end handed in by the caller, if it knew one.
    package var endOffset: Int64?
    /// end − committed (never below 0); nil without a commit or an end offset.
    package var lag: Int64?
}

/// Everything known about a group.
package struct GroupDescription: Hashable, Sendable {
    package var groupID: String
    package var state: GroupState
    package var generation: Int32
    package var assignor: AssignorKind
    package var createdAtMillis: Int64
    package var updatedAtMillis: Int64
    package var members: [MemberDescription]
    /// Every partition of every topic the group subscribes to or has commits in, sorted.
    package var partitions: [PartitionDescription]
    /// Non-nil when members subscribe to different topic sets: the classic
    /// mistake of two services sharing one group id.
    package var subscriptionConflict: [SubscriptionVariant]?

    /// Sum of known lags.
    package var totalLag: Int64 { partitions.reduce(0) { $0 + ($1.lag ?? 0) } }
}
