// SPDX-License-Identifier: Apache-2.0
// Opening an existing segment: the cheap path after a clean shutdown, and the
// re-validating path that rebuilds the indexes after a crash.
import FileIO
import Logging

/// What a re-validating scan of one segment found.
package struct SegmentScanOutcome: Sendable {
    /// Bytes of valid, contiguous batches from the start of the file.
    package var validBytes: Int64
    /// One past the last valid batch's last offset.
    package var nextOffset: Int64
    /// Total file length when the scan started.
    package var fileBytes: Int64
    /// The reason the scan stopped early, with file and position; nil when the
    /// whole file was valid.
    package var stop: StorageError?
}

extension LogSegment {
    /// Opens the three files of an existing segment without reading the log.
    package static func open(fs: any FileSystem, directory: String, baseOffset: Int64,
                             maxIndexBytes: Int) throws(StorageError) -> LogSegment {
        let p = paths(directory: directory, baseOffset: baseOffset)
        let handles: (any FileHandle, any FileHandle, any FileHandle)
        let size: Int64
        // A missing index is recreated empty and must be rebuilt, not trusted.
        let indexesMissing = !fs.exists(p.index) || !fs.exists(p.timeIndex)
        do throws(IOError) {
            handles = (try fs.open(p.log, mode: .readWrite), try fs.open(p.index, mode: .createOrOpen),
                       try fs.open(p.timeIndex, mode: .createOrOpen))
            size = try handles.0.size()
        } catch {
            throw .io(error, "cannot open segment \(p.log)")
        }
        let segment = LogSegment(baseOffset: baseOffset, log: handles.0,
                                 offsetIndex: try OffsetIndex(handle: handles.1, baseOffset: baseOffset, maxBytes: maxIndexBytes),
                                 timeIndex: try TimeIndex(handle: handles.2, baseOffset: baseOffset, maxBytes: maxIndexBytes),
                                 size: size, nextOffset: baseOffset, maxTimestamp: -1, offsetOfMaxTimestamp: baseOffset)
        segment.indexesWereMissing = indexesMissing
        return segment
    }

    /// Re-validates every batch (CRC and record walk), checks offset
    /// contiguity, and rebuilds both indexes from what it finds. Stops at the
    /// first invalid batch and reports it in `stop`; it does not truncate.
    package func rebuild(buffer: ReadBuffer) throws(StorageError) -> SegmentScanOutcome {
        try offsetIndex.truncate(toCount: 0)
        try timeIndex.truncate(toEntriesBelow: baseOffset)
        var scanner = SegmentScanner(handle: log, from: 0, end: size, validation: .full, buffer: buffer)
        var expected = baseOffset
        var maxTs: Int64 = -1, offsetOfMaxTs = baseOffset, sinceIndex: Int64 = 0
        var stop: StorageError?
        while true {
            let batch: ScannedBatch
            do {
                guard let b = try scanner.next() else { break }
                batch = b
            } catch where error.code == .corruption || error.code == .unsupportedFormat {
                stop = error
                break
            }
            guard batch.header.baseOffset == expected else {
                stop = StorageError(.corruption,
                    "batch base offset \(batch.header.baseOffset) does not follow \(expected - 1)",
                    path: logPath, position: batch.position)
                break
            }
            guard batch.header.lastOffset - baseOffset <= Int64(Int32.max) else {
                stop = StorageError(.corruption, "batch offset \(batch.header.lastOffset) too far from segment base",
                                    path: logPath, position: batch.position)
                break
            }
            if batch.header.maxTimestamp > maxTs {
                maxTs = batch.header.maxTimestamp
                offsetOfMaxTs = batch.header.lastOffset
            }
            if sinceIndex > Int64(indexIntervalBytes), !offsetIndex.isFull {
                try offsetIndex.append(offset: batch.header.lastOffset, position: batch.position)
                try timeIndex.maybeAppend(timestamp: maxTs, offset: offsetOfMaxTs)
                sinceIndex = 0
            }
            sinceIndex += Int64(batch.header.totalSize)
            expected = batch.header.lastOffset + 1
        }
        let fileBytes = size
        restore(size: scanner.position, nextOffset: expected, maxTimestamp: maxTs,
                offsetOfMaxTimestamp: offsetOfMaxTs, bytesSinceLastIndexEntry: sinceIndex, sealed: false)
        return SegmentScanOutcome(validBytes: scanner.position, nextOffset: expected, fileBytes: fileBytes, stop: stop)
    }

    /// The clean-shutdown path: trusts the files after a cheap sanity check
    /// of the indexes. A sealed segment's `nextOffset` is the next segment's
    /// base (`knownNextOffset`); the last segment's is found by scanning from
    /// its last index entry. Returns false when the indexes look wrong and
    /// the caller must `rebuild` instead.
    package func loadTrusted(knownNextOffset: Int64?, buffer: ReadBuffer) throws(StorageError) -> Bool {
        if indexesWereMissing { return false }
        if try offsetIndex.sanityCheck(logSize: size, full: false) != nil { return false }
        var next = baseOffset
        var sinceIndex: Int64 = 0
        if let known = knownNextOffset {
            next = known
        } else {
            let start = offsetIndex.lastEntry ?? OffsetPosition(offset: baseOffset, position: 0)
            var scanner = SegmentScanner(handle: log, from: start.position, end: size, validation: .crc, buffer: buffer)
            var first = true
            do throws(StorageError) {
                while let batch = try scanner.next() {
                    if first, offsetIndex.lastEntry != nil, batch.header.lastOffset != start.offset { return false }
                    first = false
                    next = batch.header.lastOffset + 1
                    sinceIndex += Int64(batch.header.totalSize)
                }
            } catch where error.code == .corruption || error.code == .unsupportedFormat {
                return false  // re-validate the whole segment: a damaged index or a damaged tail batch
            }
        }
        if try timeIndex.sanityCheck(nextOffset: next, full: false) != nil { return false }
        let last = timeIndex.lastEntry
        // The last time-index entry becomes the segment's max timestamp
        // (retention, timestamp search): check it names a batch with exactly
        // that max timestamp, one small read, so a damaged entry is rebuilt.
        if let last {
            let start = try offsetIndex.lookup(last.offset, entryCount: offsetIndex.entryCount).position
            var scanner = SegmentScanner(handle: log, from: start, end: size, validation: .header, buffer: buffer)
            var confirmed = false
            do throws(StorageError) {
                while let batch = try scanner.next() {
                    if batch.header.lastOffset < last.offset { continue }
                    confirmed = batch.header.lastOffset == last.offset && batch.header.maxTimestamp == last.timestamp
                    break
                }
            } catch where error.code == .corruption || error.code == .unsupportedFormat {
                return false  // a damaged index led the scan astray: rebuild (which reports real damage)
            }
            if !confirmed { return false }
        }
        restore(size: size, nextOffset: next, maxTimestamp: last?.timestamp ?? -1,
                offsetOfMaxTimestamp: last?.offset ?? baseOffset, bytesSinceLastIndexEntry: sinceIndex,
                sealed: knownNextOffset != nil)
        return true
    }
}
