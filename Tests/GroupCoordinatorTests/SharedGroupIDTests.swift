// SPDX-License-Identifier: Apache-2.0
// The classic mistake: two applications sharing one group id.
import GroupCoordinator
import Testing

@Suite("Shared group id detection")
struct SharedGroupIDTests {
    @Test("members with different subscriptions are reported by describe and logged once per generation")
    func detected() throws {
        let log = LogCapture()
        let h = try Harness(topics: ["orders": 4, "emails": 2], logger: log.logger)
        let a = try h.join("shared", topics: ["orders"])
        #expect(try h.coordinator.describe(group: "shared").subscriptionConflict == nil)
        #expect(log.messages(at: .warning).isEmpty)

        let b = try h.join("shared", topics: ["emails"])
        let conflict = try #require(try h.coordinator.describe(group: "shared").subscriptionConflict)
        #expect(conflict == [
            SubscriptionVariant(topics: ["emails"], memberIDs: [b.memberID]),
            SubscriptionVariant(topics: ["orders"], memberIDs: [a.memberID]),
        ])
        #expect(log.messages(at: .warning).count == 1)
        #expect(log.messages(at: .warning).first?.contains("different topics") == true)

        // Same generation: heartbeats, acks and rejoins do not log again.
        _ = try h.coordinator.heartbeat(group: "shared", member: a.memberID, generation: b.generation)
        _ = try h.coordinator.acknowledgeRevocation(group: "shared", member: a.memberID, generation: b.generation)
        _ = try h.join("shared", memberID: b.memberID, topics: ["emails"])
        #expect(log.messages(at: .warning).count == 1)

        // A new generation that still has the conflict logs once more.
        _ = try h.join("shared", topics: ["orders"])
        #expect(log.messages(at: .warning).count == 2)

        // Each side only ever gets its own topic's partitions.
        for member in try h.coordinator.describe(group: "shared").members {
            #expect(member.assigned.allSatisfy { member.subscription.contains($0.topic) })
        }
    }
}
