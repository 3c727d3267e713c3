// SPDX-License-Identifier: Apache-2.0
// The embeddable log: one data directory, its topics, producers, consumers
// and groups. Opening runs recovery (docs/recovery.md); `close()` leaves the
// directory clean.
//
//   <data>/.lock, spool.sqlite(-wal,-shm), checkpoints, .clean-shutdown,
//   <topic>-<partition>/ segment folders (see docs/format.md)
import FileIO
import GroupCoordinator
import Logging
import LogStorage
import MetadataStore
import Synchronization

// MARK: Invariants
// I1. Every topic in the catalog has exactly its `partitionCount` partition
//     folders open in `log`; no other partition folders exist (reconciled at open).
// I2. `topics` mirrors the catalog; it changes only after the catalog committed.
// I3. After `close()` every call throws `.closed`; close is idempotent.

/// An open Spool data directory. Thread-safe: share one instance across tasks.
///
/// ```swift
/// let spool = try Spool.open(at: "/var/lib/app/spool")
/// try spool.createTopic("orders", partitions: 6)
/// let receipt = try await spool.producer().send(Record(key: "order-1", value: "…"), to: "orders")
/// ```
public final class Spool: Sendable {
    /// The data directory.
    public let directory: String
    let configuration: Configuration
    let logger: Logger
    let fs: any FileSystem
    let log: LogManager
    let metadata: MetadataStore
    let coordinator: GroupCoordinator
    let clock: SpoolClock

    struct TopicInfo: Sendable {
        var partitionCount: Int
        var config: TopicConfiguration
    }

    struct State: Sendable {
        var closed = false
        var topics: [String: TopicInfo]
        var maintenance: Task<Void, Never>?
    }

    let state: Mutex<State>
    let builders = BuilderPool()
    let roundRobin = Atomic<Int>(0)

    static let metadataFileName = "spool.sqlite"

    /// Opens the data directory at `path`, creating it if absent, and runs
    /// recovery: storage (torn tails cut, indexes rebuilt), metadata
    /// migrations, committed offsets clamped to log ends, group state rebuilt.
    ///
    /// - Throws: `SpoolError` with code `.directoryLocked` (another opener holds
    ///   it), `.notASpoolDirectory`, `.metadataUnusable` (damaged, foreign or
    ///   newer database), `.corruption` (fsynced data is damaged; the message
    ///   names file and byte position), `.io`.
    public static func open(at path: String, configuration: Configuration = Configuration()) throws -> Spool {
        try open(at: path, configuration: configuration, fileSystem: PosixFileSystem(), clock: SpoolClock.system,
                 metadataPath: nil)
    }

    /// The full-control entry point used by tests and tools: any `FileSystem`
    /// (fault-injecting, crash-simulating), any clock, and a metadata file
    /// location (SQLite always uses the real file system).
    package static func open(at path: String, configuration: Configuration, fileSystem fs: any FileSystem,
                             clock: SpoolClock, metadataPath: String?) throws -> Spool {
        let logger = configuration.logger
        if fs.isDirectory(path) {
            let names = (try? fs.listDirectory(path)) ?? []
            let ours = names.contains(metadataFileName) || names.contains(LogFileNames.lockFile)
            if !names.isEmpty && !ours {
                throw SpoolError(.notASpoolDirectory,
                                 "\(path) is not empty and is not a Spool data directory (no \(metadataFileName))")
            }
        } else if fs.exists(path) {
            throw SpoolError(.notASpoolDirectory, "\(path) exists and is not a directory")
        }
        // Step 1: the lock, before any other file is opened.
        let lock: any FileLock
        do { lock = try LogManager.lockDirectory(path, fs: fs) } catch { throw SpoolError(error) }
        var metadata: MetadataStore?
        do {
            // Step 2: metadata and migrations.
            let store: MetadataStore
            do {
                store = try MetadataStore.open(path: metadataPath ?? LogFileNames.join(path, metadataFileName),
                                               synchronous: configuration.metadataSynchronousFull ? .full : .normal,
                                               logger: logger)
            } catch { throw SpoolError(error) }
            metadata = store
            // A catalog created just now next to existing partition folders
            // means the metadata file was deleted or emptied: refuse rather
            // than treat every folder as an orphan and delete the data.
            if store.migrationReport.alreadyApplied.isEmpty {
                let folders = ((try? fs.listDirectory(path)) ?? []).filter {
                    LogFileNames.parsePartitionDirectory($0) != nil && fs.isDirectory(LogFileNames.join(path, $0))
                }
                if !folders.isEmpty {
                    throw SpoolError(.metadataUnusable,
                        "\(metadataFileName) in \(path) is new or empty but \(folders.count) partition folder(s) exist "
                        + "(e.g. \(folders[0])); the metadata was lost or replaced; restore it from a backup")
                }
            }
            let records: [TopicRecord]
            do { records = try store.listTopics() } catch { throw SpoolError(error) }
            var topics: [String: TopicInfo] = [:]
            for r in records {
                topics[r.name] = TopicInfo(partitionCount: Int(r.partitionCount), config: TopicConfiguration(record: r.config))
            }
            // Steps 3-4: storage recovery.
            let snapshot = topics
            let (log, report) = try wrapStorage {
                try LogManager.open(directory: path, fs: fs, clock: clock, logger: logger, lock: lock,
                                    configFor: { tp in partitionConfig(configuration, snapshot[tp.topic]?.config) })
            }
            if !report.truncations.isEmpty || !report.warnings.isEmpty {
                logger.warning("storage recovery repaired the log", metadata: [
                    "truncations": "\(report.truncations.count)", "warnings": "\(report.warnings)"])
            }
            try reconcile(log: log, topics: topics, configuration: configuration, logger: logger)
            // Steps 5-6: groups rebuilt, committed offsets beyond a log end clamped.
            let coordinator: GroupCoordinator
            do {
                coordinator = try GroupCoordinator(persistence: SQLiteGroupStore(store: store),
                                                   topics: topics.mapValues { Int32($0.partitionCount) },
                                                   clock: clock, logger: logger)
                var ends: [GroupPartition: Int64] = [:]
                for (tp, p) in log.allPartitions { ends[GroupPartition(tp.topic, tp.partition)] = p.logEndOffset }
                try removeDeadDynamicMembers(coordinator, logger: logger)
                let beyond = try coordinator.offsetsBeyondEnd(endOffsets: ends, clamp: true)
                for b in beyond {
                    logger.warning("committed offset was beyond the log end; clamped", metadata: [
                        "group": "\(b.groupID)", "partition": "\(b.partition)", "committed": "\(b.committed)",
                        "logEnd": "\(b.logEnd)"])
                }
            } catch {
                try? log.close()
                throw SpoolError(error)
            }
            let spool = Spool(directory: path, configuration: configuration, logger: logger, fs: fs, log: log,
                              metadata: store, coordinator: coordinator, clock: clock, topics: topics)
            spool.startMaintenance()
            return spool
        } catch {
            metadata?.close()
            lock.release()
            throw SpoolError.wrap(error)
        }
    }

    private init(directory: String, configuration: Configuration, logger: Logger, fs: any FileSystem, log: LogManager,
                 metadata: MetadataStore, coordinator: GroupCoordinator, clock: SpoolClock, topics: [String: TopicInfo]) {
        self.directory = directory
        self.configuration = configuration
        self.logger = logger
        self.fs = fs
        self.log = log
        self.metadata = metadata
        self.coordinator = coordinator
        self.clock = clock
        self.state = Mutex(State(topics: topics))
    }

    /// Members rebuilt from SQLite belonged to the previous owner of the
    /// directory lock, a process that is gone. A dynamic member can never
    /// come back (a new consumer always joins with a new member id), so
    /// keeping its partitions for its session timeout would only stall the
    /// group: it is removed now, with a rebalance. Static members (with an
    /// instance id) keep their partitions until their session timeout, so a
    /// restarted instance resumes without a rebalance (Kafka KIP-345).
    private static func removeDeadDynamicMembers(_ coordinator: GroupCoordinator, logger: Logger) throws(CoordinatorError) {
        for listing in coordinator.listGroups() {
            let description = try coordinator.describe(group: listing.groupID)
            for member in description.members where member.instanceID == nil {
                try coordinator.leave(group: listing.groupID, member: member.memberID, permanently: true)
                logger.info("removed member of the previous process", metadata: [
                    "group": "\(listing.groupID)", "member": "\(member.memberID)"])
            }
        }
    }

    /// Makes the partition folders match the catalog (I1): a crash between a
    /// catalog change and the folder change is finished here.
    private static func reconcile(log: LogManager, topics: [String: TopicInfo], configuration: Configuration,
                                  logger: Logger) throws {
        for (tp, _) in log.allPartitions {
            guard let info = topics[tp.topic], Int(tp.partition) < info.partitionCount else {
                logger.warning("deleting partition folder not in the catalog", metadata: ["partition": "\(tp)"])
                try wrapStorage { try log.deletePartition(tp) }
                continue
            }
        }
        for (name, info) in topics {
            for p in 0..<info.partitionCount where log.partition(LogPartition(name, Int32(p))) == nil {
                logger.info("creating missing partition folder", metadata: ["topic": "\(name)", "partition": "\(p)"])
                _ = try wrapStorage { try log.createPartition(LogPartition(name, Int32(p)), config: partitionConfig(configuration, info.config)) }
            }
        }
    }

    // MARK: - Close

    /// Flushes and closes every partition, writes the checkpoints and the
    /// clean-shutdown marker, and releases the directory lock. Consumers and
    /// producers of this instance stop working. Idempotent.
    ///
    /// - Throws: `.io` if a final sync failed (the next open recovers).
    public func close() throws {
        let task: Task<Void, Never>? = state.withLock { s in
            guard !s.closed else { return nil }
            s.closed = true
            let t = s.maintenance
            s.maintenance = nil
            return t
        }
        task?.cancel()
        var firstError: SpoolError?
        do { try log.close() } catch { firstError = SpoolError(error) }
        metadata.close()
        if let firstError { throw firstError }
    }

    /// Whether `close()` was called.
    public var isClosed: Bool { state.withLock { $0.closed } }

    func checkOpen() throws(SpoolError) {
        if state.withLock({ $0.closed }) { throw SpoolError(.closed, "this Spool was closed") }
    }

    // MARK: - Helpers

    static func partitionConfig(_ c: Configuration, _ t: TopicConfiguration?) -> PartitionConfig {
        var p = PartitionConfig()
        p.durability = (t?.durability ?? c.durability).storage
        p.segmentBytes = t?.segmentBytes ?? c.segmentBytes
        p.retentionMs = t?.retentionMs ?? c.retentionMs
        p.retentionBytes = t?.retentionBytes ?? c.retentionBytes
        p.maxBatchBytes = c.maxBatchBytes
        return p
    }

    func topicExists(_ topic: String) -> Bool { state.withLock { $0.topics[topic] != nil } }

    func topicInfo(_ topic: String) throws(SpoolError) -> TopicInfo {
        try checkOpen()
        guard let info = state.withLock({ $0.topics[topic] }) else {
            throw SpoolError(.unknownTopic, "unknown topic '\(topic)'")
        }
        return info
    }

    func partition(_ topic: String, _ index: Int) throws(SpoolError) -> Partition {
        let info = try topicInfo(topic)
        guard index >= 0, index < info.partitionCount, let p = log.partition(LogPartition(topic, Int32(index))) else {
            throw SpoolError(.unknownPartition, "topic '\(topic)' has no partition \(index) (it has \(info.partitionCount))")
        }
        return p
    }
}

/// Runs a lower-layer call, mapping its error to `SpoolError` (cause kept).
func wrapStorage<T>(_ body: () throws -> T) throws(SpoolError) -> T {
    do { return try body() } catch { throw SpoolError.wrap(error) }
}

extension Durability {
    var storage: LogStorage.Durability {
        switch self {
        case .fsyncEachBatch: .fsyncEachBatch
        case .interval(let ms): .interval(milliseconds: Int64(ms))
        case .none: .none
        }
    }
}
