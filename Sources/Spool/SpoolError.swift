// SPDX-License-Identifier: Apache-2.0
// The one public error type. Every lower-layer error maps to a stable code
// here and keeps its cause.

/// An error from Spool. Switch on `code`; `message` says what happened in
/// one line; `underlying` keeps the lower layer's error (with its errno,
/// path, byte position or SQLite code and SQL) for diagnosis.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Another process (or another `Spool` in this one) owns the directory.
        case directoryLocked
        /// The directory exists but holds something other than a Spool data directory.
        case notASpoolDirectory
        /// The metadata database is damaged, foreign or from a newer version.
        case metadataUnusable
        /// Stored bytes are damaged (file and position in the message).
        case corruption
        /// An I/O call failed; a partition that failed this way refuses
        /// writes until the `Spool` is reopened.
        case io
        case unknownTopic
        case topicAlreadyExists
        /// A topic name breaks the rules (1–249 of `[A-Za-z0-9._-]`, not `.` or `..`).
        case invalidTopicName
        case invalidPartitionCount
        case unknownPartition
        /// A record or a batch of records is larger than `maxBatchBytes`.
        case recordTooLarge
        /// An offset outside the partition's `[logStart, logEnd]`.
        case offsetOutOfRange
        case invalidArgument
        /// The group has no usable committed offset and the reset policy is `.none`.
        case noCommittedOffset
        case unknownGroup
        /// The group still has live members (e.g. for an offset reset).
        case groupNotEmpty
        /// This consumer was removed from its group (session expired, `maxPollInterval`
        /// exceeded, or fenced by a newer member with the same instance id).
        case removedFromGroup
        /// The group rebalanced; the consumer rejoins on its next call.
        case rebalanceInProgress
        /// The `Spool`, producer or consumer was closed.
        case closed
        /// An internal invariant failed; please report it.
        case internalError
    }

    public let code: Code
    public let message: String
    /// The lower layer's error, when there is one.
    public let underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
