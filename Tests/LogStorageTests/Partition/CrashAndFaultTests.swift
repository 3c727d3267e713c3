// SPDX-License-Identifier: Apache-2.0
// The two fault schedules of issue 2: a simulated power loss at every sync
// point, and an injected EIO/ENOSPC at every I/O operation.
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Power loss and disk faults")
struct CrashAndFaultTests {
    static let config = Fixture.config(durability: .fsyncEachBatch, segmentBytes: 1_200, indexInterval: 200)
    static let batchSizes = [1, 3, 5, 2, 4, 6, 1, 2, 3, 4, 5, 1]

    /// Runs the workload; returns the end offset of the last acknowledged
    /// append and whether the workload finished.
    /// `errors[0]` is the first failure; when it came from an append, `errors[1]` is what the next append got.
    static func workload(_ fs: any FileSystem) async -> (acked: Int64, finished: Bool, errors: [StorageError]) {
        var acked: Int64 = 0
        var errors: [StorageError] = []
        do throws(StorageError) {
            let (manager, p, _) = try Fixture.open(fs, config: config)
            do throws(StorageError) {
                for n in batchSizes {
                    let r = try await Fixture.appendBatch(p, count: n)
                    acked = r.lastOffset + 1
                }
            } catch {
                errors.append(error)
                // Once an append failed, the partition refuses further writes.
                do throws(StorageError) { try await Fixture.appendBatch(p, count: 1) } catch { errors.append(error) }
                try? manager.close()
                return (acked, false, errors)
            }
            try manager.close()
            return (acked, true, errors)
        } catch {
            errors.append(error)
        }
        return (acked, false, errors)
    }

    @Test("power loss at every sync point: every fsync-acknowledged record survives byte for byte")
    func powerLossAtEverySync() async throws {
        var k = 1
        var crashes = 0
        while true {
            await Task.yield()  // long loop: let other tests' background tasks run
            let disk = CrashSimulatingFileSystem(crashAtSync: k, seed: UInt64(k) &* 7919)
            let run = await Self.workload(disk)
            for seed in [UInt64(k), UInt64(k) + 1_000] {
                let image = disk.crashImage(seed: seed)
                let (manager, report) = try LogManager.open(directory: "/data", fs: image, logger: Fixture.logger,
                                                            configFor: { _ in Self.config })
                let verify = manager.verify()
                #expect(verify.isHealthy, "crash at sync \(k), seed \(seed): \(verify.problems)")
                if let p = manager.partition(Fixture.tp) {
                    #expect(p.logEndOffset >= run.acked, "crash at sync \(k): lost acknowledged records")
                    // Nothing that was never written comes back: the log is exactly a prefix of the workload.
                    #expect(try Fixture.readAll(p) == Fixture.expected(0..<p.logEndOffset), "crash at sync \(k)")
                } else {
                    #expect(run.acked == 0)
                }
                _ = report
                try manager.close()
            }
            if run.finished && !disk.isCrashed { break }
            crashes += 1
            k += 1
        }
        #expect(crashes > 10, "the workload has many sync points")
    }

    @Test("EIO and ENOSPC at every I/O operation: a typed error, the partition stays failed, reopening recovers")
    func faultAtEveryOperation() async throws {
        let counting = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        let clean = await Self.workload(counting)
        #expect(clean.finished)
        let total = counting.operationCount
        #expect(total > 50)
        for k in 1...total {
            await Task.yield()
            let base = InMemoryFileSystem()
            let fs = FaultInjectingFileSystem(wrapping: base)
            let fault: FaultInjectingFileSystem.Fault = k % 2 == 0 ? .noSpace : .io
            fs.failOperation(k, with: fault)
            let run = await Self.workload(fs)
            if !fs.injectedFailures.isEmpty && !run.finished {
                #expect(!run.errors.isEmpty, "op \(k)")
                if run.errors.count >= 2 {
                    // The write after a failed append is refused, never acknowledged.
                    #expect([.failed, .io].contains(run.errors[1].code), "op \(k): \(run.errors[1])")
                }
            }
            let (manager, _) = try LogManager.open(directory: "/data", fs: base, logger: Fixture.logger,
                                                   configFor: { _ in Self.config })
            let verify = manager.verify()
            #expect(verify.isHealthy, "fault at op \(k): \(verify.problems)")
            if let p = manager.partition(Fixture.tp) {
                #expect(p.logEndOffset >= run.acked, "fault at op \(k)")
                #expect(try Fixture.readAll(p) == Fixture.expected(0..<p.logEndOffset), "fault at op \(k)")
            }
            try manager.close()
        }
    }

    @Test("a failed fdatasync leaves the partition failed: no later append is acknowledged until reopen")
    func failedSyncIsSticky() async throws {
        let base = InMemoryFileSystem()
        let fs = FaultInjectingFileSystem(wrapping: base)
        let (manager, p, _) = try Fixture.open(fs, config: Self.config)
        try await Fixture.appendBatch(p, count: 2)
        fs.failOperation(1, of: [.sync], with: .io)
        let first = await #expect(throws: StorageError.self) { try await Fixture.appendBatch(p, count: 2) }
        #expect(first?.code == .io)
        fs.disarm()
        let second = await #expect(throws: StorageError.self) { try await Fixture.appendBatch(p, count: 2) }
        #expect(second?.code == .failed)
        #expect(p.failure != nil)
        try? manager.close()
        let (again, reopened, _) = try Fixture.open(base, config: Self.config)
        try await Fixture.appendBatch(reopened, count: 1)
        #expect(reopened.failure == nil)
        try again.close()
    }

    @Test("concurrent appenders share fdatasyncs (group commit) and all are durable")
    func groupCommit() async throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        let (manager, p, _) = try Fixture.open(fs, config: Fixture.config(durability: .fsyncEachBatch))
        let syncsBefore = fs.count(of: .sync)
        let appenders = 8, batchesEach = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<appenders {
                group.addTask {
                    let builder = RecordBatchBuilder(initialCapacity: 1024)
                    for _ in 0..<batchesEach {
                        builder.reset()
                        builder.append(key: nil, value: [1, 2, 3], timestamp: 1)
                        _ = try await p.append(builder.finish())
                    }
                }
            }
            try await group.waitForAll()
        }
        let syncs = fs.count(of: .sync) - syncsBefore
        #expect(p.logEndOffset == Int64(appenders * batchesEach))
        #expect(p.recoveryPoint == p.logEndOffset)
        #expect(syncs <= appenders * batchesEach && syncs >= 1)
        try manager.close()
    }
}
