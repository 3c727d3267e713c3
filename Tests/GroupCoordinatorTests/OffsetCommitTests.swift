// SPDX-License-Identifier: Apache-2.0
// Offset commits: coalescing into shared transactions, durability across
// reopen, fetch, reset, delete, clamping and the start-position rule.
import GroupCoordinator
import MetadataStore
import Synchronization
import Testing

@Suite("Offset commits")
struct OffsetCommitTests {
    static func commitsIn(_ mutations: [GroupMutation]) -> Int {
        mutations.reduce(0) { sum, m in
            if case .offsetsCommitted(_, let commits) = m { return sum + commits.count }
            return sum
        }
    }

    @Test("commits queued while a transaction is in flight share the next transaction")
    func coalesced() async throws {
        let h = try Harness(topics: ["t": 16])
        let m = try h.join(topics: ["t"])
        let coordinator = h.coordinator
        let before = h.persistence.transactionCount
        // Hold the first commit transaction until every other commit is queued.
        let firstBatch = Mutex(0)
        h.persistence.setGate { mutations in
            let inFlight = Self.commitsIn(mutations)
            firstBatch.withLock { $0 = inFlight }
            for _ in 0..<10_000 where coordinator.queuedCommitCount + inFlight < 16 { sleepMillis(1) }
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for i in Int32(0)..<16 {
                tasks.addTask {
                    try await coordinator.commitOffsets(
                        group: "g", member: m.memberID, generation: m.generation,
                        offsets: [TopicPartition("t", i): OffsetAndMetadata(Int64(i) * 10)])
                }
            }
            try await tasks.waitForAll()
        }
        // Whatever the first batch held, everything queued behind it went in ONE more transaction.
        let first = firstBatch.withLock { $0 }
        #expect(first >= 1)
        #expect(h.persistence.transactionCount - before == (first == 16 ? 1 : 2))
        let offsets = h.coordinator.fetchOffsets(group: "g")
        for i in Int32(0)..<16 { #expect(offsets[TopicPartition("t", i)]?.offset == Int64(i) * 10) }
        #expect(h.stored.storedState == h.coordinator.snapshot())
    }

    @Test("many concurrent committers on SQLite: every acknowledged commit is there after reopen")
    func coalescedDurable() async throws {
        let db = try TempDatabase()
        let clock = TestClock()
        var store = try db.open(synchronous: .full)
        let persistence = ControlledPersistence(SQLiteGroupStore(store: store))
        let coordinator = try GroupCoordinator(persistence: persistence, topics: ["t": 16], clock: clock, logger: quietLogger)
        let m = try coordinator.join(group: "g", clientID: "c", topics: ["t"], sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 60_000)
        let before = persistence.transactionCount
        let perTask = 60
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for i in Int32(0)..<16 {
                tasks.addTask {
                    for n in 1...perTask {
                        try await coordinator.commitOffsets(
                            group: "g", member: m.memberID, generation: m.generation,
                            offsets: [TopicPartition("t", i): OffsetAndMetadata(Int64(n) * 1_000 + Int64(i), metadata: "n=\(n)")])
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let transactions = persistence.transactionCount - before
        #expect(transactions < 16 * perTask, "no two commits ever shared a transaction")
        let live = coordinator.snapshot()
        store.close()
        store = try db.open()
        let reopened = try GroupCoordinator(persistence: SQLiteGroupStore(store: store), topics: ["t": 16], clock: clock, logger: quietLogger)
        #expect(reopened.snapshot() == live)
        let offsets = reopened.fetchOffsets(group: "g")
        for i in Int32(0)..<16 {
            #expect(offsets[TopicPartition("t", i)]?.offset == Int64(perTask) * 1_000 + Int64(i))
            #expect(offsets[TopicPartition("t", i)]?.metadata == "n=\(perTask)")
        }
        store.close()
    }

    @Test("a later commit of a partition wins; offsets are never expired")
    func lastWins() async throws {
        let h = try Harness(topics: ["t": 1])
        let m = try h.join(topics: ["t"])
        let p = TopicPartition("t", 0)
        try await h.coordinator.commitOffsets(group: "g", member: m.memberID, generation: m.generation, offsets: [p: OffsetAndMetadata(10)])
        try await h.coordinator.commitOffsets(group: "g", member: m.memberID, generation: m.generation, offsets: [p: OffsetAndMetadata(4)])
        #expect(h.coordinator.fetchOffsets(group: "g")[p]?.offset == 4)
        try h.coordinator.leave(group: "g", member: m.memberID)
        h.clock.advance(by: 30 * 24 * 3_600_000)
        try h.coordinator.expireSessions()
        #expect(h.coordinator.fetchOffsets(group: "g")[p]?.offset == 4)
        #expect(try h.reopened().fetchOffsets(group: "g")[p]?.offset == 4)
    }

    @Test("reset offsets is refused while members are live and allowed after; it can create the group")
    func resetOffsets() throws {
        let h = try Harness(topics: ["t": 3])
        let m = try h.join(topics: ["t"])
        #expect(throws: CoordinatorError.groupNotEmpty(group: "g", liveMembers: 1)) {
            try h.coordinator.resetOffsets(group: "g", topic: "t", to: [0: 0])
        }
        try h.coordinator.leave(group: "g", member: m.memberID)
        try h.coordinator.resetOffsets(group: "g", topic: "t", to: [0: 5, 1: 6])
        #expect(h.coordinator.fetchOffsets(group: "g")[TopicPartition("t", 1)]?.offset == 6)
        #expect(throws: CoordinatorError.unknownPartition(TopicPartition("t", 3))) {
            try h.coordinator.resetOffsets(group: "g", topic: "t", to: [3: 0])
        }
        #expect(throws: CoordinatorError.invalidOffset(TopicPartition("t", 0), -2)) {
            try h.coordinator.resetOffsets(group: "g", topic: "t", to: [0: -2])
        }
        try h.coordinator.resetOffsets(group: "fresh", topic: "t", to: [2: 1])
        #expect(h.coordinator.listGroups().map(\.groupID) == ["fresh", "g"])
    }

    @Test("deleting a group deletes its offsets; refused while it has live members")
    func deleteGroup() async throws {
        let h = try Harness(topics: ["t": 1])
        let m = try h.join(topics: ["t"])
        try await h.coordinator.commitOffsets(
            group: "g", member: m.memberID, generation: m.generation, offsets: [TopicPartition("t", 0): OffsetAndMetadata(3)])
        #expect(throws: CoordinatorError.groupNotEmpty(group: "g", liveMembers: 1)) { try h.coordinator.deleteGroup("g") }
        try h.coordinator.leave(group: "g", member: m.memberID)
        try h.coordinator.deleteGroup("g")
        #expect(h.coordinator.fetchOffsets(group: "g").isEmpty)
        #expect(h.coordinator.listGroups().isEmpty)
        #expect(try h.reopened().snapshot().groups.isEmpty)
        #expect(throws: CoordinatorError.groupNotFound(group: "g")) { try h.coordinator.deleteGroup("g") }
    }

    @Test("committed offsets beyond the log end are reported, and clamped on request")
    func beyondEnd() throws {
        let h = try Harness(topics: ["t": 2])
        try h.coordinator.resetOffsets(group: "g", topic: "t", to: [0: 100, 1: 10])
        let ends = [TopicPartition("t", 0): Int64(50), TopicPartition("t", 1): 50]
        let report = try h.coordinator.offsetsBeyondEnd(endOffsets: ends, clamp: false)
        #expect(report == [OffsetBeyondEnd(groupID: "g", partition: TopicPartition("t", 0), committed: 100, logEnd: 50)])
        #expect(h.coordinator.fetchOffsets(group: "g")[TopicPartition("t", 0)]?.offset == 100)
        _ = try h.coordinator.offsetsBeyondEnd(endOffsets: ends, clamp: true)
        #expect(h.coordinator.fetchOffsets(group: "g")[TopicPartition("t", 0)]?.offset == 50)
        #expect(try h.reopened().fetchOffsets(group: "g")[TopicPartition("t", 0)]?.offset == 50)
        #expect(try h.coordinator.offsetsBeyondEnd(endOffsets: ends, clamp: false).isEmpty)
    }

    @Test("the start position follows the commit when in range, else the reset policy")
    func startingOffset() throws {
        let h = try Harness(topics: ["t": 1])
        let p = TopicPartition("t", 0)
        #expect(try h.coordinator.startingOffset(group: "g", partition: p, logStart: 5, logEnd: 20, reset: .earliest) == 5)
        #expect(try h.coordinator.startingOffset(group: "g", partition: p, logStart: 5, logEnd: 20, reset: .latest) == 20)
        #expect(throws: CoordinatorError.noCommittedOffset(group: "g", partition: p)) {
            try h.coordinator.startingOffset(group: "g", partition: p, logStart: 5, logEnd: 20, reset: .none)
        }
        try h.coordinator.resetOffsets(group: "g", topic: "t", to: [0: 12])
        #expect(try h.coordinator.startingOffset(group: "g", partition: p, logStart: 5, logEnd: 20, reset: .none) == 12)
        #expect(try h.coordinator.startingOffset(group: "g", partition: p, logStart: 13, logEnd: 20, reset: .earliest) == 13)
        #expect(throws: CoordinatorError.committedOffsetOutOfRange(group: "g", partition: p, committed: 12, logStart: 13, logEnd: 20)) {
            try h.coordinator.startingOffset(group: "g", partition: p, logStart: 13, logEnd: 20, reset: .none)
        }
    }

    @Test("describe reports lag = end − committed, also without live members")
    func lag() async throws {
        let h = try Harness(topics: ["t": 3])
        let m = try h.join(topics: ["t"])
        try await h.coordinator.commitOffsets(
            group: "g", member: m.memberID, generation: m.generation,
            offsets: [TopicPartition("t", 0): OffsetAndMetadata(10), TopicPartition("t", 1): OffsetAndMetadata(7)])
        try h.coordinator.leave(group: "g", member: m.memberID)
        let ends = [TopicPartition("t", 0): Int64(15), TopicPartition("t", 1): 7, TopicPartition("t", 2): 4]
        let d = try h.coordinator.describe(group: "g", endOffsets: ends)
        #expect(d.state == .empty)
        #expect(d.partitions.map(\.lag) == [5, 0, nil])
        #expect(d.partitions.map(\.endOffset) == [15, 7, 4])
        #expect(d.totalLag == 5)
    }
}
