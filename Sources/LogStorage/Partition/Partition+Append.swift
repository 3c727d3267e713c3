// SPDX-License-Identifier: Apache-2.0
// The write path: validate, roll if needed, stamp offsets, write, index.
import FileIO

/// Where an appended batch landed.
package struct AppendResult: Sendable, Equatable {
    package var baseOffset: Int64
    package var lastOffset: Int64
    package var recordCount: Int { Int(lastOffset - baseOffset + 1) }
}

extension Partition {
    /// Appends one encoded batch (as produced by `RecordBatchBuilder.finish()`)
    /// and returns once it is as durable as `config.durability` promises.
    /// The partition assigns the offsets: the batch's base offset field is
    /// overwritten in place (it lies outside the CRC).
    ///
    /// - Throws: `.invalidArgument` (oversized, malformed or compressed
    ///   batch; nothing written), `.io` (the write or sync failed; the
    ///   partition is now failed), `.failed`, `.closed`.
    /// `durability` overrides the partition's configured mode for this append.
    package func append(_ batch: UnsafeMutableRawBufferPointer, durability: Durability? = nil) async throws(StorageError) -> AppendResult {
        let result = try write(batch)
        switch durability ?? config.durability {
        case .none:
            break
        case .fsyncEachBatch:
            try await awaitDurable(through: result.lastOffset)
        case .interval(let ms):
            try flushIfDue(intervalMillis: ms)
        }
        return result
    }

    /// Writes one batch to the page cache without any durability step.
    package func write(_ batch: UnsafeMutableRawBufferPointer) throws(StorageError) -> AppendResult {
        var header = try validateForAppend(UnsafeRawBufferPointer(batch))
        let needsClock = config.segmentMs != nil
        let (result, wakeups) = try state.withLock { s throws(StorageError) -> (AppendResult, [Waker]) in
            try checkWritable(s)
            let now = needsClock || s.segments.last!.firstAppendMillis == nil ? clock.nowMillis() : 0
            var active = s.segments.last!
            let lastOffset = s.nextOffset + Int64(header.lastOffsetDelta)
            if shouldRoll(active, batchBytes: batch.count, lastOffset: lastOffset, now: now) {
                active = try roll(&s)
            }
            header.baseOffset = s.nextOffset
            RecordBatchBuilder.setBaseOffset(s.nextOffset, in: batch)
            do throws(StorageError) {
                try active.append(UnsafeRawBufferPointer(batch), header: header)
            } catch {
                // The write may have landed partly: nothing after it can be
                // trusted until recovery has looked at the tail (I4).
                s.failure = error
                throw error
            }
            if active.firstAppendMillis == nil { active.firstAppendMillis = now }
            s.nextOffset = header.lastOffset + 1
            var wakeups: [Waker] = []
            if !s.dataWaiters.isEmpty {
                for (id, waiter) in s.dataWaiters where waiter.afterOffset < s.nextOffset {
                    wakeups.append(waiter.continuation)
                    s.dataWaiters[id] = nil
                }
            }
            return (AppendResult(baseOffset: header.baseOffset, lastOffset: header.lastOffset), wakeups)
        }
        for c in wakeups { c.resume() }
        return result
    }

    /// Checks a batch before anything is written.
    func validateForAppend(_ batch: UnsafeRawBufferPointer) throws(StorageError) -> RecordBatchHeader {
        guard batch.count <= config.maxBatchBytes else {
            throw StorageError(.invalidArgument,
                               "batch of \(batch.count) bytes exceeds maxBatchBytes \(config.maxBatchBytes)")
        }
        let header: RecordBatchHeader
        do {
            header = try RecordBatchHeader.parse(batch)
        } catch {
            throw StorageError(.invalidArgument, "not a valid record batch: \(error.message)")
        }
        guard header.totalSize == batch.count else {
            throw StorageError(.invalidArgument, "batch length field \(header.totalSize) does not match \(batch.count) bytes")
        }
        guard header.recordsCount > 0, header.recordsCount == header.lastOffsetDelta + 1 else {
            throw StorageError(.invalidArgument, "batch must hold 1 or more records with contiguous offset deltas")
        }
        return header
    }

    func shouldRoll(_ active: LogSegment, batchBytes: Int, lastOffset: Int64, now: Int64) -> Bool {
        if active.size == 0 { return false }
        if active.size + Int64(batchBytes) > config.effectiveSegmentBytes { return true }
        if active.offsetIndex.isFull || active.timeIndex.isFull { return true }
        if lastOffset - active.baseOffset > Int64(Int32.max) { return true }
        if let ms = config.segmentMs, let first = active.firstAppendMillis, now - first >= ms { return true }
        return false
    }

    /// Seals the active segment and starts a new one at `nextOffset`.
    /// Order: seal (fdatasync of the old files) → create the new files →
    /// fsync the directory, so a new segment is never durable before the
    /// one it follows, and its name is durable before anything in it is
    /// acknowledged.
    func roll(_ s: inout State) throws(StorageError) -> LogSegment {
        let old = s.segments.last!
        do throws(StorageError) {
            try old.seal()
            s.recoveryPoint = max(s.recoveryPoint, old.nextOffset)  // keeps I3: the old files were just synced
            let next = try LogSegment.create(fs: fs, directory: directory, baseOffset: s.nextOffset,
                                             maxIndexBytes: config.maxIndexBytes)
            next.indexIntervalBytes = config.indexIntervalBytes
            do { try fs.syncDirectory(directory) } catch { throw StorageError.io(error, "cannot sync partition directory") }
            s.segments.append(next)
            logger.debug("rolled segment", metadata: ["partition": "\(topicPartition)", "baseOffset": "\(s.nextOffset)"])
            return next
        } catch {
            s.failure = error
            throw error
        }
    }
}
