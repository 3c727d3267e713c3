// SPDX-License-Identifier: Apache-2.0
// The one error type of the GroupCoordinator layer: protocol outcomes plus a
// persistence failure that keeps its cause.

/// Why a coordinator request was refused. Except for `.persistence`, these are
/// expected protocol outcomes, not faults; a refused request changed nothing.
package enum CoordinatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The group does not exist.
    case groupNotFound(group: String)
    /// The member id is not (or no longer) a member: rejoin without a member id.
    case unknownMember(group: String, memberID: String)
    /// The request carried a generation other than the group's current one:
    /// rejoin (`join` with your member id; no rebalance when nothing changed).
    case staleGeneration(group: String, given: Int32, current: Int32)
    /// A newer member with the same instance id replaced this one.
    case fencedInstance(group: String, memberID: String, instanceID: String)
    /// A subscribed or committed topic is not in the catalog.
    case unknownTopic(String)
    /// The partition index is outside the topic's partition count.
    case unknownPartition(TopicPartition)
    /// The member commits a partition it does not own (neither assigned nor revoking).
    case notAssigned(group: String, memberID: String, partition: TopicPartition)
    /// A negative offset.
    case invalidOffset(TopicPartition, Int64)
    /// Commit metadata over `CommittedOffset.maxMetadataBytes`.
    case metadataTooLarge(TopicPartition, bytes: Int)
    /// The operation needs a group without live members.
    case groupNotEmpty(group: String, liveMembers: Int)
    /// The member asked for an assignor other than the one the group uses.
    case inconsistentAssignor(group: String, groupUses: AssignorKind, requested: AssignorKind)
    /// A join with bad parameters (empty subscription, non-positive timeouts…).
    case invalidJoin(String)
    /// The group never committed this partition and the reset policy is `.none`.
    case noCommittedOffset(group: String, partition: TopicPartition)
    /// The commit lies outside [log start, log end] and the reset policy is `.none`.
    case committedOffsetOutOfRange(group: String, partition: TopicPartition, committed: Int64, logStart: Int64, logEnd: Int64)
    /// The transaction failed; memory was left untouched. Keeps the cause.
    case persistence(any Error)

    package var description: String {
        switch self {
        case .groupNotFound(let g): "group '\(g)' not found"
        case .unknownMember(let g, let m): "unknown member '\(m)' in group '\(g)'"
        case .staleGeneration(let g, let given, let current):
            "stale generation \(given) for group '\(g)' (current \(current)); rejoin"
        case .fencedInstance(let g, let m, let i): "member '\(m)' of group '\(g)' fenced by a newer member with instance id '\(i)'"
        case .unknownTopic(let t): "unknown topic '\(t)'"
        case .unknownPartition(let tp): "unknown partition \(tp)"
        case .notAssigned(let g, let m, let tp): "member '\(m)' of group '\(g)' does not own \(tp)"
        case .invalidOffset(let tp, let o): "invalid offset \(o) for \(tp)"
        case .metadataTooLarge(let tp, let n): "commit metadata for \(tp) is \(n) bytes (max \(CommittedOffset.maxMetadataBytes))"
        case .groupNotEmpty(let g, let n): "group '\(g)' has \(n) live member(s)"
        case .inconsistentAssignor(let g, let uses, let requested):
            "group '\(g)' uses assignor \(uses.rawValue), member asked for \(requested.rawValue)"
        case .invalidJoin(let why): "invalid join: \(why)"
        case .noCommittedOffset(let g, let tp): "group '\(g)' has no committed offset for \(tp) and reset policy is none"
        case .committedOffsetOutOfRange(let g, let tp, let c, let s, let e):
            "group '\(g)' committed \(c) for \(tp), outside [\(s), \(e)], and reset policy is none"
        case .persistence(let error): "group metadata transaction failed: \(error)"
        }
    }

    package static func == (lhs: CoordinatorError, rhs: CoordinatorError) -> Bool {
        switch (lhs, rhs) {
        case (.groupNotFound(let a), .groupNotFound(let b)): a == b
        case (.unknownMember(let a1, let a2), .unknownMember(let b1, let b2)): a1 == b1 && a2 == b2
        case (.staleGeneration(let a1, let a2, let a3), .staleGeneration(let b1, let b2, let b3)):
            a1 == b1 && a2 == b2 && a3 == b3
        case (.fencedInstance(let a1, let a2, let a3), .fencedInstance(let b1, let b2, let b3)):
            a1 == b1 && a2 == b2 && a3 == b3
        case (.unknownTopic(let a), .unknownTopic(let b)): a == b
        case (.unknownPartition(let a), .unknownPartition(let b)): a == b
        case (.notAssigned(let a1, let a2, let a3), .notAssigned(let b1, let b2, let b3)): a1 == b1 && a2 == b2 && a3 == b3
        case (.invalidOffset(let a1, let a2), .invalidOffset(let b1, let b2)): a1 == b1 && a2 == b2
        case (.metadataTooLarge(let a1, let a2), .metadataTooLarge(let b1, let b2)): a1 == b1 && a2 == b2
        case (.groupNotEmpty(let a1, let a2), .groupNotEmpty(let b1, let b2)): a1 == b1 && a2 == b2
        case (.inconsistentAssignor(let a1, let a2, let a3), .inconsistentAssignor(let b1, let b2, let b3)):
            a1 == b1 && a2 == b2 && a3 == b3
        case (.invalidJoin(let a), .invalidJoin(let b)): a == b
        case (.noCommittedOffset(let a1, let a2), .noCommittedOffset(let b1, let b2)): a1 == b1 && a2 == b2
        case (.committedOffsetOutOfRange(let a1, let a2, let a3, let a4, let a5),
            .committedOffsetOutOfRange(let b1, let b2, let b3, let b4, let b5)):
            a1 == b1 && a2 == b2 && a3 == b3 && a4 == b4 && a5 == b5
        // Causes are not Equatable; two persistence failures match by their text.
        case (.persistence(let a), .persistence(let b)): String(describing: a) == String(describing: b)
        default: false
        }
    }
}
