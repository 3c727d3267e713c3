// SPDX-License-Identifier: Apache-2.0
// recover: how long reopening a large log takes (LogManager.open, the
// storage recovery that Spool.open runs), after a clean close and after an
// unclean stop. The log is --recover-mib of 1 KiB records in batches of
// 1000, in segments of 1/16 of that (64 MiB for 1 GiB). Clean: five reopens,
// median reported; nothing should be scanned. Unclean: the log is reopened,
// a tail is appended and the LogManager is dropped without close, which
// leaves exactly what a process crash leaves (no clean-shutdown marker, the
// recovery-point checkpoint of the last open, unsealed indexes); the reopen
// must re-validate only the segments at or past the recovery point. It is
// measured with the tail already written back (sync before the open); the
// time with the tail still dirty is kept in the result's notes.
import FileIO
import LogStorage
#if canImport(Glibc)
import Glibc
#endif

struct RecoverWorkload: Workload {
    let name = WorkloadName.recover
    let summary = "reopen time of a large multi-segment log: clean close and unclean stop"

    static let tp = TopicPartition("recover", 0)

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        let target = settings.recoverBytes
        var config = PartitionConfig()
        config.durability = .none
        config.segmentBytes = max(1 << 20, target / 16)
        let tail = max(2 * config.segmentBytes, target / 8)
        let path = try context.directory("recover")
        defer { context.discard(path) }
        let fs = PosixFileSystem()
        let logger = WorkloadContext.quietLogger()
        let frame = EncodedFrame(recordSize: 1024, count: 1000)

        Progress.line("  recover: writing \(formatBytes(target)) in \(formatBytes(config.segmentBytes)) segments (untimed)")
        do {
            let (manager, _) = try LogManager.open(directory: path, fs: fs, logger: logger, configFor: { _ in config })
            let partition = try manager.createPartition(Self.tp, config: config)
            try await frame.append(to: partition, bytes: target)
            try manager.close()
        }

        var results: [BenchResult] = []
        var clean = try await context.measure("recover clean") {
            var histogram = LatencyHistogram()
            var last = RecoveryReport()
            var records: Int64 = 0
            for _ in 0..<5 {
                let t0 = Stopwatch.nanos()
                let (manager, report) = try LogManager.open(directory: path, fs: fs, logger: logger, configFor: { _ in config })
                histogram.record(nanos: Stopwatch.nanos() &- t0)
                records = manager.partition(Self.tp)?.logEndOffset ?? 0
                try manager.close()
                last = report
                guard report.cleanShutdown else { throw BenchError("clean reopen did not find the clean-shutdown marker") }
            }
            var r = BenchResult(workload: name, variant: "clean", recordSize: 1024, durability: .notApplicable,
                                records: Int(records), seconds: Double(histogram.value(atQuantile: 0.5)) / 1e9,
                                bytes: last.bytesScanned)
            r.setLatencies(histogram)
            r.bytesScanned = last.bytesScanned
            r.checksumOK = records == frame.records(forBytes: target)
            r.notes.append("\(last.segmentsLoaded) segments, log \(formatBytes(target)); seconds = median of 5 reopens")
            return r
        }
        if target >= 1 << 30 {
            clean.targets.append(("< 50 ms for a ≥ 1 GiB log", clean.seconds < 0.050))
        }
        results.append(clean)

        // First stop: reopen at once, with the appended tail still dirty in
        // the page cache (a restart right after kill -9): recovery's fdatasync
        // of the re-validated segments then includes writing the tail back.
        Progress.line("  recover: appending \(formatBytes(tail)) and stopping without close (untimed)")
        _ = try await appendAndAbandon(path: path, fs: fs, config: config, frame: frame, bytes: tail)
        let dirtyStart = Stopwatch.nanos()
        let (dirtyManager, dirtyReport) = try LogManager.open(directory: path, fs: fs, logger: logger, configFor: { _ in config })
        let dirtySeconds = Double(Stopwatch.nanos() &- dirtyStart) / 1e9
        try dirtyManager.close()
        // Second stop, measured: the tail written back first (untimed sync),
        // so the time is recovery's own work: scan, index rebuild, syncs.
        Progress.line("  recover: appending \(formatBytes(tail)) again, stopping without close, sync (untimed)")
        let before = try await appendAndAbandon(path: path, fs: fs, config: config, frame: frame, bytes: tail)
        if fs.exists(path + "/" + LogFileNames.cleanShutdownMarker) {
            throw BenchError("the clean-shutdown marker survived an unclean stop")
        }
        sync()
        var unclean = try await context.measure("recover unclean") {
            let t0 = Stopwatch.nanos()
            let (manager, report) = try LogManager.open(directory: path, fs: fs, logger: logger, configFor: { _ in config })
            let seconds = Double(Stopwatch.nanos() &- t0) / 1e9
            let end = manager.partition(Self.tp)?.logEndOffset ?? 0
            try manager.close()
            var r = BenchResult(workload: name, variant: "unclean", recordSize: 1024, durability: .notApplicable,
                                records: Int(end), seconds: seconds, bytes: report.bytesScanned)
            r.bytesScanned = report.bytesScanned
            // A process crash loses nothing that was written: every record is back.
            r.checksumOK = report.truncations.isEmpty && end == before.endAfter
            r.notes.append("recovery point at offset \(before.recoveryPoint) of \(end); \(formatBytes(tail)) appended after it; \(report.truncations.count) truncations; tail synced before the timed open")
            r.notes.append("with the tail still dirty in the page cache (reopen right after the stop): \(formatFixed(dirtySeconds * 1000, decimals: 1)) ms for \(formatBytes(dirtyReport.bytesScanned)) scanned")
            return r
        }
        let scanned = unclean.bytesScanned ?? 0
        unclean.targets.append(("scans ≥ 1 GB/s", unclean.megabytesPerSecond >= 1000))
        unclean.targets.append(("scans only past the recovery point (≤ tail + 1 segment)",
                                scanned > 0 && scanned <= tail + config.segmentBytes + (2 << 20)))
        results.append(unclean)
        return results
    }

    /// Opens the log, appends `bytes`, and drops the manager without closing
    /// it (the process-crash state). Returns the recovery point the open
    /// checkpointed and the log end after the appends.
    private func appendAndAbandon(path: String, fs: any FileSystem, config: PartitionConfig, frame: EncodedFrame,
                                  bytes: Int64) async throws -> (recoveryPoint: Int64, endAfter: Int64) {
        let (manager, _) = try LogManager.open(directory: path, fs: fs, logger: WorkloadContext.quietLogger(),
                                               configFor: { _ in config })
        guard let partition = manager.partition(Self.tp) else { throw BenchError("partition \(Self.tp) missing") }
        let recoveryPoint = partition.recoveryPoint
        try await frame.append(to: partition, bytes: bytes)
        return (recoveryPoint, partition.logEndOffset)
        // `manager` is released here without close(): its lock is dropped
        // (the lock's deinit), the checkpoint and marker are left as a crash leaves them.
    }
}
