// SPDX-License-Identifier: Apache-2.0
// Session deadlines with a manual clock.
import GroupCoordinator
import Testing

@Suite("Session expiry")
struct SessionExpiryTests {
    @Test("a member silent past its session timeout is removed and the group rebalances")
    func silentMemberRemoved() throws {
        let h = try Harness(topics: ["orders": 6])
        let a = try h.join(session: 10_000)
        let b = try h.join(session: 10_000)
        h.clock.advance(by: 6_000)
        _ = try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: b.generation)
        h.clock.advance(by: 4_000)
        #expect(try h.coordinator.expireSessions().isEmpty, "exactly at the deadline is not past it")
        h.clock.advance(by: 1)
        let expired = try h.coordinator.expireSessions()
        #expect(expired == [ExpiredMember(groupID: "g", memberID: b.memberID, instanceID: nil, reason: .sessionTimeout)])
        #expect(throws: CoordinatorError.staleGeneration(group: "g", given: b.generation, current: b.generation + 1)) {
            try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: b.generation)
        }
        let rejoined = try h.join(memberID: a.memberID)
        #expect(rejoined.generation == b.generation + 1)
        #expect(rejoined.assignment.assigned == partitions("orders", 0..<6))
        #expect(throws: CoordinatorError.unknownMember(group: "g", memberID: b.memberID)) {
            try h.coordinator.heartbeat(group: "g", member: b.memberID, generation: rejoined.generation)
        }
    }

    @Test("expireSessions(now:) judges by the time it is given, and expiry across groups is one transaction")
    func explicitNow() throws {
        let h = try Harness(topics: ["orders": 2])
        _ = try h.join("g1", session: 1_000)
        _ = try h.join("g2", session: 1_000)
        let transactions = h.persistence.transactionCount
        #expect(try h.coordinator.expireSessions(now: h.clock.nowMillis() + 500).isEmpty)
        let expired = try h.coordinator.expireSessions(now: h.clock.nowMillis() + 1_001)
        #expect(Set(expired.map(\.groupID)) == ["g1", "g2"])
        #expect(h.persistence.transactionCount == transactions + 1)
        #expect(h.coordinator.listGroups().map(\.state) == [.empty, .empty])
    }
}
