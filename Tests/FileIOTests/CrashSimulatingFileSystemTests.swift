// SPDX-License-Identifier: Apache-2.0
// The power-loss model: synced data always survives, unsynced writes are
// kept, dropped or torn by seed, unsynced names may vanish, and nothing
// works after the crash point.
import FileIO
import SpoolTestSupport
import Testing

@Suite("CrashSimulatingFileSystem")
struct CrashSimulatingFileSystemTests {
    static let seeds: Range<UInt64> = 0..<200

    /// A fresh disk with a durable directory `/d`.
    static func diskWithDirectory() throws -> CrashSimulatingFileSystem {
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/d")
        try fs.syncDirectory("/")
        return fs
    }

    @Test("synced data always survives; an unsynced write is kept, dropped or torn depending on the seed")
    func syncedSurvivesUnsyncedVaries() throws {
        let fs = try Self.diskWithDirectory()
        let synced = [UInt8]("durable-record;")
        let unsynced = [UInt8]("pending-record;")
        let handle = try fs.open("/d/log", mode: .createNew)
        try handle.write(synced, at: 0)
        try handle.sync()
        try fs.syncDirectory("/d")
        try handle.write(unsynced, at: Int64(synced.count))
        fs.crash()

        var kept = 0, dropped = 0, torn = 0
        for seed in Self.seeds {
            let content = try fs.crashImage(seed: seed).readFile("/d/log")
            #expect(Array(content.prefix(synced.count)) == synced, "seed \(seed)")
            let tail = Array(content.dropFirst(synced.count))
            #expect(unsynced.starts(with: tail), "seed \(seed): the tail is a prefix of the pending write")
            switch tail.count {
            case unsynced.count: kept += 1
            case 0: dropped += 1
            default: torn += 1
            }
        }
        #expect(kept > 0 && dropped > 0 && torn > 0, "kept \(kept), dropped \(dropped), torn \(torn)")
    }

    @Test("a dropped extending write followed by a kept one leaves a hole of zeros")
    func holesAfterDroppedWrites() throws {
        let fs = try Self.diskWithDirectory()
        let handle = try fs.open("/d/log", mode: .createNew)
        try fs.syncDirectory("/d")
        try handle.write([1, 1, 1, 1], at: 0)
        try handle.write([2, 2, 2, 2], at: 4)
        fs.crash()
        var sawHole = false
        for seed in Self.seeds {
            let content = try fs.crashImage(seed: seed).readFile("/d/log")
            #expect(content.count <= 8)
            if content.count > 4 && content.prefix(4).allSatisfy({ $0 == 0 }) { sawHole = true }
            // Every byte is either what was written there or a zero of a hole.
            for (i, byte) in content.enumerated() { #expect(byte == 0 || byte == (i < 4 ? 1 : 2)) }
        }
        #expect(sawHole)
    }

    @Test("a file whose directory was never synced may vanish; after the directory sync it never does")
    func unsyncedNamesMayVanish() throws {
        let fs = try Self.diskWithDirectory()
        let handle = try fs.open("/d/new", mode: .createNew)
        try handle.write([42], at: 0)
        try handle.sync()
        var present = 0, absent = 0
        for seed in Self.seeds {
            let image = fs.crashImage(seed: seed)
            if image.exists("/d/new") {
                present += 1
                #expect(try image.readFile("/d/new") == [42], "file data was synced")
            } else {
                absent += 1
            }
        }
        #expect(present > 0 && absent > 0, "present \(present), absent \(absent)")

        try fs.syncDirectory("/d")
        for seed in Self.seeds {
            #expect(try fs.crashImage(seed: seed).readFile("/d/new") == [42])
        }
    }

    @Test("an unsynced removal may be undone by the power loss")
    func unsyncedRemovalMayBeUndone() throws {
        let fs = try Self.diskWithDirectory()
        try fs.writeFile("/d/a", [1], sync: true)
        try fs.syncDirectory("/d")
        try fs.removeFile("/d/a")
        let outcomes = Set(Self.seeds.map { fs.crashImage(seed: $0).exists("/d/a") })
        #expect(outcomes == [true, false])
        try fs.syncDirectory("/d")
        #expect(!fs.crashImage(seed: 1).exists("/d/a"))
    }

    @Test("write-temp, sync, rename, sync-dir: before the directory sync the old or the new file, after it always the new")
    func atomicReplace() throws {
        let fs = try Self.diskWithDirectory()
        try fs.writeFile("/d/checkpoint", [UInt8]("old"), sync: true)
        try fs.syncDirectory("/d")
        try fs.writeFile("/d/checkpoint.tmp", [UInt8]("new"), sync: true)
        try fs.rename("/d/checkpoint.tmp", to: "/d/checkpoint")
        var contents: Set<[UInt8]> = []
        for seed in Self.seeds { contents.insert(try fs.crashImage(seed: seed).readFile("/d/checkpoint")) }
        #expect(contents == [[UInt8]("old"), [UInt8]("new")])
        try fs.syncDirectory("/d")
        for seed in Self.seeds {
            let image = fs.crashImage(seed: seed)
            #expect(try image.readFile("/d/checkpoint") == [UInt8]("new"))
            #expect(!image.exists("/d/checkpoint.tmp"))
        }
    }

    @Test("a name synced in a directory that is not yet durable becomes durable with its parents")
    func nestedDirectoryDurability() throws {
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/a/b")
        try fs.writeFile("/a/b/f", [7], sync: true)
        try fs.syncDirectory("/a/b")
        try fs.syncDirectory("/a")
        #expect(fs.pendingNameOperationCount == 3, "all wait for the root's entry of /a")
        #expect(!fs.durableImage().exists("/a/b/f"))
        try fs.syncDirectory("/")
        #expect(fs.pendingNameOperationCount == 0)
        for seed in Self.seeds.prefix(20) {
            #expect(try fs.crashImage(seed: seed).readFile("/a/b/f") == [7])
        }
    }

    @Test("the k-th sync crashes before taking effect and every later operation throws .crashed")
    func crashAtSync() throws {
        let fs = CrashSimulatingFileSystem(crashAtSync: 3, seed: 9)
        let handle = try fs.open("/log", mode: .createNew)
        try fs.syncDirectory("/")  // sync 1
        try handle.write([1], at: 0)
        try handle.sync()  // sync 2
        try handle.write([2], at: 1)
        #expect(errorCode { try handle.sync() } == .crashed)  // sync 3: the power fails first
        #expect(fs.isCrashed)
        #expect(fs.syncCount == 3)
        #expect(errorCode { try handle.write([3], at: 2) } == .crashed)
        #expect(errorCode { try handle.read(count: 1, at: 0) } == .crashed)
        #expect(errorCode { try handle.size() } == .crashed)
        #expect(errorCode { try handle.close() } == .crashed)
        #expect(errorCode { try fs.open("/other", mode: .createNew) } == .crashed)
        #expect(errorCode { try fs.listDirectory("/") } == .crashed)
        #expect(errorCode { try fs.syncDirectory("/") } == .crashed)
        #expect(errorCode { try fs.lockExclusive("/LOCK") } == .crashed)
        #expect(fs.syncCount == 3, "syncs after the crash are not counted")
        // The crashing sync did not take effect.
        #expect(try fs.durableImage().readFile("/log") == [1])
        #expect(fs.pendingWriteCount == 1)
        #expect(try fs.currentImage().readFile("/log") == [1, 2])
    }

    @Test("the crash image is a function of the seed")
    func deterministicImages() throws {
        let fs = try Self.diskWithDirectory()
        var random = SeededRandom(seed: 5)
        for i in 0..<10 {
            try fs.writeFile("/d/f\(i)", random.bytes(100))
            if i % 3 == 0 { try fs.syncDirectory("/d") }
        }
        for seed in Self.seeds.prefix(20) {
            #expect(fs.crashImage(seed: seed).allFiles() == fs.crashImage(seed: seed).allFiles())
        }
        #expect(fs.crashImage().allFiles() == fs.crashImage(seed: fs.seed).allFiles())
        let distinct = Set(Self.seeds.prefix(20).map { fs.crashImage(seed: $0).allFiles() })
        #expect(distinct.count > 1)
    }

    @Test("the current image keeps everything written, synced or not")
    func currentImageKeepsEverything() throws {
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/x/y")
        try fs.writeFile("/x/y/z", [1, 2, 3])
        let image = fs.currentImage()
        #expect(image.allFiles() == ["/x/y/z": [1, 2, 3]])
        #expect(image.allDirectories() == ["/", "/x", "/x/y"])
        #expect(fs.durableImage().allFiles().isEmpty)
    }

    @Test("a disk started from an image holds it durably and can crash again")
    func startFromImage() throws {
        let first = try Self.diskWithDirectory()
        try first.writeFile("/d/a", [1, 2], sync: true)
        try first.syncDirectory("/d")
        let image = first.crashImage(seed: 3)
        let second = CrashSimulatingFileSystem(startingFrom: image.image(), crashAtSync: 1, seed: 4)
        #expect(try second.readFile("/d/a") == [1, 2])
        let handle = try second.open("/d/a", mode: .readWrite)
        try handle.write([3], at: 2)
        #expect(errorCode { try handle.sync() } == .crashed)
        for seed in Self.seeds.prefix(20) {
            #expect(try second.crashImage(seed: seed).readFile("/d/a").prefix(2) == [1, 2])
        }
    }

    @Test("crash at every sync of an appending workload: the acknowledged prefix always survives")
    func crashLoopKeepsAcknowledgedPrefix() throws {
        let records = (0..<8).map { [UInt8]("record-\($0);") }
        /// Appends and syncs each record; returns how many were acknowledged.
        func run(_ fs: CrashSimulatingFileSystem) -> Int {
            var acknowledged = 0
            do {
                let log = try fs.open("/log", mode: .createNew)
                try fs.syncDirectory("/")
                var end: Int64 = 0
                for record in records {
                    try log.write(record, at: end)
                    end += Int64(record.count)
                    try log.sync()
                    acknowledged += 1
                }
                try log.close()
            } catch {
                #expect(error.code == .crashed)
            }
            return acknowledged
        }
        let probe = CrashSimulatingFileSystem()
        #expect(run(probe) == records.count)
        let totalSyncs = probe.syncCount
        #expect(totalSyncs == records.count + 1)

        for k in 1...totalSyncs {
            for seed in Self.seeds.prefix(10) {
                let fs = CrashSimulatingFileSystem(crashAtSync: k, seed: seed)
                let acknowledged = run(fs)
                #expect(acknowledged == max(0, k - 2))
                let image = fs.crashImage()
                let durable = records.prefix(acknowledged).flatMap { $0 }
                guard image.exists("/log") else {
                    #expect(k == 1, "the log's name is durable from sync 1 on")
                    continue
                }
                let content = try image.readFile("/log")
                #expect(content.starts(with: durable), "k \(k) seed \(seed)")
                #expect(content.count <= durable.count + records[min(acknowledged, records.count - 1)].count)
            }
        }
    }
}
