// SPDX-License-Identifier: Apache-2.0
// Settings of a Spool data directory. Every default states its reason.
import Logging

/// How an append is acknowledged relative to `fdatasync`.
/// The exact loss window of each mode is in docs/durability.md.
public enum Durability: Sendable, Equatable, Hashable {
    /// Acknowledged after `fdatasync` of the batch; concurrent producers share
    /// one sync (group commit). Survives power loss.
    case fsyncEachBatch
    /// Acknowledged after the write; a sync runs at most every `milliseconds`.
    /// A power loss can lose up to that window; a process crash loses nothing.
    case interval(milliseconds: Int)
    /// Acknowledged after the write; the kernel writes back when it likes.
    /// A process crash loses nothing; a power loss can lose unsynced appends.
    case none
}

/// Options for `Spool.open`.
public struct Configuration: Sendable {
    /// Default durability of topics that do not override it. `.fsyncEachBatch`:
    /// an embedded queue has no replicas, so acknowledged must mean on disk.
    public var durability: Durability = .fsyncEachBatch
    /// Segment size before a roll. 1 GiB (Kafka's default): few files, and
    /// retention works in whole segments of this size.
    public var segmentBytes: Int64 = 1 << 30
    /// Largest batch one `send` may write to one partition (1 MiB of records
    /// plus overhead, Kafka's `message.max.bytes`); bigger sends are refused.
    public var maxBatchBytes: Int = 1_048_588
    /// Delete data older than this (nil: keep forever, the safe default for a queue).
    public var retentionMs: Int64? = nil
    /// Delete the oldest data of a partition beyond this size (nil: no limit).
    public var retentionBytes: Int64? = nil
    /// How often retention and interval flushes run in the background. 5 s:
    /// retention is coarse (whole segments), so checking often buys nothing.
    public var maintenanceIntervalMs: Int64 = 5_000
    /// Metadata (group membership, committed offsets) durability. `true`
    /// (SQLite `synchronous=FULL`): a commit that returned survives power
    /// loss. `false` (`NORMAL`) survives a process crash only, and is faster.
    public var metadataSynchronousFull: Bool = true
    /// Where Spool logs recovery actions and warnings. Spool never builds its
    /// own logging backend (swift-log convention). The default logs at
    /// `.notice` and above: repairs and warnings, not routine opens.
    public var logger: Logger = {
        var logger = Logger(label: "spool")
        logger.logLevel = .notice
        return logger
    }()

    public init() {}
}

/// Per-topic overrides of the directory-wide `Configuration`.
public struct TopicConfiguration: Sendable, Equatable, Hashable {
    public var durability: Durability?
    public var segmentBytes: Int64?
    public var retentionMs: Int64?
    public var retentionBytes: Int64?

    public init(durability: Durability? = nil, segmentBytes: Int64? = nil, retentionMs: Int64? = nil,
                retentionBytes: Int64? = nil) {
        self.durability = durability
        self.segmentBytes = segmentBytes
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
    }
}
