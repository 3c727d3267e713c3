// SPDX-License-Identifier: Apache-2.0
// Two-phase hand-over: a moved partition reaches its new owner only after the
// old owner acknowledged the revocation, left or expired.
import GroupCoordinator
import Testing

@Suite("Cooperative rebalancing")
struct CooperativeRebalanceTests {
    @Test("a joining member gets moved partitions only after their old owners acknowledge")
    func twoPhase() throws {
        let h = try Harness(topics: ["orders": 6])
        let a = try h.join(assignor: .sticky)
        #expect(a.assignment.assigned == partitions("orders", 0..<6))
        let b = try h.join()
        // B's target is 3 partitions, all still owned by A: nothing granted yet.
        #expect(b.assignment.assigned.isEmpty)
        #expect(b.assignment.pending.count == 3)
        let aBeat = try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: b.generation)
        #expect(aBeat.assignment.revoking == b.assignment.pending)
        #expect(aBeat.assignment.assigned.count == 3)
        #expect(aBeat.groupState == .reconciling)
        expectConsistent(h.coordinator.snapshot())

        // A acknowledges one partition: exactly that one moves.
        let first = try #require(aBeat.assignment.revoking.min())
        _ = try h.coordinator.acknowledgeRevocation(group: "g", member: a.memberID, generation: b.generation, partitions: [first])
        var bBeat = try h.coordinator.heartbeat(group: "g", member: b.memberID, generation: b.generation)
        #expect(bBeat.assignment.assigned == [first])
        #expect(bBeat.assignment.pending.count == 2)
        expectConsistent(h.coordinator.snapshot())

        // The rest.
        let done = try h.coordinator.acknowledgeRevocation(group: "g", member: a.memberID, generation: b.generation)
        #expect(done.assignment.revoking.isEmpty)
        #expect(done.groupState == .stable)
        bBeat = try h.coordinator.heartbeat(group: "g", member: b.memberID, generation: b.generation)
        #expect(bBeat.assignment.assigned.count == 3)
        #expect(bBeat.assignment.assigned.isDisjoint(with: done.assignment.assigned))
        #expect(bBeat.generation == b.generation, "acknowledgements do not bump the generation")
        expectConsistent(h.coordinator.snapshot())
    }

    @Test("a revoking owner that leaves releases its partitions to the waiting members at once")
    func ownerLeaves() throws {
        let h = try Harness(topics: ["orders": 4])
        let a = try h.join(assignor: .sticky)
        let b = try h.join()
        #expect(b.assignment.pending.count == 2)
        try h.coordinator.leave(group: "g", member: a.memberID)
        let bBeat = try h.coordinator.heartbeat(group: "g", member: b.memberID, generation: b.generation + 1)
        #expect(bBeat.assignment.assigned == partitions("orders", 0..<4))
        #expect(bBeat.assignment.pending.isEmpty)
        expectConsistent(h.coordinator.snapshot())
    }

    @Test("no partition is ever owned by two members across a sequence of joins and leaves", arguments: AssignorKind.allCases)
    func neverDoubleOwned(kind: AssignorKind) throws {
        let h = try Harness(topics: ["orders": 7])
        var members = [String]()
        var generation: Int32 = 0
        for step in 0..<12 {
            if step % 3 == 2, let leaving = members.first {
                try h.coordinator.leave(group: "g", member: leaving)
                members.removeFirst()
                generation += 1
            } else {
                let joined = try h.join(assignor: kind)
                members.append(joined.memberID)
                generation = joined.generation
            }
            expectConsistent(h.coordinator.snapshot())
            // Everyone acknowledges; then the group is stable and fully assigned.
            for m in members { _ = try h.join(memberID: m) }
            for m in members { _ = try h.coordinator.acknowledgeRevocation(group: "g", member: m, generation: generation) }
            let entry = try #require(h.coordinator.snapshot().groups["g"])
            #expect(entry.record.state == .stable)
            #expect(entry.assignments.values.reduce(0) { $0 + $1.assigned.count } == 7)
            expectConsistent(h.coordinator.snapshot())
        }
    }

    @Test("a member that does not acknowledge within its rebalance timeout is removed")
    func revocationTimeout() throws {
        let h = try Harness(topics: ["orders": 4])
        let a = try h.join(session: 60_000, rebalance: 5_000, assignor: .sticky)
        let b = try h.join(session: 60_000, rebalance: 5_000)
        h.clock.advance(by: 4_000)
        _ = try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: b.generation)
        #expect(try h.coordinator.expireSessions().isEmpty)
        h.clock.advance(by: 2_000)
        let expired = try h.coordinator.expireSessions()
        #expect(expired.map(\.memberID) == [a.memberID])
        #expect(expired.first?.reason == .revocationTimeout)
        let bBeat = try h.coordinator.heartbeat(group: "g", member: b.memberID, generation: b.generation + 1)
        #expect(bBeat.assignment.assigned == partitions("orders", 0..<4))
    }
}
