// SPDX-License-Identifier: Apache-2.0
// A partition: an ordered list of segments with one active (last) segment,
// a single logical appender at a time, and any number of concurrent readers.
//
//   state        open ──append/read──▶ open
//                 │  fsync or write failure (ambiguous)
//                 ▼
//               failed ── reads still served; appends/syncs throw `.failed`
//                 │  close()
//                 ▼
//               closed ── everything throws `.closed`; reopen to recover
//
// Files: `Partition+Append` (write path and roll), `Partition+Durability`
// (group commit and flush), `Partition+Read` (reads, timestamp search, long
// poll), `Partition+Retention`, `PartitionRecovery` (open).
import FileIO
import Logging
import Synchronization

// MARK: Invariants
// I1. `segments` is non-empty, sorted by base offset, contiguous: each
//     segment's nextOffset is the next one's baseOffset; only the last is active.
// I2. logStartOffset <= recoveryPoint <= nextOffset == segments.last.nextOffset
//     (recoveryPoint may lag logStart only transiently after retention).
// I3. Every offset below `recoveryPoint` is on disk: its batch's bytes were
//     fdatasynced (the recovery point advances only after a successful sync).
// I4. Once `failure` is set it is never cleared; no later append or sync is
//     acknowledged (an ambiguous fsync is never retried and reported as success).
// I5. Readers see only complete batches: `nextOffset` and the active segment's
//     `size` advance together, under `state`, after the batch's bytes were written.

/// A suspended appender or reader. Unsafe (not checked) continuations: a
/// checked one allocates per suspension, and every waker here is stored in
/// exactly one list under `state` and resumed exactly once by whoever takes
/// it out of that list (append, sync completion, close or cancellation).
typealias Waker = UnsafeContinuation<Void, Never>

// Readers and the appender share one lock (`state`); the lock is held across
// the write(2) of a batch but never across an fdatasync or a read of data.
package final class Partition: Sendable {
    package let topicPartition: TopicPartition
    package let directory: String
    package let fs: any FileSystem
    package let config: PartitionConfig
    package let clock: any LogClock
    package let logger: Logger

    struct State {
        var segments: [LogSegment]
        var logStartOffset: Int64
        var nextOffset: Int64
        var recoveryPoint: Int64
        var failure: StorageError?
        var closed = false
        // Group commit (Partition+Durability).
        var syncInProgress = false
        var syncWaiters: [Waker] = []
        var lastSyncMillis: Int64
        // Long-poll readers (Partition+Read).
        var dataWaiters: [UInt64: DataWaiter] = [:]
        var nextWaiterID: UInt64 = 0
    }

    struct DataWaiter {
        var afterOffset: Int64
        var continuation: Waker
    }

    let state: Mutex<State>

    init(topicPartition: TopicPartition, directory: String, fs: any FileSystem, config: PartitionConfig,
         clock: any LogClock, logger: Logger, segments: [LogSegment], logStartOffset: Int64, recoveryPoint: Int64) {
        self.topicPartition = topicPartition
        self.directory = directory
        self.fs = fs
        self.config = config
        self.clock = clock
        self.logger = logger
        let next = segments.last!.nextOffset
        for segment in segments { segment.indexIntervalBytes = config.indexIntervalBytes }
        self.state = Mutex(State(segments: segments, logStartOffset: logStartOffset, nextOffset: next,
                                 recoveryPoint: min(recoveryPoint, next), lastSyncMillis: clock.nowMillis()))
    }

    // MARK: - Offsets

    /// First offset still retained.
    package var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }
    /// One past the last appended offset (also the high-water mark: there is
    /// no replication, so everything appended is visible).
    package var logEndOffset: Int64 { state.withLock { $0.nextOffset } }
    package var highWaterMark: Int64 { logEndOffset }
    /// Offsets below this are known to be fdatasynced.
    package var recoveryPoint: Int64 { state.withLock { $0.recoveryPoint } }
    /// The sticky failure, if the partition hit an ambiguous I/O error.
    package var failure: StorageError? { state.withLock { $0.failure } }

    /// A consistent summary for `describe` and the CLI.
    package struct Summary: Sendable, Equatable {
        package var logStartOffset: Int64
        package var logEndOffset: Int64
        package var recoveryPoint: Int64
        package var sizeBytes: Int64
        package var segmentCount: Int
        package var failed: Bool
    }

    package var summary: Summary {
        state.withLock { s in
            Summary(logStartOffset: s.logStartOffset, logEndOffset: s.nextOffset, recoveryPoint: s.recoveryPoint,
                    sizeBytes: s.segments.reduce(0) { $0 + $1.size }, segmentCount: s.segments.count,
                    failed: s.failure != nil)
        }
    }

    /// Segments in offset order (a snapshot).
    package var segments: [LogSegment] { state.withLock { $0.segments } }

    // MARK: - Close

    /// Flushes (unless failed), seals the active segment's time index and
    /// closes. Returns the final recovery point. Wakes every waiter.
    @discardableResult
    package func close() throws(StorageError) -> Int64 {
        let (wakeups, result) = state.withLock { s -> ([Waker], Result<Int64, StorageError>) in
            guard !s.closed else { return ([], .success(s.recoveryPoint)) }
            var result: Result<Int64, StorageError> = .success(s.recoveryPoint)
            if s.failure == nil, let active = s.segments.last {
                do throws(StorageError) {
                    try active.seal()
                    s.recoveryPoint = s.nextOffset
                    result = .success(s.recoveryPoint)
                } catch {
                    s.failure = error
                    result = .failure(error)
                }
            } else if let failure = s.failure {
                result = .failure(failure)
            }
            s.closed = true
            // Descriptors are released now, not when the last reader drops the segment.
            for segment in s.segments { segment.closeHandles() }
            let wakeups = s.syncWaiters + s.dataWaiters.values.map(\.continuation)
            s.syncWaiters = []
            s.dataWaiters = [:]
            return (wakeups, result)
        }
        for c in wakeups { c.resume() }
        return try result.get()
    }

    /// Throws if the partition cannot take writes.
    func checkWritable(_ s: State) throws(StorageError) {
        if s.closed { throw StorageError(.closed, "partition \(topicPartition) is closed") }
        if let failure = s.failure {
            throw StorageError(.failed, "partition \(topicPartition) failed earlier and must be reopened: \(failure.message)",
                               path: failure.path, position: failure.position, cause: failure.cause)
        }
    }
}
