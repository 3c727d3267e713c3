// SPDX-License-Identifier: Apache-2.0
// Opening one partition folder: the per-partition steps of docs/recovery.md.
//
//   P1. Remove leftovers: `*.tmp`, `*.deleted`, index files without a `.log`.
//       Unknown files are logged and left alone.
//   P2. Delete segments that lie wholly below the checkpointed log start
//       (retention crashed between checkpoint and unlink).
//   P3. Clean shutdown: trust each segment after a cheap index check; a
//       segment whose index fails the check is re-validated (P4 rules, with
//       everything treated as below the recovery point).
//   P4. Unclean: segments wholly below the recovery point are trusted like
//       P3; every other segment is re-validated batch by batch (CRC + record
//       walk + offset contiguity) and its indexes rebuilt. At the first bad
//       batch: if its offset is below the recovery point the data was
//       fsynced, so it is CORRUPTION: open fails, naming file and position.
//       Otherwise it is a torn tail: the segment is cut there, later segments
//       are deleted, and a warning names file, position and bytes dropped.
//   P5. Re-validated segments are fdatasynced, so the recovery point becomes
//       the log end.
import FileIO
import Logging

extension Partition {
    /// Creates a new partition folder with one empty segment at `baseOffset`.
    package static func create(_ tp: TopicPartition, directory: String, fs: any FileSystem, config: PartitionConfig,
                               clock: any LogClock, logger: Logger, baseOffset: Int64 = 0) throws(StorageError) -> Partition {
        do throws(IOError) {
            try fs.createDirectory(directory)
        } catch {
            throw .io(error, "cannot create partition directory")
        }
        let segment = try LogSegment.create(fs: fs, directory: directory, baseOffset: baseOffset,
                                            maxIndexBytes: config.maxIndexBytes)
        do throws(IOError) {
            // The segment's name, then the folder's name, become durable.
            try fs.syncDirectory(directory)
            try fs.syncDirectory(parentDirectory(of: directory))
        } catch {
            throw .io(error, "cannot sync new partition directory")
        }
        return Partition(topicPartition: tp, directory: directory, fs: fs, config: config, clock: clock, logger: logger,
                         segments: [segment], logStartOffset: baseOffset, recoveryPoint: baseOffset)
    }

    /// Opens an existing partition folder, recovering it as described above.
    package static func open(_ tp: TopicPartition, directory: String, fs: any FileSystem, config: PartitionConfig,
                             clock: any LogClock, logger: Logger, recoveryPoint checkpointedRecoveryPoint: Int64?,
                             logStartOffset checkpointedLogStart: Int64?, cleanShutdown: Bool,
                             report: inout RecoveryReport) throws(StorageError) -> Partition {
        let names: [String]
        do { names = try fs.listDirectory(directory) } catch { throw .io(error, "cannot list partition directory") }

        // P1
        var bases = Set<Int64>(), indexOnly = Set<Int64>()
        for name in names {
            let path = LogFileNames.join(directory, name)
            if name.hasSuffix(LogFileNames.temporarySuffix) || name.hasSuffix(LogFileNames.deletedSuffix) {
                try remove(path, fs: fs, report: &report, logger: logger, why: "leftover")
            } else if let (base, kind) = LogFileNames.parseSegmentFile(name) {
                if kind == .log { bases.insert(base) } else { indexOnly.insert(base) }
            } else {
                logger.warning("ignoring unknown file in partition directory", metadata: ["path": "\(path)"])
                report.warnings.append("unknown file \(path)")
            }
        }
        for base in indexOnly.subtracting(bases).sorted() {
            let p = LogSegment.paths(directory: directory, baseOffset: base)
            for path in [p.index, p.timeIndex] where fs.exists(path) {
                try remove(path, fs: fs, report: &report, logger: logger, why: "index without a log")
            }
        }
        var sortedBases = bases.sorted()
        if sortedBases.isEmpty {
            // A crash between mkdir and the first segment: start empty.
            let start = checkpointedLogStart ?? 0
            let segment = try LogSegment.create(fs: fs, directory: directory, baseOffset: start,
                                                maxIndexBytes: config.maxIndexBytes)
            do { try fs.syncDirectory(directory) } catch { throw .io(error, "cannot sync partition directory") }
            report.partitionsLoaded += 1
            return Partition(topicPartition: tp, directory: directory, fs: fs, config: config, clock: clock,
                             logger: logger, segments: [segment], logStartOffset: start, recoveryPoint: start)
        }

        // P2
        if let logStart = checkpointedLogStart {
            while sortedBases.count > 1, sortedBases[1] <= logStart {
                let p = LogSegment.paths(directory: directory, baseOffset: sortedBases[0])
                for path in [p.log, p.index, p.timeIndex] where fs.exists(path) {
                    try remove(path, fs: fs, report: &report, logger: logger, why: "segment below the log start")
                }
                sortedBases.removeFirst()
            }
        }

        // P3 / P4
        let recoveryPoint = cleanShutdown ? Int64.max : (checkpointedRecoveryPoint ?? 0)
        let buffer = ReadBuffer(capacity: 1 << 20)
        var segments: [LogSegment] = []
        var rescanned: [LogSegment] = []
        for (i, base) in sortedBases.enumerated() {
            let segment = try LogSegment.open(fs: fs, directory: directory, baseOffset: base,
                                              maxIndexBytes: config.maxIndexBytes)
            segment.indexIntervalBytes = config.indexIntervalBytes
            let nextBase: Int64? = i + 1 < sortedBases.count ? sortedBases[i + 1] : nil
            let belowRecoveryPoint = nextBase.map { $0 <= recoveryPoint } ?? cleanShutdown
            if belowRecoveryPoint, try segment.loadTrusted(knownNextOffset: nextBase, buffer: buffer) {
                if let nextBase, segment.nextOffset != nextBase {
                    throw StorageError(.corruption, "segment ends at offset \(segment.nextOffset) but the next starts at \(nextBase)",
                                       path: segment.logPath, position: segment.size)
                }
                segments.append(segment)
                continue
            }
            if belowRecoveryPoint {
                logger.warning("segment failed its open-time check (index or tail); re-validating it and rebuilding its indexes",
                               metadata: ["path": "\(segment.logPath)"])
                report.rebuiltIndexes.append(segment.offsetIndex.path)
            }
            let outcome = try segment.rebuild(buffer: buffer)
            report.bytesScanned += outcome.fileBytes
            rescanned.append(segment)
            if let stop = outcome.stop {
                if outcome.nextOffset < recoveryPoint {
                    // Fsynced data is damaged: never skip or cut it silently.
                    throw StorageError(.corruption, "\(stop.message) (below the recovery point \(recoveryPoint == .max ? "of a clean shutdown" : String(recoveryPoint)))",
                                       path: stop.path ?? segment.logPath, position: stop.position, cause: stop.cause)
                }
                try segment.truncate(toPosition: outcome.validBytes, nextOffset: outcome.nextOffset)
                let dropped = outcome.fileBytes - outcome.validBytes
                    + (try dropSegments(sortedBases[(i + 1)...], directory: directory, fs: fs, report: &report, logger: logger))
                logger.warning("truncated torn tail", metadata: [
                    "path": "\(segment.logPath)", "position": "\(outcome.validBytes)", "bytesDropped": "\(dropped)",
                    "reason": "\(stop.message)"])
                report.truncations.append(.init(path: segment.logPath, position: outcome.validBytes,
                                                bytesDropped: dropped, reason: stop.message))
                segments.append(segment)
                break
            }
            if let nextBase, segment.nextOffset != nextBase {
                if segment.nextOffset < recoveryPoint {
                    throw StorageError(.corruption, "segment ends at offset \(segment.nextOffset) but the next starts at \(nextBase)",
                                       path: segment.logPath, position: segment.size)
                }
                // An unsynced gap: everything after it is unacknowledged-durable tail.
                let dropped = try dropSegments(sortedBases[(i + 1)...], directory: directory, fs: fs, report: &report, logger: logger)
                logger.warning("dropped segments after an unsynced gap", metadata: [
                    "path": "\(segment.logPath)", "position": "\(segment.size)", "bytesDropped": "\(dropped)"])
                report.truncations.append(.init(path: segment.logPath, position: segment.size, bytesDropped: dropped,
                                                reason: "next segment does not continue at offset \(segment.nextOffset)"))
                segments.append(segment)
                break
            }
            if nextBase != nil {
                // A sealed segment's time index ends with its max timestamp and
                // its files are synced (LogSegment I4).
                try segment.seal()
            }
            segments.append(segment)
        }

        // P5
        // Sealed ones were synced by `seal()` above; sync the rest once.
        for segment in rescanned where !segment.isSealed { try segment.syncAll() }
        if !rescanned.isEmpty {
            do { try fs.syncDirectory(directory) } catch { throw .io(error, "cannot sync partition directory") }
        }
        report.segmentsLoaded += segments.count
        report.partitionsLoaded += 1
        let logEnd = segments.last!.nextOffset
        var logStart = max(checkpointedLogStart ?? segments[0].baseOffset, segments[0].baseOffset)
        if logStart > logEnd {
            report.warnings.append("\(tp): log start \(logStart) was beyond the recovered end \(logEnd); clamped")
            logStart = logEnd
        }
        return Partition(topicPartition: tp, directory: directory, fs: fs, config: config, clock: clock, logger: logger,
                         segments: segments, logStartOffset: logStart, recoveryPoint: logEnd)
    }

    private static func dropSegments(_ bases: ArraySlice<Int64>, directory: String, fs: any FileSystem,
                                     report: inout RecoveryReport, logger: Logger) throws(StorageError) -> Int64 {
        var dropped: Int64 = 0
        for base in bases {
            let p = LogSegment.paths(directory: directory, baseOffset: base)
            dropped += (try? fs.fileSize(p.log)) ?? 0
            for path in [p.log, p.index, p.timeIndex] where fs.exists(path) {
                try remove(path, fs: fs, report: &report, logger: logger, why: "after a torn tail")
            }
        }
        return dropped
    }

    private static func remove(_ path: String, fs: any FileSystem, report: inout RecoveryReport, logger: Logger,
                               why: String) throws(StorageError) {
        do { try fs.removeFile(path) } catch { throw .io(error, "cannot remove \(why) file") }
        logger.info("removed file", metadata: ["path": "\(path)", "reason": "\(why)"])
        report.removedFiles.append(path)
    }

    static func parentDirectory(of path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
