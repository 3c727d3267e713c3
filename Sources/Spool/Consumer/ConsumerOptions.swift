// SPDX-License-Identifier: Apache-2.0

/// A partition of a topic.
public struct TopicPartitionID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int

    public init(topic: String, partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartitionID, b: TopicPartitionID) -> Bool {
        a.topic == b.topic ? a.partition < b.partition : a.topic < b.topic
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// What a group consumer does when its group has no usable committed offset
/// for a partition (Kafka's `auto.offset.reset`).
public enum OffsetReset: Sendable, Hashable {
    /// Start at the first retained record.
    case earliest
    /// Start at the end (only new records).
    case latest
    /// Throw `.noCommittedOffset`.
    case none
}

/// How partitions are spread over a group's members.
public enum Assignor: String, Sendable, Hashable {
    /// Per topic, members sorted by id, the first `P mod C` take one extra (default).
    case range
    /// All partitions dealt round-robin over the members.
    case roundRobin
    /// Balanced, moving as few partitions as possible; cooperative revocation.
    case sticky
}

/// A change of what a group consumer owns. `revoked` always arrives before
/// the `assigned` of the same rebalance.
public enum AssignmentChange: Sendable, Hashable {
    case assigned([TopicPartitionID])
    case revoked([TopicPartitionID])
    /// The consumer was removed from its group (it no longer owns anything).
    case lost([TopicPartitionID])
}

/// Options of `Spool.consumer(group:topics:options:)`.
public struct ConsumerOptions: Sendable {
    /// A stable identity across restarts (static membership): the member keeps
    /// its partitions for `sessionTimeoutMs` after it leaves or dies, and gets
    /// them back without a rebalance when it returns. nil: dynamic member.
    public var instanceID: String?
    /// Shown by `groups describe`.
    public var clientID: String = "spool-consumer"
    /// Where to start without a usable commit. `.earliest`: a queue consumer
    /// must not silently skip records that exist (Kafka's `latest` default
    /// is a well-known source of lost messages).
    public var autoOffsetReset: OffsetReset = .earliest
    /// A member not heard from for this long is removed. 10 s: in-process
    /// members heartbeat every second, so 10 missed beats means dead.
    public var sessionTimeoutMs: Int = 10_000
    /// Background heartbeat period; a third of the session timeout at most.
    public var heartbeatIntervalMs: Int = 1_000
    /// A consumer that does not ask for the next batch within this long is
    /// removed from its group (Kafka's `max.poll.interval.ms`, 5 minutes).
    public var maxPollIntervalMs: Int = 300_000
    /// Upper bound on one fetch from one partition (at least one stored batch
    /// is always returned). 1 MiB: large enough to amortise the read call.
    public var maxBytesPerFetch: Int = 1 << 20
    /// Commit consumed positions automatically this often (nil: only explicit
    /// commits, the at-least-once default).
    public var autoCommitIntervalMs: Int? = nil
    public var assignor: Assignor = .range
    /// Called before partitions are taken away (and before auto-commit of
    /// them): flush per-partition state here. The revocation is acknowledged
    /// to the group only after this returns.
    public var onPartitionsRevoked: (@Sendable ([TopicPartitionID]) async -> Void)?

    public init(instanceID: String? = nil, clientID: String = "spool-consumer", autoOffsetReset: OffsetReset = .earliest,
                sessionTimeoutMs: Int = 10_000, heartbeatIntervalMs: Int = 1_000, maxPollIntervalMs: Int = 300_000,
                autoCommitIntervalMs: Int? = nil, assignor: Assignor = .range) {
        self.instanceID = instanceID
        self.clientID = clientID
        self.autoOffsetReset = autoOffsetReset
        self.sessionTimeoutMs = sessionTimeoutMs
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.maxPollIntervalMs = maxPollIntervalMs
        self.autoCommitIntervalMs = autoCommitIntervalMs
        self.assignor = assignor
    }
}
