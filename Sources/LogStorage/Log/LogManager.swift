// SPDX-License-Identifier: Apache-2.0
// The storage side of a data directory: the lock, the checkpoints, the
// clean-shutdown marker and every partition folder. Numbered open steps
// (docs/recovery.md):
//
//   L1. Create the directory if absent; take the exclusive `.lock`
//       (a second opener, in this or another process, gets `directoryLocked`).
//   L2. Remove `*.tmp` leftovers of interrupted checkpoint replacements.
//   L3. Read both checkpoints (an unreadable one is reported and treated as
//       absent, which only makes recovery scan more).
//   L4. Note whether `.clean-shutdown` exists, then delete it and sync the
//       directory BEFORE anything else is written, so a crash from here on
//       is never mistaken for a clean shutdown.
//   L5. Open every `<topic>-<partition>` folder (PartitionRecovery P1-P5).
//   L6. Write fresh checkpoints (recovery points are now the log ends).
//
// Close: close every partition (seal + fdatasync), write both checkpoints,
// then create `.clean-shutdown` and sync the directory, then drop the lock.
import FileIO
import Logging
import Synchronization

// MARK: Invariants
// I1. While a LogManager is open, this process holds `.lock` exclusively.
// I2. `.clean-shutdown` exists only between a successful close and the next open.
// I3. Checkpointed recovery points never exceed what was fdatasynced.

package final class LogManager: Sendable {
    package let directory: String
    package let fs: any FileSystem
    package let clock: any LogClock
    package let logger: Logger
    private let lock: any FileLock
    private let partitions: Mutex<[TopicPartition: Partition]>
    private let closed = Mutex(false)
    /// What the checkpoint files hold now (nil entries: not written by this instance yet).
    private let lastCheckpoints = Mutex<(recovery: [TopicPartition: Int64]?, starts: [TopicPartition: Int64]?)>((nil, nil))

    private init(directory: String, fs: any FileSystem, clock: any LogClock, logger: Logger, lock: any FileLock,
                 partitions: [TopicPartition: Partition]) {
        self.directory = directory
        self.fs = fs
        self.clock = clock
        self.logger = logger
        self.lock = lock
        self.partitions = Mutex(partitions)
    }

    private var recoveryCheckpointPath: String { LogFileNames.join(directory, LogFileNames.recoveryPointCheckpoint) }
    private var logStartCheckpointPath: String { LogFileNames.join(directory, LogFileNames.logStartCheckpoint) }
    private var cleanMarkerPath: String { LogFileNames.join(directory, LogFileNames.cleanShutdownMarker) }

    /// Opens (creating if needed) the data directory and recovers every partition.
    /// `configFor` supplies each discovered partition's settings.
    ///
    /// - Throws: `.directoryLocked`, `.corruption` (fsynced data is damaged;
    ///   names file and position), `.io`.
    package static func open(directory: String, fs: any FileSystem, clock: any LogClock = SystemLogClock(),
                             logger: Logger, lock heldLock: (any FileLock)? = nil,
                             configFor: (TopicPartition) -> PartitionConfig)
        throws(StorageError) -> (LogManager, RecoveryReport)
    {
        // L1
        let lock: any FileLock
        if let heldLock { lock = heldLock } else { lock = try lockDirectory(directory, fs: fs) }
        do {
            return try recover(directory: directory, fs: fs, clock: clock, logger: logger, lock: lock, configFor: configFor)
        } catch {
            lock.release()
            throw error
        }
    }

    /// L1: creates the directory if needed (making its name durable) and
    /// takes its exclusive lock. Callers that must hold the lock before
    /// opening other files (the metadata store) take it here and pass it to `open`.
    package static func lockDirectory(_ directory: String, fs: any FileSystem) throws(StorageError) -> any FileLock {
        do throws(IOError) {
            if !fs.isDirectory(directory) {
                try fs.createDirectory(directory)
                // The directory's own name must be durable before anything in it is acknowledged.
                try fs.syncDirectory(Partition.parentDirectory(of: directory))
            }
        } catch {
            throw .io(error, "cannot create data directory")
        }
        let lockPath = LogFileNames.join(directory, LogFileNames.lockFile)
        do {
            return try fs.lockExclusive(lockPath)
        } catch where error.code == .locked {
            throw StorageError(.directoryLocked, "data directory \(directory) is in use by another Spool instance",
                               path: lockPath, cause: error)
        } catch {
            throw .io(error, "cannot lock data directory")
        }
    }

    private static func recover(directory: String, fs: any FileSystem, clock: any LogClock, logger: Logger,
                                lock: any FileLock, configFor: (TopicPartition) -> PartitionConfig)
        throws(StorageError) -> (LogManager, RecoveryReport)
    {
        var report = RecoveryReport()
        let names: [String]
        do { names = try fs.listDirectory(directory) } catch { throw .io(error, "cannot list data directory") }
        // L2
        for name in names where name.hasSuffix(LogFileNames.temporarySuffix) {
            let path = LogFileNames.join(directory, name)
            do { try fs.removeFile(path) } catch { throw .io(error, "cannot remove leftover") }
            report.removedFiles.append(path)
        }
        // L3
        func readCheckpoint(_ name: String) -> [TopicPartition: Int64] {
            let path = LogFileNames.join(directory, name)
            do { return try OffsetCheckpointFile.read(fs, path: path) } catch {
                logger.warning("ignoring unreadable checkpoint", metadata: ["path": "\(path)", "error": "\(error)"])
                report.warnings.append("unreadable checkpoint \(path): \(error)")
                return [:]
            }
        }
        let recoveryPoints = readCheckpoint(LogFileNames.recoveryPointCheckpoint)
        let logStarts = readCheckpoint(LogFileNames.logStartCheckpoint)
        // L4
        let markerPath = LogFileNames.join(directory, LogFileNames.cleanShutdownMarker)
        let clean = fs.exists(markerPath)
        report.cleanShutdown = clean
        if clean {
            do throws(IOError) {
                try fs.removeFile(markerPath)
                try fs.syncDirectory(directory)
            } catch {
                throw .io(error, "cannot remove clean-shutdown marker")
            }
        }
        logger.info("opening log directory", metadata: ["directory": "\(directory)", "cleanShutdown": "\(clean)"])
        // L5
        var partitions: [TopicPartition: Partition] = [:]
        for name in names {
            let path = LogFileNames.join(directory, name)
            guard fs.isDirectory(path), let (topic, number) = LogFileNames.parsePartitionDirectory(name) else { continue }
            let tp = TopicPartition(topic, number)
            var partitionReport = RecoveryReport()
            let partition = try Partition.open(tp, directory: path, fs: fs, config: configFor(tp), clock: clock,
                                               logger: logger, recoveryPoint: recoveryPoints[tp],
                                               logStartOffset: logStarts[tp], cleanShutdown: clean,
                                               report: &partitionReport)
            report.merge(partitionReport)
            partitions[tp] = partition
        }
        let manager = LogManager(directory: directory, fs: fs, clock: clock, logger: logger, lock: lock,
                                 partitions: partitions)
        // L6
        try manager.writeCheckpoints()
        logger.info("log directory open", metadata: [
            "partitions": "\(report.partitionsLoaded)", "segments": "\(report.segmentsLoaded)",
            "bytesScanned": "\(report.bytesScanned)", "truncations": "\(report.truncations.count)"])
        return (manager, report)
    }

    // MARK: - Partitions

    package func partition(_ tp: TopicPartition) -> Partition? { partitions.withLock { $0[tp] } }

    package var allPartitions: [TopicPartition: Partition] { partitions.withLock { $0 } }

    /// Creates the folder and first segment of a new partition.
    /// - Throws: `.invalidArgument` if it exists, `.io`, `.closed`.
    package func createPartition(_ tp: TopicPartition, config: PartitionConfig) throws(StorageError) -> Partition {
        try checkOpen()
        if partition(tp) != nil { throw StorageError(.invalidArgument, "partition \(tp) already exists") }
        let path = LogFileNames.join(directory, LogFileNames.partitionDirectory(topic: tp.topic, partition: tp.partition))
        if fs.exists(path) {
            // A folder from an earlier, interrupted delete: start over.
            do { try fs.removeDirectoryRecursively(path) } catch { throw .io(error, "cannot clear stale partition folder") }
        }
        let p = try Partition.create(tp, directory: path, fs: fs, config: config, clock: clock, logger: logger)
        partitions.withLock { $0[tp] = p }
        return p
    }

    /// Closes a partition and removes its folder.
    package func deletePartition(_ tp: TopicPartition) throws(StorageError) {
        guard let p = partitions.withLock({ $0.removeValue(forKey: tp) }) else { return }
        _ = try? p.close()
        do throws(IOError) {
            try fs.removeDirectoryRecursively(p.directory)
            try fs.syncDirectory(directory)
        } catch {
            throw .io(error, "cannot delete partition folder")
        }
        try writeCheckpoints()
    }

    // MARK: - Checkpoints, retention, flush

    /// Atomically rewrites both checkpoint files from the partitions' current state.
    package func writeCheckpoints() throws(StorageError) {
        var recovery: [TopicPartition: Int64] = [:], starts: [TopicPartition: Int64] = [:]
        for (tp, p) in allPartitions {
            let s = p.summary
            recovery[tp] = s.recoveryPoint
            starts[tp] = s.logStartOffset
        }
        // A checkpoint costs two fsyncs and a rename: skip a file whose
        // content would not change (the periodic call mostly finds nothing new).
        let (writeRecovery, writeStarts) = lastCheckpoints.withLock { ($0.recovery != recovery, $0.starts != starts) }
        if writeRecovery {
            try OffsetCheckpointFile.write(recovery, to: recoveryCheckpointPath, directory: directory, fs: fs)
            lastCheckpoints.withLock { $0.recovery = recovery }
        }
        if writeStarts {
            try OffsetCheckpointFile.write(starts, to: logStartCheckpointPath, directory: directory, fs: fs)
            lastCheckpoints.withLock { $0.starts = starts }
        }
    }

    /// Applies retention to every partition; returns the segments deleted per partition.
    @discardableResult
    package func applyRetention(now: Int64? = nil) throws(StorageError) -> [TopicPartition: [Int64]] {
        let now = now ?? clock.nowMillis()
        var detached: [(Partition, [LogSegment])] = []
        for (_, p) in allPartitions {
            let removed = p.detachExpiredSegments(now: now)
            if !removed.isEmpty { detached.append((p, removed)) }
        }
        guard !detached.isEmpty else { return [:] }
        // The new log starts are durable before any file disappears.
        try writeCheckpoints()
        var result: [TopicPartition: [Int64]] = [:]
        for (p, removed) in detached {
            try p.deleteFiles(of: removed)
            result[p.topicPartition] = removed.map(\.baseOffset)
        }
        return result
    }

    /// Syncs every partition (for `.interval` durability and before close).
    package func flushAll() async throws(StorageError) {
        for (_, p) in allPartitions { try await p.flush() }
    }

    // MARK: - Close

    /// Closes every partition, checkpoints, writes the clean-shutdown marker
    /// (only when every partition closed cleanly) and releases the lock.
    package func close() throws(StorageError) {
        let wasClosed = closed.withLock { c in defer { c = true }; return c }
        guard !wasClosed else { return }
        defer { lock.release() }
        var firstError: StorageError?
        for (_, p) in allPartitions {
            do { try p.close() } catch { firstError = firstError ?? error }
        }
        try writeCheckpoints()
        if let firstError { throw firstError }
        do throws(IOError) {
            let marker = try fs.open(cleanMarkerPath, mode: .createOrOpen)
            try marker.sync()
            try marker.close()
            try fs.syncDirectory(directory)
        } catch {
            throw .io(error, "cannot write clean-shutdown marker")
        }
        logger.info("log directory closed cleanly", metadata: ["directory": "\(directory)"])
    }

    private func checkOpen() throws(StorageError) {
        if closed.withLock({ $0 }) { throw StorageError(.closed, "log directory \(directory) is closed") }
    }
}

// MARK: - Verify

extension LogManager {
    /// Checks every partition and both checkpoint files; changes nothing.
    package func verify() -> VerifyReport {
        var report = VerifyReport()
        for (_, p) in allPartitions.sorted(by: { $0.key < $1.key }) { report.merge(p.verify()) }
        for name in [LogFileNames.recoveryPointCheckpoint, LogFileNames.logStartCheckpoint] {
            let path = LogFileNames.join(directory, name)
            do {
                let entries = try OffsetCheckpointFile.read(fs, path: path)
                for (tp, offset) in entries {
                    guard let p = partition(tp) else { continue }
                    if offset > p.logEndOffset {
                        report.problem(path, nil, "\(tp): checkpointed offset \(offset) is beyond the log end \(p.logEndOffset)")
                    }
                }
            } catch {
                report.problem(path, error.position, error.message)
            }
        }
        return report
    }
}
