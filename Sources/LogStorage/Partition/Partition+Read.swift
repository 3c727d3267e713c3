// SPDX-License-Identifier: Apache-2.0
// The read path: find the segment, binary-search its sparse index, read one
// chunk with pread, skip batches below the requested offset, CRC-check and
// return whole batches. Plus timestamp search and long-poll waiting.
import FileIO

/// What a read returned: whole batches, back to back, in the reader's buffer.
package struct ReadResult {
    /// Whole, CRC-checked batches; valid until the buffer is reused. The first
    /// batch may start below the requested offset (callers skip those records).
    package var bytes: UnsafeRawBufferPointer
    package var batchCount: Int
    /// Offset to read from next (one past the last returned batch).
    package var nextOffset: Int64
    /// The log end offset when the read started.
    package var logEndOffset: Int64
    package var isEmpty: Bool { batchCount == 0 }
}

extension Partition {
    /// Reads whole batches starting with the batch that contains `offset`,
    /// up to about `maxBytes` (always at least one batch when one exists).
    /// Reading at the log end returns an empty result.
    ///
    /// - Throws: `.offsetOutOfRange` (below the log start or above the end,
    ///   carrying the valid range), `.corruption` (a batch failed its CRC or
    ///   shape check, with file and position), `.io`, `.closed`.
    package func read(from offset: Int64, maxBytes: Int, into buffer: ReadBuffer) throws(StorageError) -> ReadResult {
        let snapshot = try state.withLock { s throws(StorageError) -> (LogSegment, Int64, Int, Int64)? in
            if s.closed { throw StorageError(.closed, "partition \(topicPartition) is closed") }
            guard offset >= s.logStartOffset, offset <= s.nextOffset else {
                throw StorageError(.offsetOutOfRange(requested: offset, logStart: s.logStartOffset, logEnd: s.nextOffset),
                                   "offset \(offset) is outside [\(s.logStartOffset), \(s.nextOffset)] of \(topicPartition)")
            }
            if offset == s.nextOffset { return nil }
            let segment = s.segments[Self.segmentIndex(containing: offset, in: s.segments)]
            return (segment, segment.size, segment.offsetIndex.entryCount, s.nextOffset)
        }
        guard let (segment, end, indexEntries, logEnd) = snapshot else {
            buffer.count = 0
            return ReadResult(bytes: UnsafeRawBufferPointer(start: buffer.storage, count: 0), batchCount: 0,
                              nextOffset: offset, logEndOffset: offset)
        }
        let start = try segment.offsetIndex.lookup(offset, entryCount: indexEntries).position
        return try readBatches(segment: segment, from: start, end: end, offset: offset,
                               maxBytes: max(maxBytes, RecordBatchFormat.headerSize), buffer: buffer, logEnd: logEnd)
    }

    /// Index of the segment with the largest base offset <= `offset`.
    static func segmentIndex(containing offset: Int64, in segments: [LogSegment]) -> Int {
        var low = 0, high = segments.count - 1, found = 0
        while low <= high {
            let mid = (low + high) / 2
            if segments[mid].baseOffset <= offset { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        return found
    }

    private func readBatches(segment: LogSegment, from start: Int64, end: Int64, offset: Int64, maxBytes: Int,
                             buffer: ReadBuffer, logEnd: Int64) throws(StorageError) -> ReadResult {
        var position = start
        // Bytes between the index entry and the wanted batch are skipped; read
        // a little extra so the first chunk usually covers them too.
        var want = Int(min(Int64(maxBytes) + Int64(config.indexIntervalBytes), end - position))
        while true {
            buffer.reserve(want)
            let got = try fill(segment, buffer: buffer, at: position, count: want)
            let base = UnsafeRawBufferPointer(start: buffer.storage, count: got)
            var cursor = 0
            var firstReturned = -1
            var batches = 0
            var next = offset
            while cursor + RecordBatchFormat.headerSize <= got {
                let header: RecordBatchHeader
                do {
                    header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: base[cursor...]))
                } catch {
                    throw StorageError(error.code, error.message, path: segment.logPath, position: position + Int64(cursor))
                }
                let size = header.totalSize
                if position + Int64(cursor) + Int64(size) > end {
                    // Only a damaged length can reach past the segment's complete batches.
                    throw StorageError(.corruption, "batch length \(size) reaches past the end of the segment (\(end) bytes)",
                                       path: segment.logPath, position: position + Int64(cursor))
                }
                if header.lastOffset < offset {
                    // Below the wanted offset: skip without reading more of it.
                    if cursor + size > got { break }
                    cursor += size
                    continue
                }
                if firstReturned < 0, header.baseOffset > offset {
                    // The index pointed past the wanted offset: never skip records silently.
                    throw StorageError(.corruption, "index lookup for offset \(offset) landed on a batch starting at \(header.baseOffset)",
                                       path: segment.logPath, position: position + Int64(cursor))
                }
                if cursor + size > got { break }                               // incomplete: stop here
                if batches > 0 && cursor + size - firstReturned > maxBytes { break }  // budget used up
                let bytes = UnsafeRawBufferPointer(rebasing: base[cursor..<(cursor + size)])
                let view: RecordBatchView
                do { view = try RecordBatchView(bytes) } catch {
                    throw StorageError(error.code, error.message, path: segment.logPath, position: position + Int64(cursor))
                }
                guard view.verifyCRC() else {
                    throw StorageError(.corruption, "batch CRC-32C mismatch at offset \(header.baseOffset)",
                                       path: segment.logPath, position: position + Int64(cursor))
                }
                if batches > 0, header.baseOffset != next {
                    throw StorageError(.corruption, "batch base offset \(header.baseOffset) does not follow \(next - 1)",
                                       path: segment.logPath, position: position + Int64(cursor))
                }
                if firstReturned < 0 { firstReturned = cursor }
                batches += 1
                next = header.lastOffset + 1
                cursor += size
            }
            if batches > 0 {
                return ReadResult(bytes: UnsafeRawBufferPointer(rebasing: base[firstReturned..<cursor]), batchCount: batches,
                                  nextOffset: next, logEndOffset: logEnd)
            }
            // Nothing complete yet: the batch at `cursor` is larger than what
            // we read (or we only skipped). Read again starting at it, sized to it.
            position += Int64(cursor)
            guard position < end else {
                throw StorageError(.corruption, "offset \(offset) not found before the end of the segment",
                                   path: segment.logPath, position: position)
            }
            if got - cursor >= RecordBatchFormat.headerSize {
                let header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: base[cursor...]))
                want = max(header.totalSize, want)
            }
            want = Int(min(Int64(want), end - position))
        }
    }

    /// preads `count` bytes at `position` into the start of `buffer`.
    private func fill(_ segment: LogSegment, buffer: ReadBuffer, at position: Int64, count: Int) throws(StorageError) -> Int {
        var filled = 0
        while filled < count {
            let n: Int
            do {
                n = try segment.log.read(into: UnsafeMutableRawBufferPointer(start: buffer.storage + filled, count: count - filled),
                                         at: position + Int64(filled))
            } catch {
                throw StorageError.io(error, "cannot read segment")
            }
            if n == 0 {
                throw StorageError(.corruption, "segment is shorter than its recorded size",
                                   path: segment.logPath, position: position + Int64(filled))
            }
            filled += n
        }
        buffer.count = filled
        return filled
    }

    // MARK: - Timestamps

    /// The first offset whose record timestamp is >= `timestamp`, or nil when
    /// every record is older (Kafka ListOffsets semantics).
    ///
    /// The indexes only narrow the scan: every entry used is checked against
    /// the batch it names, and a segment whose entries fail a check is
    /// scanned from its start, so a damaged index never skips records.
    package func offset(forTimestamp timestamp: Int64) throws(StorageError) -> Int64? {
        let snapshot = state.withLock { s in
            s.segments.map { ($0, $0.maxTimestamp, $0.size, $0.offsetIndex.entryCount, $0.timeIndex.entryCount) }
        }
        let buffer = ReadBuffer(capacity: 1 << 16)
        for (segment, maxTs, size, indexEntries, timeEntries) in snapshot where maxTs >= timestamp {
            let hinted = (try? hintedStart(segment, timestamp: timestamp, size: size, indexEntries: indexEntries,
                                           timeEntries: timeEntries, buffer: buffer)) ?? nil
            if let start = hinted,
               let found = try firstOffset(in: segment, from: start, end: size, atOrAfter: timestamp, buffer: buffer) {
                return found
            }
            if hinted != 0, let found = try firstOffset(in: segment, from: 0, end: size, atOrAfter: timestamp, buffer: buffer) {
                return found
            }
        }
        return nil
    }

    /// Where to start scanning for `timestamp` per the indexes, or nil when
    /// an entry fails its check. Every record up to the time-index entry
    /// used is strictly older than `timestamp`.
    private func hintedStart(_ segment: LogSegment, timestamp: Int64, size: Int64, indexEntries: Int, timeEntries: Int,
                             buffer: ReadBuffer) throws(StorageError) -> Int64? {
        guard timestamp > Int64.min else { return 0 }
        let hint = try segment.timeIndex.lookup(timestamp - 1, entryCount: timeEntries)
        if hint.timestamp < 0 { return 0 }
        let entry = try segment.offsetIndex.lookup(hint.offset, entryCount: indexEntries)
        guard entry.position >= 0, entry.position < size else { return nil }
        var scanner = SegmentScanner(handle: segment.log, from: entry.position, end: size, validation: .header, buffer: buffer)
        var first = true
        while let batch = try scanner.next() {
            // The offset-index entry must name the batch it points at.
            if first, entry.position > 0, batch.header.lastOffset != entry.offset { return nil }
            first = false
            if batch.header.lastOffset < hint.offset { continue }
            // The time-index entry names the last offset of a batch whose max
            // timestamp is at most the entry's (a running maximum).
            guard batch.header.lastOffset == hint.offset, batch.header.maxTimestamp <= hint.timestamp else { return nil }
            return batch.position
        }
        return nil
    }

    /// Scans from `start` for the first record with timestamp >= `timestamp`.
    private func firstOffset(in segment: LogSegment, from start: Int64, end: Int64, atOrAfter timestamp: Int64,
                             buffer: ReadBuffer) throws(StorageError) -> Int64? {
        var scanner = SegmentScanner(handle: segment.log, from: start, end: end, validation: .crc, buffer: buffer)
        while let batch = try scanner.next() {
            guard batch.header.maxTimestamp >= timestamp else { continue }
            var records = try RecordBatchView(batch.bytes).makeRecordIterator()
            while let record = try records.next() {
                if record.timestamp >= timestamp { return record.offset }
            }
        }
        return nil
    }

    // MARK: - Long poll

    /// Suspends until the log end offset is greater than `offset` (data to
    /// read at `offset` exists), the partition closes, or the task is
    /// cancelled. Woken by `append`, never by polling.
    package func waitForData(beyond offset: Int64) async {
        let id = state.withLock { s in
            s.nextWaiterID &+= 1
            return s.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: Waker) in
                let ready = state.withLock { s in
                    if s.nextOffset > offset || s.closed || Task.isCancelled { return true }
                    s.dataWaiters[id] = DataWaiter(afterOffset: offset, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let c = state.withLock { $0.dataWaiters.removeValue(forKey: id)?.continuation }
            c?.resume()
        }
    }
}
