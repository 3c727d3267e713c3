// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 1: a simulated power loss at every sync point of a whole-engine
// workload (several partitions, keyed produce, segment rolls, retention,
// group membership changes and commits), SQLite's crash9 loop over seeds.
import FileIO
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("Power loss at every sync point of a whole-engine workload")
struct SpoolPowerLossTests {
    static let orders = "orders"
    static let audit = "audit"
    static let group = "g"
    static let ordersConfig = TopicConfiguration(segmentBytes: 450, retentionBytes: 800)
    /// `.none`: its acknowledged records may be lost, so its commits can end
    /// up beyond the recovered log end (the clamp at open is exercised).
    static let auditConfig = TopicConfiguration(durability: Durability.none, segmentBytes: 900)

    struct Outcome {
        var oracle = RecordOracle()
        var finished = false
        var failure: String?
        /// The group as the live coordinator held it when the power failed
        /// (equal to the last committed SQLite transaction: memory is applied
        /// only after the commit).
        var group: GroupInfo?
        var startsBeforeCrash: [RecordOracle.PartitionKey: Int64] = [:]
        var segmentsDeleted = 0
        /// Set when the producer's key → partition choice differs from murmur2 % 3.
        var partitionMismatch: String?
    }

    /// The workload. Every choice comes from `seed`; disk syncs happen only
    /// in calls this function makes, so the k-th sync is the same point in
    /// every run of a seed.
    static func workload(seed: UInt64, fs: any FileSystem, metadata: String) async -> Outcome {
        var random = SeededRandom(seed: seed)
        var out = Outcome()
        var spool: Spool?
        var consumers: [GroupConsumer] = []
        var positions: [TopicPartitionID: Int64] = [:]
        var n = 0
        do {
            let s = try SpoolHarness.open(fs, metadata: metadata)
            spool = s
            try s.createTopic(orders, partitions: 3, configuration: ordersConfig)
            try s.createTopic(audit, partitions: 2, configuration: auditConfig)
            let a = try await s.consumer(group: group, topics: [orders, audit], options: SpoolHarness.staticMember("a"))
            consumers.append(a)
            let rounds = 10 + Int(random.next() % 6)
            let joinRound = 1 + Int(random.next() % 4)
            let leaveRound = joinRound + 2 + Int(random.next() % 5)
            var b: GroupConsumer?
            for round in 0..<rounds {
                let count = 1 + Int(random.next() % 4)
                var records: [Record] = []
                for _ in 0..<count {
                    n += 1
                    // Keyed: the producer picks the partition (murmur2); the oracle computes the same.
                    let r = RecordOracle.makeRecord(n, partition: 0, random: &random)
                    records.append(Record(key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp,
                                          partition: KafkaPartitioner.partition(forKey: r.key ?? [], partitionCount: 3)))
                }
                out.oracle.attempt(records, topic: orders)
                let keyed = records.map { Record(key: $0.key, value: $0.value, headers: $0.headers, timestamp: $0.timestamp) }
                let receipts = try await s.producer().send(keyed, to: orders)
                for (r, receipt) in zip(records, receipts) where r.partition != receipt.partition {
                    out.partitionMismatch = "the producer put key \(r.key ?? []) on partition \(receipt.partition), expected \(r.partition ?? -1)"
                }
                out.oracle.acknowledge(receipts)
                if random.chance(0.5) {
                    n += 1
                    let r = RecordOracle.makeRecord(n, partition: Int(random.next() % 2), random: &random, maxValue: 60)
                    out.oracle.attempt([r], topic: audit)
                    _ = try await s.producer().send(r, to: audit)
                }
                if round == joinRound {
                    let joined = try await s.consumer(group: group, topics: [orders, audit], options: SpoolHarness.staticMember("b"))
                    consumers.append(joined)
                    b = joined
                    await a.heartbeatOnce()  // acknowledges the revocation
                    await joined.heartbeatOnce()  // takes over the handed-on partitions
                }
                if round == leaveRound, let leaving = b {
                    try await commitProgress(s, leaving, &positions)
                    try await leaving.close()
                    b = nil
                    await a.heartbeatOnce()
                }
                if random.chance(0.6) {
                    for c in [a, b].compactMap({ $0 }) { try await commitProgress(s, c, &positions) }
                }
                if random.chance(0.4) { out.segmentsDeleted += try s.runRetention() }
            }
            // A crash inside close comes after this snapshot; close changes no group state.
            snapshot(s, into: &out)
            try s.close()
            for c in consumers { try await c.close() }
            out.finished = true
        } catch {
            out.failure = "\(error)"
            if let s = spool, !s.isClosed { snapshot(s, into: &out) }
            // The process "dies": no leave, no commit (the Spool closes first,
            // so the consumers' close writes nothing).
            try? spool?.close()
            for c in consumers { try? await c.close() }
        }
        return out
    }

    /// What the live engine holds: the group (as committed to SQLite) and the log starts.
    static func snapshot(_ s: Spool, into out: inout Outcome) {
        out.group = try? s.describeGroup(group)
        for t in [orders, audit] {
            for p in 0..<(t == orders ? 3 : 2) {
                if let o = try? s.offsets(topic: t, partition: p) {
                    out.startsBeforeCrash[RecordOracle.PartitionKey(topic: t, partition: p)] = o.start
                }
            }
        }
    }

    /// Reads a little past the group's position on each owned partition and commits it.
    static func commitProgress(_ s: Spool, _ c: GroupConsumer, _ positions: inout [TopicPartitionID: Int64]) async throws {
        var offsets: [TopicPartitionID: Int64] = [:]
        for tp in c.assignment {
            let (start, _) = try s.offsets(topic: tp.topic, partition: tp.partition)
            let from = max(positions[tp] ?? 0, start)
            let batch = try s.read(topic: tp.topic, partition: tp.partition, from: from, maxBytes: 300)
            if !batch.isEmpty { offsets[tp] = batch.nextOffset }
        }
        guard !offsets.isEmpty else { return }
        try await c.commit(offsets: offsets)
        for (tp, o) in offsets { positions[tp] = o }
    }

    /// Reopens the engine on a crash image with a copy of the SQLite file and
    /// checks everything the issue asks for. Returns the problems found.
    static func checkRecovery(_ run: Outcome, image: InMemoryFileSystem, metadata: String) async throws
        -> (problems: [String], clamped: Int)
    {
        var problems: [String] = []
        var clamped = 0
        let spool: Spool
        do { spool = try SpoolHarness.open(image, metadata: metadata) } catch {
            return (["reopen failed: \(error)"], 0)
        }
        defer { try? spool.close() }
        let verify = try spool.verify()
        if !verify.isHealthy { problems.append("verify: \(verify.problems)") }
        // Every acknowledged record, byte for byte; nothing never written.
        for t in try spool.listTopics() {
            for p in 0..<t.partitionCount {
                let key = RecordOracle.PartitionKey(topic: t.name, partition: p)
                let floor = t.name == orders ? run.startsBeforeCrash[key] : nil
                if t.name == audit {
                    // `.none`: nothing acknowledged must survive, but what is there is a prefix.
                    var relaxed = run.oracle
                    relaxed.forgetAcknowledgements()
                    problems += try relaxed.check(spool, key, mustHoldFrom: nil)
                } else {
                    problems += try run.oracle.check(spool, key, mustHoldFrom: floor)
                }
            }
        }
        // Group state: exactly the last committed transaction; commits clamped to the log end.
        if let before = run.group {
            let after = try spool.describeGroup(group)
            if DurableGroupState(after) != DurableGroupState(before) {
                problems.append("group state changed across the crash: before \(DurableGroupState(before)), after \(DurableGroupState(after))")
            }
            if after.members.contains(where: { $0.presence != .awaitingRejoin }) {
                problems.append("restored members are not awaiting rejoin: \(after.members.map(\.presence))")
            }
            var committedBefore: [TopicPartitionID: Int64] = [:]
            for p in before.partitions { committedBefore[p.partition] = p.committedOffset }
            for p in after.partitions {
                guard let end = p.endOffset else { continue }
                if let c = p.committedOffset, c > end {
                    problems.append("\(p.partition): committed \(c) is beyond the log end \(end) after recovery")
                }
                if let c = committedBefore[p.partition], c > end { clamped += 1 }
                let expected = committedBefore[p.partition].map { min($0, end) }
                if p.committedOffset != expected {
                    problems.append("\(p.partition): committed \(String(describing: p.committedOffset)), expected \(String(describing: expected)) (before the crash: \(String(describing: committedBefore[p.partition])), end \(end))")
                }
            }
        } else if let after = try? spool.describeGroup(group), !after.members.isEmpty, run.failure != nil {
            // The crash came before the group existed in memory, so it is not in SQLite either.
            problems.append("a group appeared that the live coordinator never had: \(DurableGroupState(after))")
        }
        return (problems, clamped)
    }

    static func mix(_ seed: UInt64, _ k: Int) -> UInt64 { seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k) }

    @Test("power loss at every sync point: acknowledged records intact, commits clamped, group state as last committed")
    func powerLossAtEverySyncPoint() async throws {
        let scratch = try ScratchDirectory("powerloss")
        let seeds = ReliabilityKnobs.crashSeeds
        let base = ReliabilityKnobs.crashSeedBase
        var crashes = 0
        var clampsSeen = 0
        var retentionRuns = 0
        for seedIndex in base..<(base + seeds) {
            let seed = UInt64(seedIndex)
            var k = 1
            while true {
                await Task.yield()  // long loop: let other tests' background tasks run
                let disk = CrashSimulatingFileSystem(crashAtSync: k, seed: Self.mix(seed, k))
                let db = scratch.appending("s\(seed)-k\(k).sqlite")
                let run = await Self.workload(seed: seed, fs: disk, metadata: db)
                #expect(run.partitionMismatch == nil, "seed \(seed): \(run.partitionMismatch ?? "")")
                if run.finished && !disk.isCrashed {
                    #expect(k > 20, "seed \(seed): the workload has many sync points (only \(k - 1))")
                    retentionRuns += run.segmentsDeleted > 0 ? 1 : 0
                    Self.removeDatabase(db)
                    break
                }
                if !disk.isCrashed {
                    Issue.record("seed \(seed), crash at sync \(k): the workload failed without a crash: \(run.failure ?? "?")")
                    Self.removeDatabase(db)
                    break
                }
                crashes += 1
                let copy = db + ".reopen"
                try ScratchDirectory.copyDatabase(db, to: copy)
                let (problems, clamped) = try await Self.checkRecovery(run, image: disk.crashImage(), metadata: copy)
                clampsSeen += clamped
                #expect(problems.isEmpty, "seed \(seed), crash at sync \(k) (replay: SPOOL_CRASH_SEED_BASE=\(seed) SPOOL_CRASH_SEEDS=1): \(problems)")
                Self.removeDatabase(db)
                Self.removeDatabase(copy)
                if !problems.isEmpty { return }
                k += 1
            }
        }
        print("power loss: \(seeds) seeds, \(crashes) crashes reopened and checked, \(clampsSeen) committed offsets clamped to a shorter recovered log")
        #expect(crashes >= seeds * 20)
        #expect(retentionRuns * 2 >= seeds, "retention deletes segments in most seeds (\(retentionRuns) of \(seeds))")
    }

    static func removeDatabase(_ path: String) {
        let fs = PosixFileSystem()
        for suffix in ["", "-wal", "-shm"] { try? fs.removeFile(path + suffix) }
    }
}
