// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 3, on a real file system: a 2 MiB tmpfs filled by producing
// until the kernel says ENOSPC. Needs root (mount); skipped otherwise.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
import LogStorage
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("A real full file system")
struct FullFileSystemTests {
    /// Root, and allowed to mount (a container may refuse even root): probed once.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0, let scratch = try? ScratchDirectory("mount-probe") else { return false }
        let point = scratch.appending("p")
        guard (try? PosixFileSystem().createDirectory(point)) != nil,
              let mounted = try? ChildProcess.system("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", point],
                                                     scratch: scratch.path), mounted.status == 0 else { return false }
        _ = try? ChildProcess.system("/bin/umount", [point], scratch: scratch.path)
        return true
    }()

    @Test("producing into a full tmpfs fails with .io (ENOSPC), the partition stays failed, reopening after freeing space recovers",
          .enabled(if: canMountTmpfs, "needs root and permission to mount a 2 MiB tmpfs (mount -t tmpfs); run the suite as root to include it"))
    func fillTmpfsUntilENOSPC() async throws {
        let scratch = try ScratchDirectory("enospc")
        let mountPoint = scratch.appending("mnt")
        try PosixFileSystem().createDirectory(mountPoint)
        let mounted = try ChildProcess.system("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint],
                                              scratch: scratch.path)
        try #require(mounted.status == 0, "mount failed: \(mounted)")
        defer { _ = try? ChildProcess.system("/bin/umount", [mountPoint], scratch: scratch.path) }

        let fs = PosixFileSystem()
        // Ballast: space to give back later, so the reopen has room.
        let ballast = mountPoint + "/ballast"
        try fs.writeFile(ballast, [UInt8](repeating: 7, count: 256 << 10))
        let dir = mountPoint + "/data"
        var configuration = SpoolHarness.configuration(segmentBytes: 256 << 10)
        configuration.durability = .fsyncEachBatch
        var spool: Spool? = try Spool.open(at: dir, configuration: configuration)
        try spool!.createTopic("fill", partitions: 1)
        var oracle = RecordOracle()
        var random = SeededRandom(seed: 0xF111)
        var failure: SpoolError?
        for n in 0..<10_000 {
            let record = RecordOracle.makeRecord(n, partition: 0, random: &random, maxValue: 8_000)
            oracle.attempt([record], topic: "fill")
            do { oracle.acknowledge([try await spool!.producer().send(record, to: "fill")]) } catch let e as SpoolError {
                failure = e
                break
            }
        }
        let error = try #require(failure, "2 MiB filled up without an error")
        #expect(error.code == .io, "\(error)")
        #expect((error.underlying as? StorageError)?.cause?.code == .noSpace, "the cause is ENOSPC: \(error)")
        #expect((oracle.acknowledged[.init(topic: "fill", partition: 0)] ?? 0) > 50, "records were acknowledged before the disk filled")
        // Still failed, even for a tiny record that would fit now.
        try fs.removeFile(ballast)
        oracle.attempt([Record(value: [1], partition: 0)], topic: "fill")
        await #expect(throws: SpoolError.self, "the failed partition refuses writes until reopen") {
            _ = try await spool!.producer().send(Record(value: [1], partition: 0), to: "fill")
        }
        try? spool!.close()
        spool = nil
        // Space was freed: reopening recovers everything acknowledged and takes writes again.
        let reopened = try Spool.open(at: dir, configuration: configuration)
        let verify = try reopened.verify()
        #expect(verify.isHealthy, "\(verify.problems)")
        #expect(try oracle.check(reopened, .init(topic: "fill", partition: 0), mustHoldFrom: nil).isEmpty)
        let receipt = try await reopened.producer().send(Record(value: "after", partition: 0), to: "fill")
        #expect(receipt.offset >= oracle.acknowledged[.init(topic: "fill", partition: 0)] ?? 0)
        try reopened.close()
    }
}
