// SPDX-License-Identifier: Apache-2.0
// Static members (instance ids): leave and return without a rebalance; a
// second live member with the same instance id fences the first.
import GroupCoordinator
import Testing

@Suite("Static membership")
struct StaticMembershipTests {
    @Test("a static member that leaves and rejoins gets the same partitions without a generation bump")
    func leaveAndRejoin() throws {
        let h = try Harness(topics: ["orders": 6])
        let s = try h.join(instance: "payments-1")
        let d = try h.join()
        for m in [s.memberID, d.memberID] { _ = try h.coordinator.acknowledgeRevocation(group: "g", member: m, generation: d.generation) }
        let owned = try h.coordinator.heartbeat(group: "g", member: s.memberID, generation: d.generation).assignment.assigned
        #expect(owned.count == 3)
        let transactions = h.persistence.transactionCount

        try h.coordinator.leave(group: "g", member: s.memberID)
        #expect(h.persistence.transactionCount == transactions, "a static leave writes nothing")
        let described = try h.coordinator.describe(group: "g")
        #expect(described.generation == d.generation)
        #expect(described.members.first { $0.memberID == s.memberID }?.presence == .departed)
        #expect(described.members.first { $0.memberID == s.memberID }?.assigned == owned.sorted())
        // Its old id no longer works.
        #expect(throws: CoordinatorError.unknownMember(group: "g", memberID: s.memberID)) {
            try h.coordinator.heartbeat(group: "g", member: s.memberID, generation: d.generation)
        }

        h.clock.advance(by: 5_000)
        let back = try h.join(instance: "payments-1")
        #expect(back.memberID != s.memberID)
        #expect(back.generation == d.generation)
        #expect(back.assignment.assigned == owned)
        // The other member is undisturbed: same generation, same partitions.
        let dBeat = try h.coordinator.heartbeat(group: "g", member: d.memberID, generation: d.generation)
        #expect(dBeat.assignment.assigned == partitions("orders", 0..<6).subtracting(owned))
        expectConsistent(h.coordinator.snapshot())
    }

    @Test("a second live member with the same instance id fences the first")
    func duplicateInstanceFenced() async throws {
        let h = try Harness(topics: ["orders": 2])
        let first = try h.join(instance: "i1")
        let second = try h.join(instance: "i1")
        #expect(second.memberID != first.memberID)
        #expect(second.generation == first.generation)
        #expect(second.assignment.assigned == first.assignment.assigned)
        #expect(throws: CoordinatorError.fencedInstance(group: "g", memberID: first.memberID, instanceID: "i1")) {
            try h.coordinator.heartbeat(group: "g", member: first.memberID, generation: first.generation)
        }
        await #expect(throws: CoordinatorError.fencedInstance(group: "g", memberID: first.memberID, instanceID: "i1")) {
            try await h.coordinator.commitOffsets(
                group: "g", member: first.memberID, generation: first.generation,
                offsets: [TopicPartition("orders", 0): OffsetAndMetadata(3)])
        }
        try await h.coordinator.commitOffsets(
            group: "g", member: second.memberID, generation: second.generation,
            offsets: [TopicPartition("orders", 0): OffsetAndMetadata(3)])
        #expect(h.coordinator.snapshot().groups["g"]?.members.count == 1)
    }

    @Test("a departed static member is removed with a rebalance once its session timeout passes")
    func departedExpires() throws {
        let h = try Harness(topics: ["orders": 4])
        let s = try h.join(instance: "i1", session: 10_000)
        let d = try h.join(session: 60_000)
        try h.coordinator.leave(group: "g", member: s.memberID)
        h.clock.advance(by: 9_000)
        _ = try h.coordinator.heartbeat(group: "g", member: d.memberID, generation: d.generation)
        #expect(try h.coordinator.expireSessions().isEmpty)
        h.clock.advance(by: 2_000)
        #expect(try h.coordinator.expireSessions().map(\.memberID) == [s.memberID])
        let beat = try h.coordinator.heartbeat(group: "g", member: d.memberID, generation: d.generation + 1)
        #expect(beat.assignment.assigned == partitions("orders", 0..<4))
    }

    @Test("leave(permanently:) removes a static member at once")
    func permanentLeave() throws {
        let h = try Harness()
        let s = try h.join(instance: "i1")
        try h.coordinator.leave(group: "g", member: s.memberID, permanently: true)
        let entry = try #require(h.coordinator.snapshot().groups["g"])
        #expect(entry.members.isEmpty)
        #expect(entry.record.generation == 2)
        #expect(entry.record.state == .empty)
    }
}
