// SPDX-License-Identifier: Apache-2.0
// Group commit: concurrent appenders share one fdatasync.
//
// The first appender that needs a sync becomes the leader: it notes the
// current end offset, syncs the active segment OUTSIDE the lock (so others
// keep writing), then advances the recovery point to that offset and wakes
// every waiter. A woken waiter whose batch is still above the recovery point
// (it was written after the leader's snapshot) becomes the next leader. So a
// burst of N appenders costs about two syncs, not N.
import FileIO

extension Partition {
    /// Returns once every offset <= `offset` is fdatasynced.
    /// - Throws: `.failed` (this or an earlier sync failed), `.closed`.
    package func awaitDurable(through offset: Int64) async throws(StorageError) {
        while true {
            enum Step { case done, lead(LogSegment, Int64), wait, fail(StorageError) }
            var step = Step.wait
            await withUnsafeContinuation { (continuation: Waker) in
                let decided: Step? = state.withLock { s in
                    if s.recoveryPoint > offset { return .done }
                    if s.closed || s.failure != nil {
                        do throws(StorageError) { try checkWritable(s) } catch { return .fail(error) }
                    }
                    if s.syncInProgress {
                        s.syncWaiters.append(continuation)
                        return nil
                    }
                    s.syncInProgress = true
                    return .lead(s.segments.last!, s.nextOffset)
                }
                if let decided {
                    step = decided
                    continuation.resume()
                }
            }
            switch step {
            case .done: return
            case .fail(let error): throw error
            case .wait: continue  // woken: re-check (maybe lead the next sync)
            case .lead(let segment, let target):
                try syncAsLeader(segment, target: target)
                if target > offset { return }
            }
        }
    }

    /// Runs one sync of `segment` and publishes the outcome (keeps I3, I4).
    func syncAsLeader(_ segment: LogSegment, target: Int64) throws(StorageError) {
        var outcome: StorageError?
        do { try segment.syncLog() } catch { outcome = error }
        let now = clock.nowMillis()
        let waiters = state.withLock { s in
            s.syncInProgress = false
            if let outcome {
                if s.failure == nil { s.failure = outcome }
            } else {
                // Segments before `segment` were synced when they were sealed,
                // so everything below `target` is now durable.
                s.recoveryPoint = max(s.recoveryPoint, target)
                s.lastSyncMillis = now
            }
            let w = s.syncWaiters
            s.syncWaiters = []
            return w
        }
        for c in waiters { c.resume() }
        if let outcome { throw outcome }
    }

    /// Syncs everything written so far (used by `.interval` and at close).
    /// Joins a sync in progress instead of starting a second one.
    package func flush() async throws(StorageError) {
        let end = logEndOffset
        if end > 0 { try await awaitDurable(through: end - 1) }
    }

    /// Syncs when `intervalMillis` passed since the last sync and nobody else
    /// is syncing; never waits for another sync (the `.interval` contract).
    package func flushIfDue(intervalMillis: Int64) throws(StorageError) {
        let now = clock.nowMillis()
        let lead: (LogSegment, Int64)? = state.withLock { s in
            guard s.failure == nil, !s.closed, !s.syncInProgress,
                  s.recoveryPoint < s.nextOffset, now - s.lastSyncMillis >= intervalMillis else { return nil }
            s.syncInProgress = true
            return (s.segments.last!, s.nextOffset)
        }
        if let (segment, target) = lead { try syncAsLeader(segment, target: target) }
    }
}
