// SPDX-License-Identifier: Apache-2.0
// What `describeGroup` and `listGroups` return.

/// A group in `listGroups()`.
public struct GroupSummary: Sendable, Hashable {
    public var group: String
    public var state: String
    public var generation: Int
    public var assignor: String
    public var memberCount: Int
}

/// A consumer group: members, who owns what, committed offsets and lag.
public struct GroupInfo: Sendable, Hashable {
    /// Whether a member is known to be alive.
    public enum Presence: String, Sendable, Hashable {
        /// Heartbeating (or just joined).
        case active
        /// A static member of the previous process, holding its partitions
        /// until its session timeout unless its instance rejoins.
        case awaitingRejoin
        /// A static member that left; keeps its partitions until its session timeout.
        case departed
    }

    public struct Member: Sendable, Hashable {
        public var memberID: String
        public var instanceID: String?
        public var clientID: String
        public var subscription: [String]
        public var presence: Presence
        public var assigned: [TopicPartitionID]
        public var revoking: [TopicPartitionID]
    }

    public struct PartitionState: Sendable, Hashable {
        public var partition: TopicPartitionID
        public var owner: String?
        /// Next offset to consume; nil when the group never committed.
        public var committedOffset: Int64?
        public var endOffset: Int64?
        /// end − committed.
        public var lag: Int64?
    }

    public var group: String
    public var state: String
    public var generation: Int
    public var assignor: String
    public var members: [Member]
    public var partitions: [PartitionState]
    /// Set when members of this group subscribe to different topic sets:
    /// usually two services sharing one group id, silently splitting the data.
    public var sharedGroupIDWarning: String?
    public var totalLag: Int64 { partitions.reduce(0) { $0 + ($1.lag ?? 0) } }
}
