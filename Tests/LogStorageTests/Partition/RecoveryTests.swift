// SPDX-License-Identifier: Apache-2.0
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Recovery at open")
struct RecoveryTests {
    /// Writes 3 segments of 20 records (batches of 4) and closes cleanly.
    static func cleanLog(_ fs: any FileSystem, durability: Durability = .fsyncEachBatch) async throws -> PartitionConfig {
        let config = Fixture.config(durability: durability, segmentBytes: 1_500, indexInterval: 300)
        let (manager, p, _) = try Fixture.open(fs, config: config)
        for _ in 0..<15 { try await Fixture.appendBatch(p, count: 4) }
        try manager.close()
        return config
    }

    static func lastLogPath(_ fs: any FileSystem) throws -> String {
        let logs = try fs.listDirectory("/data/orders-0").filter { $0.hasSuffix(".log") }
        return Fixture.partitionPath(logs.last!)
    }

    static func firstLogPath(_ fs: any FileSystem) throws -> String {
        let logs = try fs.listDirectory("/data/orders-0").filter { $0.hasSuffix(".log") }
        return Fixture.partitionPath(logs.first!)
    }

    static func removeCleanMarker(_ fs: any FileSystem) throws {
        try fs.removeFile("/data/\(LogFileNames.cleanShutdownMarker)")
    }

    @Test("after a clean shutdown nothing is re-scanned and everything reads back")
    func cleanReopen() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        #expect(fs.exists("/data/.clean-shutdown"))
        let (manager, p, report) = try Fixture.open(fs, config: config)
        #expect(report.cleanShutdown && report.bytesScanned == 0 && report.truncations.isEmpty)
        #expect(!fs.exists("/data/.clean-shutdown"), "the marker is removed at open")
        #expect(p.logEndOffset == 60 && p.recoveryPoint == 60)
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<60))
        try await Fixture.appendBatch(p, count: 2)
        #expect(try Fixture.readAll(p, from: 58) == Fixture.expected(58..<62))
        #expect(manager.verify().isHealthy)
    }

    @Test("without the marker, batches past the recovery point are re-validated and indexes rebuilt")
    func uncleanReopenRescansTail() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        // Recovery point 0: everything is re-validated.
        try OffsetCheckpointFile.write([Fixture.tp: 0], to: "/data/recovery-point-offset-checkpoint", directory: "/data", fs: fs)
        let total = try fs.listDirectory("/data/orders-0").filter { $0.hasSuffix(".log") }
            .reduce(Int64(0)) { $0 + (try fs.fileSize(Fixture.partitionPath($1))) }
        let (manager, p, report) = try Fixture.open(fs, config: config)
        #expect(!report.cleanShutdown && report.bytesScanned == total && report.truncations.isEmpty)
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<60))
        #expect(manager.verify().isHealthy)
    }

    @Test("without the marker only segments past the recovery point are scanned")
    func uncleanScansOnlyPastRecoveryPoint() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        let last = try Self.lastLogPath(fs)
        let (_, p, report) = try Fixture.open(fs, config: config)
        #expect(report.bytesScanned == (try fs.fileSize(last)))
        #expect(p.logEndOffset == 60)
    }

    @Test("a torn tail is truncated quietly and reported with file, position and bytes dropped")
    func tornTailTruncated() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        try OffsetCheckpointFile.write([Fixture.tp: 52], to: "/data/recovery-point-offset-checkpoint", directory: "/data", fs: fs)
        let last = try Self.lastLogPath(fs)
        let size = try fs.fileSize(last)
        try ByteSurgery(fs, path: last).chopTail(10)   // the last batch (offsets 56-59) is torn
        let (manager, p, report) = try Fixture.open(fs, config: config)
        #expect(report.truncations.count == 1)
        let cut = report.truncations[0]
        #expect(cut.path == last && cut.bytesDropped == size - 10 - cut.position)
        #expect(p.logEndOffset == 56)
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<56))
        // The partition keeps working after the repair.
        try await Fixture.appendBatch(p, count: 4)
        #expect(try Fixture.readAll(p, from: 50) == Fixture.expected(50..<60))
        #expect(manager.verify().isHealthy)
    }

    /// Flips a byte inside the CRC field of the batch at `batchIndex` of the log at `path`; returns that batch's position.
    static func flipCRC(_ fs: any FileSystem, path: String, batchIndex: Int) throws -> Int64 {
        let bytes = try ByteSurgery(fs, path: path).readAll()
        var position = 0
        for _ in 0..<batchIndex {
            position += try bytes.withUnsafeBytes { try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: $0[position...])).totalSize }
        }
        try ByteSurgery(fs, path: path).flipByte(at: Int64(position + 18))
        return Int64(position)
    }

    @Test("a bad batch past the recovery point is a torn tail: cut there, later segments dropped")
    func badBatchPastRecoveryPointTruncated() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        try OffsetCheckpointFile.write([Fixture.tp: 0], to: "/data/recovery-point-offset-checkpoint", directory: "/data", fs: fs)
        let first = try Self.firstLogPath(fs)
        let position = try Self.flipCRC(fs, path: first, batchIndex: 1)
        let (manager, p, report) = try Fixture.open(fs, config: config)
        #expect(report.truncations.first?.path == first && report.truncations.first?.position == position)
        #expect(p.logEndOffset == 4, "everything after the damage was unsynced tail")
        #expect(p.segments.count == 1)
        #expect(manager.verify().isHealthy)
    }

    @Test("a bad batch below the recovery point in a re-validated segment fails the open, naming file and position")
    func badBatchBelowRecoveryPointIsCorruption() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        // The recovery point lies inside the last segment, so that segment is re-validated.
        let last = try Self.lastLogPath(fs)
        let lastBase = LogFileNames.parseSegmentFile(String(last.split(separator: "/").last!))!.baseOffset
        try OffsetCheckpointFile.write([Fixture.tp: lastBase + 8], to: "/data/recovery-point-offset-checkpoint",
                                       directory: "/data", fs: fs)
        let position = try Self.flipCRC(fs, path: last, batchIndex: 1)
        let error = #expect(throws: StorageError.self) { try Fixture.open(fs, config: config) }
        #expect(error?.code == .corruption)
        #expect(error?.path == last && error?.position == position)
    }

    @Test("a bad batch in a trusted sealed segment is never returned: reads and verify() report file and position")
    func badBatchInSealedSegmentReportedOnRead() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        let first = try Self.firstLogPath(fs)
        let position = try Self.flipCRC(fs, path: first, batchIndex: 1)
        let (manager, p, _) = try Fixture.open(fs, config: config)
        let error = #expect(throws: StorageError.self) { try Fixture.readAll(p, from: 4) }
        #expect(error?.code == .corruption && error?.path == first && error?.position == position)
        let report = manager.verify()
        #expect(report.problems.first?.path == first && report.problems.first?.position == position)
        // Records after the damaged segment are still readable.
        #expect(try Fixture.readAll(p, from: p.segments[1].baseOffset).count > 0)
    }

    @Test("an inflated batch length in a sealed segment below the recovery point is reported, not skipped")
    func inflatedLengthReported() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        try Self.removeCleanMarker(fs)
        let first = try Self.firstLogPath(fs)
        try ByteSurgery(fs, path: first).setBytes(at: 8, to: [0x00, 0x00, 0x7f, 0x00])
        // Clean path: an index check fails → re-validation → damage below the (clean) recovery point.
        try OffsetCheckpointFile.write([Fixture.tp: 60], to: "/data/recovery-point-offset-checkpoint", directory: "/data", fs: fs)
        try fs.removeFile(String(first.dropLast(4)) + ".index")
        let error = #expect(throws: StorageError.self) { try Fixture.open(fs, config: config) }
        #expect(error?.code == .corruption && error?.path == first && error?.position == 0)
    }

    @Test("a garbage or missing index is rebuilt; the rebuilt index equals the original")
    func garbageIndexRebuilt() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        let first = try Self.firstLogPath(fs)
        let indexPath = String(first.dropLast(4)) + ".index"
        let original = try ByteSurgery(fs, path: indexPath).readAll()
        #expect(!original.isEmpty)
        try ByteSurgery(fs, path: indexPath).append([1, 2, 3])   // not a multiple of 8
        let (manager, p, report) = try Fixture.open(fs, config: config)
        #expect(report.rebuiltIndexes == [indexPath])
        #expect(try ByteSurgery(fs, path: indexPath).readAll() == original)
        #expect(try Fixture.readAll(p) == Fixture.expected(0..<60))
        #expect(manager.verify().isHealthy)
    }

    @Test("leftover .tmp and .deleted files are removed at open")
    func leftoversRemoved() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        for path in ["/data/recovery-point-offset-checkpoint.tmp", "/data/orders-0/00000000000000000000.log.deleted",
                     "/data/orders-0/x.tmp"] {
            try fs.writeFile(path, [1, 2, 3])
        }
        let (_, _, report) = try Fixture.open(fs, config: config)
        #expect(Set(report.removedFiles).isSuperset(of: ["/data/recovery-point-offset-checkpoint.tmp",
                                                         "/data/orders-0/00000000000000000000.log.deleted"]))
        #expect(!fs.exists("/data/orders-0/x.tmp"))
    }

    @Test("verify() finds a flipped payload byte and names the file and the batch position")
    func verifyFindsDamage() async throws {
        let fs = InMemoryFileSystem()
        let config = try await Self.cleanLog(fs)
        let (manager, _, _) = try Fixture.open(fs, config: config)
        #expect(manager.verify().isHealthy)
        let first = try Self.firstLogPath(fs)
        try ByteSurgery(fs, path: first).flipByte(at: 70)
        let report = manager.verify()
        #expect(!report.isHealthy)
        #expect(report.problems.first?.path == first && report.problems.first?.position == 0)
    }

    @Test("a second opener of the same data directory gets directoryLocked")
    func directoryLock() throws {
        let dir = try TemporaryDirectory()
        defer { try? dir.remove() }
        let fs = PosixFileSystem()
        let (first, _) = try LogManager.open(directory: dir.path, fs: fs, logger: Fixture.logger, configFor: { _ in PartitionConfig() })
        let error = #expect(throws: StorageError.self) {
            try LogManager.open(directory: dir.path, fs: fs, logger: Fixture.logger, configFor: { _ in PartitionConfig() })
        }
        #expect(error?.code == .directoryLocked)
        try first.close()
        let (again, _) = try LogManager.open(directory: dir.path, fs: fs, logger: Fixture.logger, configFor: { _ in PartitionConfig() })
        try again.close()
    }
}
