// SPDX-License-Identifier: Apache-2.0
// Generation and member fencing: refused requests are typed and change nothing.
import GroupCoordinator
import Testing

@Suite("Fencing")
struct FencingTests {
    @Test("every membership change bumps the generation")
    func generations() throws {
        let h = try Harness(topics: ["orders": 6, "audit": 1])
        let a = try h.join()
        #expect(a.generation == 1)
        let b = try h.join()
        #expect(b.generation == 2)
        try h.coordinator.leave(group: "g", member: b.memberID)
        #expect(h.coordinator.snapshot().groups["g"]?.record.generation == 3)
        // Rejoining with the same id and subscription is not a change.
        let again = try h.join(memberID: a.memberID)
        #expect(again.generation == 3)
        // A changed subscription is.
        let changed = try h.join(memberID: a.memberID, topics: ["orders", "audit"])
        #expect(changed.generation == 4)
    }

    @Test("a commit with a stale generation is refused and changes nothing")
    func staleCommit() async throws {
        let h = try Harness()
        let a = try h.join()
        _ = try h.join()
        let before = h.coordinator.snapshot()
        let transactions = h.persistence.transactionCount
        let p = try #require(try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: 2).assignment.owned.min())
        await #expect(throws: CoordinatorError.staleGeneration(group: "g", given: 1, current: 2)) {
            try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: 1, offsets: [p: OffsetAndMetadata(5)])
        }
        #expect(h.coordinator.snapshot() == before)
        #expect(h.persistence.transactionCount == transactions)
        #expect(h.coordinator.fetchOffsets(group: "g").isEmpty)
    }

    @Test("heartbeats with a stale generation or unknown member get typed errors")
    func heartbeatErrors() throws {
        let h = try Harness()
        let a = try h.join()
        _ = try h.join()
        let before = h.coordinator.snapshot()
        #expect(throws: CoordinatorError.staleGeneration(group: "g", given: 1, current: 2)) {
            try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: 1)
        }
        #expect(throws: CoordinatorError.unknownMember(group: "g", memberID: "nobody")) {
            try h.coordinator.heartbeat(group: "g", member: "nobody", generation: 2)
        }
        #expect(throws: CoordinatorError.groupNotFound(group: "other")) {
            try h.coordinator.heartbeat(group: "other", member: a.memberID, generation: 2)
        }
        #expect(h.coordinator.snapshot() == before)
    }

    @Test("commits from unknown members, of unowned partitions, or with bad values are refused")
    func commitValidation() async throws {
        let h = try Harness(topics: ["orders": 2])
        let a = try h.join()
        let b = try h.join()
        let aOwned = try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: b.generation).assignment
        let p = try #require(aOwned.assigned.min())
        let before = h.coordinator.snapshot()
        let g = b.generation
        await #expect(throws: CoordinatorError.unknownMember(group: "g", memberID: "ghost")) {
            try await h.coordinator.commitOffsets(group: "g", member: "ghost", generation: g, offsets: [p: OffsetAndMetadata(1)])
        }
        // B's share is still pending (A is revoking it): B owns nothing yet.
        #expect(b.assignment.assigned.isEmpty && b.assignment.pending.count == 1)
        let pendingForB = try #require(b.assignment.pending.min())
        await #expect(throws: CoordinatorError.notAssigned(group: "g", memberID: b.memberID, partition: pendingForB)) {
            try await h.coordinator.commitOffsets(group: "g", member: b.memberID, generation: g, offsets: [pendingForB: OffsetAndMetadata(1)])
        }
        await #expect(throws: CoordinatorError.invalidOffset(p, -1)) {
            try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: g, offsets: [p: OffsetAndMetadata(-1)])
        }
        let big = String(repeating: "x", count: 4097)
        await #expect(throws: CoordinatorError.metadataTooLarge(p, bytes: 4097)) {
            try await h.coordinator.commitOffsets(
                group: "g", member: a.memberID, generation: g, offsets: [p: OffsetAndMetadata(1, metadata: big)])
        }
        let missing = TopicPartition("orders", 9)
        await #expect(throws: CoordinatorError.unknownPartition(missing)) {
            try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: g, offsets: [missing: OffsetAndMetadata(1)])
        }
        await #expect(throws: CoordinatorError.unknownTopic("nope")) {
            try await h.coordinator.commitOffsets(
                group: "g", member: a.memberID, generation: g, offsets: [TopicPartition("nope", 0): OffsetAndMetadata(1)])
        }
        #expect(h.coordinator.snapshot() == before)
        // 4096 bytes is allowed.
        try await h.coordinator.commitOffsets(
            group: "g", member: a.memberID, generation: g, offsets: [p: OffsetAndMetadata(7, metadata: String(repeating: "y", count: 4096))])
        #expect(h.coordinator.fetchOffsets(group: "g")[p]?.offset == 7)
    }

    @Test("bad joins are refused with typed errors")
    func badJoins() throws {
        let h = try Harness()
        #expect(throws: CoordinatorError.unknownTopic("nope")) { try h.join(topics: ["nope"]) }
        #expect(throws: CoordinatorError.invalidJoin("empty subscription")) { try h.join(topics: []) }
        #expect(throws: CoordinatorError.unknownMember(group: "g", memberID: "ghost")) { try h.join(memberID: "ghost") }
        _ = try h.join(assignor: .range)
        #expect(throws: CoordinatorError.inconsistentAssignor(group: "g", groupUses: .range, requested: .sticky)) {
            try h.join(assignor: .sticky)
        }
        #expect(h.coordinator.snapshot().groups["g"]?.members.count == 1)
    }
}
