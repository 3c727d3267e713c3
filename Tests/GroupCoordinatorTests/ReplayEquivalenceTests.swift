// SPDX-License-Identifier: Apache-2.0
// Replay equivalence: after a seeded random sequence of operations, a
// coordinator rebuilt from the SQLite file equals the live one.
import GroupCoordinator
import MetadataStore
import SpoolTestSupport
import Testing

@Suite("Replay equivalence")
struct ReplayEquivalenceTests {
    struct Known {
        var memberID: String
        var groupID: String
        var instanceID: String?
    }

    /// One random operation; errors that the protocol allows are fine.
    /// Returns whether the operation succeeded.
    @discardableResult
    static func step(_ c: GroupCoordinator, _ clock: TestClock, _ random: inout SeededRandom, _ known: inout [Known]) async -> Bool {
        let groups = ["g1", "g2", "g3"]
        let topicSets = [["a"], ["a", "b"], ["b"]]
        let group = groups[Int.random(in: 0..<groups.count, using: &random)]
        let member = known.filter { $0.groupID == group }.randomElement(using: &random)
        let generation = (try? c.describe(group: group).generation) ?? 0
        do {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<25:
                let instance = random.chance(0.4) ? "inst-\(Int.random(in: 0..<4, using: &random))" : nil
                let r = try c.join(
                    group: group, instanceID: instance, clientID: "c", topics: topicSets.randomElement(using: &random) ?? ["a"],
                    sessionTimeoutMs: Int32.random(in: 1_000...5_000, using: &random), rebalanceTimeoutMs: 3_000,
                    assignor: nil)
                known.removeAll { $0.groupID == group && instance != nil && $0.instanceID == instance }
                known.append(Known(memberID: r.memberID, groupID: group, instanceID: instance))
            case 25..<35:
                guard let member else { return false }
                _ = try c.join(
                    group: group, memberID: member.memberID, clientID: "c",
                    topics: topicSets.randomElement(using: &random) ?? ["a"], sessionTimeoutMs: 4_000, rebalanceTimeoutMs: 3_000)
            case 35..<45:
                guard let member else { return false }
                try c.leave(group: group, member: member.memberID, permanently: random.chance(0.3))
            case 45..<60:
                guard let member else { return false }
                _ = try c.acknowledgeRevocation(group: group, member: member.memberID, generation: generation)
            case 60..<80:
                guard let member else { return false }
                let owned = try c.heartbeat(group: group, member: member.memberID, generation: generation).assignment.owned
                var offsets = [TopicPartition: OffsetAndMetadata]()
                for p in owned where random.chance(0.7) { offsets[p] = OffsetAndMetadata(Int64.random(in: 0...1_000, using: &random)) }
                try await c.commitOffsets(group: group, member: member.memberID, generation: generation, offsets: offsets)
            case 80..<88:
                clock.advance(by: Int64.random(in: 0...3_000, using: &random))
                try c.expireSessions()
            case 88..<92:
                try c.topicPartitionCountChanged(topic: random.chance(0.5) ? "a" : "b", count: Int32.random(in: 1...9, using: &random))
            case 92..<96:
                try c.resetOffsets(group: group, topic: "a", to: [0: Int64.random(in: 0...50, using: &random)])
            default:
                try c.deleteGroup(group)
                known.removeAll { $0.groupID == group }
            }
            return true
        } catch {
            // groupNotEmpty, staleGeneration, unknownMember… are legitimate answers.
            if case .persistence = error { Issue.record("persistence failed: \(error)") }
            return false
        }
    }

    @Test("random operations: reopening from SQLite reproduces the live state every time", arguments: [UInt64(1), 2, 3])
    func randomSequence(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let db = try TempDatabase()
        let clock = TestClock()
        let topics: [String: Int32] = ["a": 4, "b": 3]
        var store = try db.open(synchronous: .off)
        var coordinator = try GroupCoordinator(persistence: SQLiteGroupStore(store: store), topics: topics, clock: clock, logger: quietLogger)
        var known = [Known]()
        var succeeded = 0
        for round in 0..<6 {
            for _ in 0..<60 {
                if await Self.step(coordinator, clock, &random, &known) { succeeded += 1 }
                expectConsistent(coordinator.snapshot())
            }
            let live = coordinator.snapshot()
            let currentTopics = coordinator.topics
            store.close()
            store = try db.open(synchronous: .off)
            coordinator = try GroupCoordinator(
                persistence: SQLiteGroupStore(store: store), topics: currentTopics, clock: clock, logger: quietLogger)
            #expect(coordinator.snapshot() == live, "round \(round), \(random)")
        }
        // The sequence must exercise the coordinator, not only collect refusals.
        #expect(succeeded > 100, "only \(succeeded) of 360 operations succeeded")
        let final = coordinator.snapshot()
        #expect(final.groups.values.contains { !$0.members.isEmpty } || final.groups.values.contains { !$0.offsets.isEmpty })
        store.close()
    }
}
