// SPDX-License-Identifier: Apache-2.0
// `verify()`: product code that checks everything a partition claims about its
// files, without changing anything (like SQLite's integrity_check or bbolt's
// Tx.Check). Used by tests, `spool verify` and embedders.
//
// Checks: every batch's shape, CRC-32C and records; offsets contiguous within
// and across segments; each offset-index entry points at a batch start and
// names that batch's last offset, entries increase and none is past the end;
// the time index increases and stays below the segment's next offset; the
// log start and recovery point lie inside the log.
import FileIO

extension Partition {
    package func verify() -> VerifyReport {
        let (segments, sizes, logStart, recoveryPoint, logEnd) = state.withLock { s in
            (s.segments, s.segments.map(\.size), s.logStartOffset, s.recoveryPoint, s.nextOffset)
        }
        var report = VerifyReport()
        report.partitions = 1
        let buffer = ReadBuffer(capacity: 1 << 20)
        for (i, segment) in segments.enumerated() {
            report.segments += 1
            report.bytes += sizes[i]
            verify(segment, size: sizes[i], buffer: buffer, report: &report)
            if i + 1 < segments.count, segment.nextOffset != segments[i + 1].baseOffset {
                report.problem(segment.logPath, sizes[i],
                               "segment ends at offset \(segment.nextOffset) but the next segment starts at \(segments[i + 1].baseOffset)")
            }
        }
        if let first = segments.first, logStart < first.baseOffset || logStart > logEnd {
            report.problem(directory, nil, "log start offset \(logStart) is outside [\(first.baseOffset), \(logEnd)]")
        }
        if recoveryPoint > logEnd {
            report.problem(directory, nil, "recovery point \(recoveryPoint) is beyond the log end \(logEnd)")
        }
        return report
    }

    private func verify(_ segment: LogSegment, size: Int64, buffer: ReadBuffer, report: inout VerifyReport) {
        let path = segment.logPath
        let indexEntries = segment.offsetIndex.entryCount
        var nextEntry = 0
        var entry: OffsetPosition? = indexEntries > 0 ? try? segment.offsetIndex.entry(at: 0) : nil
        var expected = segment.baseOffset
        var maxTimestamp: Int64 = -1
        var scanner = SegmentScanner(handle: segment.log, from: 0, end: size, validation: .full, buffer: buffer)
        while true {
            let batch: ScannedBatch
            do {
                guard let b = try scanner.next() else { break }
                batch = b
            } catch {
                report.problem(error.path ?? path, error.position, error.message)
                return  // positions after a bad batch cannot be trusted
            }
            report.batches += 1
            report.records += Int64(batch.header.recordsCount)
            if batch.header.baseOffset != expected {
                report.problem(path, batch.position, "batch base offset \(batch.header.baseOffset), expected \(expected)")
            }
            expected = batch.header.lastOffset + 1
            maxTimestamp = max(maxTimestamp, batch.header.maxTimestamp)
            while let e = entry, e.position <= batch.position {
                if e.position < batch.position {
                    report.problem(segment.offsetIndex.path, Int64(nextEntry * OffsetIndex.entrySize),
                                   "index entry points at position \(e.position), which is not a batch start")
                } else if e.offset != batch.header.lastOffset {
                    report.problem(segment.offsetIndex.path, Int64(nextEntry * OffsetIndex.entrySize),
                                   "index entry says offset \(e.offset) but the batch at \(e.position) ends at \(batch.header.lastOffset)")
                }
                nextEntry += 1
                entry = nextEntry < indexEntries ? try? segment.offsetIndex.entry(at: nextEntry) : nil
            }
        }
        if nextEntry < indexEntries {
            report.problem(segment.offsetIndex.path, Int64(nextEntry * OffsetIndex.entrySize),
                           "\(indexEntries - nextEntry) index entries point past the last batch")
        }
        if expected != segment.nextOffset {
            report.problem(path, size, "segment holds offsets up to \(expected - 1) but claims \(segment.nextOffset - 1)")
        }
        do {
            if let problem = try segment.offsetIndex.sanityCheck(logSize: max(size, 1), full: true) {
                report.problem(segment.offsetIndex.path, nil, problem)
            }
            if let problem = try segment.timeIndex.sanityCheck(nextOffset: expected, full: true) {
                report.problem(segment.timeIndex.path, nil, problem)
            }
            if let last = segment.timeIndex.lastEntry, last.timestamp > maxTimestamp {
                report.problem(segment.timeIndex.path, nil,
                               "time index names timestamp \(last.timestamp), above the segment's max \(maxTimestamp)")
            }
            if segment.isSealed, maxTimestamp >= 0, segment.timeIndex.lastEntry?.timestamp != maxTimestamp {
                report.problem(segment.timeIndex.path, nil,
                               "sealed segment's time index does not end with its max timestamp \(maxTimestamp)")
            }
        } catch {
            report.problem(error.path ?? path, error.position, error.message)
        }
    }
}
