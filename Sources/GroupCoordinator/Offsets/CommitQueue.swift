// SPDX-License-Identifier: Apache-2.0
// The queue behind group commit: concurrent offset commits wait here and the
// current leader writes all of them in one transaction.

// MARK: Invariants
// I1 `leaderActive` is true from the moment one caller is told to lead until
//    that leader (or a successor it handed over to) finds `pending` empty; so
//    at most one batch is being written at any time.
// I2 Every waiter's continuation is resumed exactly once: either `.lead`
//    (then it writes its own entry itself and its continuation is spent) or
//    `.done` by the leader whose batch held its entry.
// I3 `pending` is in arrival order; within a batch a later commit of the same
//    partition wins, so the stored value is the last acknowledged one.

/// One caller's offset commit waiting for a transaction.
struct PendingCommit: Sendable {
    var ticket: UInt64
    var groupID: String
    var memberID: String
    var generation: Int32
    var offsets: [TopicPartition: OffsetAndMetadata]
    var continuation: CheckedContinuation<CommitSignal, Never>
}

/// What a waiting committer is woken with.
enum CommitSignal: Sendable {
    /// Take the pending batch and write it.
    case lead
    /// Your commit's transaction finished: nil on success.
    case done(CoordinatorError?)
}

struct CommitQueue: Sendable {
    var pending: [PendingCommit] = []
    var leaderActive = false
    var nextTicket: UInt64 = 0
}
