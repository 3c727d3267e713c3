// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 6: 8 producer tasks, 6 partitions, 3 groups whose members
// join, leave and die on a seeded schedule for a bounded time
// (`SPOOL_SOAK_MS`). Group g0's members commit and leave gracefully, g1's
// close without committing their last batch, g2's vanish (heartbeats stop,
// no leave; the session expires). At the end every group saw every record
// at least once, no record is in two successfully committed batches, and the
// group's offset never passed a record that no committing member processed.
// A watchdog thread fails the test on a deadlock.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
@testable import Spool
import SpoolTestSupport
import Synchronization
import Testing

@Suite("Concurrency soak: producers, partitions, groups with churn")
struct ConcurrencySoakTests {
    static let topic = "soak"
    static let partitions = 6
    static let producers = 8
    static let groups = ["g0", "g1", "g2"]
    static let minimumRecords = 5_000

    enum Departure: Sendable { case graceful, closeWithoutCommit, vanish }

    /// Deliveries per group, keyed by partition and offset.
    final class Ledger: Sendable {
        struct Counts: Sendable {
            var seen: [Int64: Int] = [:]
            /// Which members saw each record.
            var seenBy: [Int64: Set<Int>] = [:]
            var committed: [Int64: Int] = [:]
            /// Per member and partition: the highest offset it committed successfully.
            var committedUpTo: [Int: [Int: Int64]] = [:]
            var rejectedCommits = 0
        }
        let groups = Mutex<[String: Counts]>([:])

        static func key(_ partition: Int, _ offset: Int64) -> Int64 { Int64(partition) << 40 | offset }

        func saw(_ group: String, _ member: Int, _ batch: Batch) {
            groups.withLock { g in
                for r in batch {
                    let k = Self.key(r.partition, r.offset)
                    g[group, default: Counts()].seen[k, default: 0] += 1
                    g[group, default: Counts()].seenBy[k, default: []].insert(member)
                }
            }
        }

        func committed(_ group: String, _ member: Int, _ batch: Batch) {
            groups.withLock { g in
                for r in batch { g[group, default: Counts()].committed[Self.key(r.partition, r.offset), default: 0] += 1 }
                let upTo = g[group, default: Counts()].committedUpTo[member, default: [:]][batch.partition] ?? 0
                g[group, default: Counts()].committedUpTo[member, default: [:]][batch.partition] = max(upTo, batch.nextOffset)
            }
        }

        func rejected(_ group: String) { groups.withLock { $0[group, default: Counts()].rejectedCommits += 1 } }
    }

    final class Shared: Sendable {
        let stop = Atomic<Bool>(false)
        let produced = Mutex<Set<Int64>>([])
    }

    /// One member: its consumer and the loop that consumes and commits.
    final class Member: Sendable {
        let consumer: GroupConsumer
        let group: String
        /// Set to make the loop stop before committing its next batch.
        let stopBeforeCommit = Atomic<Bool>(false)
        /// Set to make the loop stop after committing its current batch.
        let stopAfterCommit = Atomic<Bool>(false)
        let loop = Mutex<Task<Void, Never>?>(nil)
        let id: Int
        static let nextID = Atomic<Int>(0)

        init(_ consumer: GroupConsumer, group: String) {
            self.consumer = consumer
            self.group = group
            id = Self.nextID.add(1, ordering: .relaxed).newValue
        }

        func start(_ ledger: Ledger) {
            let task = Task { [self] in
                var iterator = consumer.batches.makeAsyncIterator()
                while !stopAfterCommit.load(ordering: .relaxed), !Task.isCancelled {
                    guard let batch = try? await iterator.next() else { return }
                    ledger.saw(group, id, batch)
                    if stopBeforeCommit.load(ordering: .relaxed) { return }
                    do {
                        try await consumer.commit(batch)
                        ledger.committed(group, id, batch)
                    } catch {
                        ledger.rejected(group)
                    }
                }
            }
            loop.withLock { $0 = task }
        }

        func depart(_ how: Departure) async {
            switch how {
            case .graceful:
                // Finish the batch in hand (its commit completes), stop fetching, then leave.
                stopAfterCommit.store(true, ordering: .relaxed)
                loop.withLock { $0 }?.cancel()
                await loop.withLock { $0 }?.value
                try? await consumer.close()
            case .closeWithoutCommit:
                stopBeforeCommit.store(true, ordering: .relaxed)
                try? await consumer.close()
                await loop.withLock { $0 }?.value
            case .vanish:
                // The process "dies": no more heartbeats, no leave, no commit.
                consumer.state.withLock { $0.heartbeat }?.cancel()
                stopBeforeCommit.store(true, ordering: .relaxed)
                loop.withLock { $0 }?.cancel()
                await loop.withLock { $0 }?.value
            }
        }
    }

    static func options(for group: String) -> ConsumerOptions {
        // g2's members vanish, so its session is short enough to expire during the soak.
        ConsumerOptions(clientID: group, sessionTimeoutMs: group == "g2" ? 800 : 10_000, heartbeatIntervalMs: 50,
                        assignor: group == "g1" ? .sticky : .range)
    }

    static func departure(for group: String) -> Departure {
        switch group {
        case "g0": .graceful
        case "g1": .closeWithoutCommit
        default: .vanish
        }
    }

    /// The soak itself. Returns a description of every violation.
    static func soak(milliseconds: Int, directory: String) async throws -> [String] {
        var configuration = SpoolHarness.configuration(segmentBytes: 64 << 10)
        configuration.maintenanceIntervalMs = 200
        let spool = try Spool.open(at: directory, configuration: configuration)
        defer { try? spool.close() }
        try spool.createTopic(topic, partitions: partitions)
        let ledger = Ledger()
        let shared = Shared()

        // Producers.
        var producerTasks: [Task<Void, Never>] = []
        for t in 0..<producers {
            producerTasks.append(Task {
                var n = 0
                let producer = spool.producer()
                while !shared.stop.load(ordering: .relaxed) {
                    let records = (0..<(1 + n % 4)).map { i in Record(key: "p\(t)-\(n)-\(i)", value: "v\(t)-\(n)-\(i)") }
                    n += 1
                    // A short pause keeps the volume (and so the drain) bounded on a slow or sanitized build.
                    try? await Task.sleep(for: .milliseconds(1))
                    guard let receipts = try? await producer.send(records, to: topic) else { continue }
                    shared.produced.withLock { s in for r in receipts { s.insert(Ledger.key(r.partition, r.offset)) } }
                }
            })
        }

        // Groups: each starts with one member and churns on its own seeded schedule.
        var schedulers: [Task<[Member], Never>] = []
        for (index, group) in groups.enumerated() {
            let first = Member(try await spool.consumer(group: group, topics: [topic], options: options(for: group)), group: group)
            first.start(ledger)
            schedulers.append(Task {
                var random = SeededRandom(seed: 0x50A4 + UInt64(index))
                var live = [first]
                while !shared.stop.load(ordering: .relaxed) {
                    try? await Task.sleep(for: .milliseconds(80 + Int(random.next() % 220)))
                    if live.count < 2 || (live.count < 4 && random.chance(0.55)) {
                        if let c = try? await spool.consumer(group: group, topics: [topic], options: options(for: group)) {
                            let m = Member(c, group: group)
                            m.start(ledger)
                            live.append(m)
                        }
                    } else {
                        let m = live.remove(at: Int(random.next() % UInt64(live.count)))
                        await m.depart(departure(for: group))
                    }
                }
                return live
            })
        }

        try await Task.sleep(for: .milliseconds(milliseconds))
        // On a machine busy with other tests the producers may have had little
        // time: go on until the soak has real volume (bounded by 10× the time).
        var extra = 0
        while shared.produced.withLock({ $0.count }) < minimumRecords, extra < 9 * milliseconds {
            try await Task.sleep(for: .milliseconds(50))
            extra += 50
        }
        shared.stop.store(true, ordering: .relaxed)
        for t in producerTasks { await t.value }
        var survivors: [Member] = []
        for s in schedulers { survivors += await s.value }

        // Drain: the survivors commit up to every partition's end.
        var ends: [Int: Int64] = [:]
        for p in 0..<partitions { ends[p] = try spool.offsets(topic: topic, partition: p).end }
        var drained: Set<String> = []
        for _ in 0..<2_400 where drained.count < groups.count {
            for g in groups where !drained.contains(g) {
                let info = try spool.describeGroup(g)
                if info.partitions.allSatisfy({ ($0.committedOffset ?? -1) == ends[$0.partition.partition] }) { drained.insert(g) }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        for m in survivors { await m.depart(.graceful) }

        var problems: [String] = []
        if drained.count < groups.count { problems.append("groups never caught up: \(Set(groups).subtracting(drained).sorted())") }
        let all = shared.produced.withLock { $0 }
        let total = ends.values.reduce(0, +)
        if Int64(all.count) != total { problems.append("\(all.count) records acknowledged, but the partitions hold \(total)") }
        let ledgers = ledger.groups.withLock { $0 }
        for g in groups {
            let counts = ledgers[g] ?? Ledger.Counts()
            let missing = all.filter { (counts.seen[$0] ?? 0) == 0 }
            if !missing.isEmpty { problems.append("\(g) never saw \(missing.count) records") }
            // Exactly once: no record is in two successfully committed batches, and a record in
            // none was seen by a member whose own later commit on that partition moved past it
            // (its batch's commit was refused, but it kept the partition and committed further).
            let notOnce = all.filter { k in
                let n = counts.committed[k] ?? 0
                if n == 1 { return false }
                if n > 1 { return true }
                let partition = Int(k >> 40), offset = k & 0xFF_FFFF_FFFF
                return !(counts.seenBy[k] ?? []).contains { (counts.committedUpTo[$0]?[partition] ?? 0) > offset }
            }
            if !notOnce.isEmpty {
                let sample = notOnce.prefix(5).map { "p\($0 >> 40)@\($0 & 0xFF_FFFF_FFFF)×\(counts.committed[$0] ?? 0)" }
                problems.append("\(g): \(notOnce.count) records committed twice, or passed by a commit of a member that never saw them, e.g. \(sample)")
            }
            let duplicates = counts.seen.values.filter { $0 > 1 }.count
            print("soak \(g): \(all.count) records, \(duplicates) delivered more than once, \(counts.rejectedCommits) commits refused")
        }
        return problems
    }

    @Test("8 producers, 6 partitions, 3 churning groups: at least once for all, exactly once per successful commit, no deadlock")
    func churningGroups() async throws {
        let scratch = try ScratchDirectory("soak")
        let millis = ReliabilityKnobs.soakMillis
        let deadline = ReliabilityKnobs.soakDeadlineMillis
        let directory = scratch.appending("data")
        let result: [String]? = await withCheckedContinuation { continuation in
            let once = Once(continuation)
            Task {
                let problems = (try? await Self.soak(milliseconds: millis, directory: directory)) ?? ["the soak threw"]
                once.resume(problems)
            }
            // The watchdog is a plain thread: it works even if every pool thread is blocked.
            Watchdog.start(after: deadline) { once.resume(nil) }
        }
        guard let problems = result else {
            Issue.record("the soak did not finish within \(deadline) ms: deadlock or livelock")
            return
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}

/// Resumes a continuation at most once, from whichever side comes first.
final class Once: Sendable {
    let continuation: Mutex<CheckedContinuation<[String]?, Never>?>
    init(_ c: CheckedContinuation<[String]?, Never>) { continuation = Mutex(c) }
    func resume(_ value: [String]?) { continuation.withLock { $0.take() }?.resume(returning: value) }
}

/// A detached thread that runs `action` after a delay.
enum Watchdog {
    private final class Box: Sendable {
        let action: @Sendable () -> Void
        let milliseconds: Int
        init(_ milliseconds: Int, _ action: @escaping @Sendable () -> Void) {
            self.milliseconds = milliseconds
            self.action = action
        }
    }

    static func start(after milliseconds: Int, _ action: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Box(milliseconds, action)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            sleepMillis(box.milliseconds)
            box.action()
            return nil
        }, context)
        if created == 0 { pthread_detach(thread) } else { Unmanaged<Box>.fromOpaque(context).release() }
    }
}
