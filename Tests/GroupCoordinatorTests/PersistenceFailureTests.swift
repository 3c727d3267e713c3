// SPDX-License-Identifier: Apache-2.0
// A failed transaction leaves memory exactly as it was.
import GroupCoordinator
import Testing

@Suite("Persistence failures")
struct PersistenceFailureTests {
    @Test("every mutating handler leaves memory unchanged when its transaction fails")
    func memoryUnchanged() async throws {
        let h = try Harness(topics: ["orders": 4, "audit": 2])
        let a = try h.join(assignor: .sticky)
        let s = try h.join(instance: "i1")
        let generation = s.generation
        let p = try #require(try h.coordinator.heartbeat(group: "g", member: a.memberID, generation: generation).assignment.assigned.min())
        try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: generation, offsets: [p: OffsetAndMetadata(1)])
        let before = h.coordinator.snapshot()
        let describedBefore = try h.coordinator.describe(group: "g")
        h.persistence.failing = true

        func expectPersistenceError(_ label: String, _ body: () throws(CoordinatorError) -> Void) {
            do {
                try body()
                Issue.record("\(label): expected a persistence error")
            } catch {
                guard case .persistence(let cause) = error else {
                    Issue.record("\(label): \(error)")
                    return
                }
                #expect(cause is InjectedFailure, "\(label)")
            }
            #expect(h.coordinator.snapshot() == before, "\(label) changed memory")
        }
        expectPersistenceError("join") { () throws(CoordinatorError) in _ = try h.join() }
        expectPersistenceError("static rejoin") { () throws(CoordinatorError) in _ = try h.join(instance: "i1") }
        expectPersistenceError("ack") { () throws(CoordinatorError) in _ = try h.coordinator.acknowledgeRevocation(group: "g", member: a.memberID, generation: generation) }
        expectPersistenceError("leave") { () throws(CoordinatorError) in try h.coordinator.leave(group: "g", member: a.memberID) }
        expectPersistenceError("topic change") { () throws(CoordinatorError) in try h.coordinator.topicPartitionCountChanged(topic: "orders", count: 8) }
        h.clock.advance(by: 1_000_000)
        expectPersistenceError("expiry") { () throws(CoordinatorError) in try h.coordinator.expireSessions() }
        do {
            try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: generation, offsets: [p: OffsetAndMetadata(9)])
            Issue.record("commit: expected a persistence error")
        } catch {
            guard case .persistence = error else { throw error }
        }
        #expect(h.coordinator.snapshot() == before)
        #expect(h.coordinator.fetchOffsets(group: "g")[p]?.offset == 1)
        // Soft state too: the static member was not fenced by the failed rejoin.
        #expect(try h.coordinator.describe(group: "g").members.map(\.memberID) == describedBefore.members.map(\.memberID))
        _ = try h.coordinator.heartbeat(group: "g", member: s.memberID, generation: generation)

        // Once storage works again the same requests succeed.
        h.persistence.failing = false
        try await h.coordinator.commitOffsets(group: "g", member: a.memberID, generation: generation, offsets: [p: OffsetAndMetadata(9)])
        #expect(h.coordinator.fetchOffsets(group: "g")[p]?.offset == 9)
        #expect(h.stored.storedState == h.coordinator.snapshot())
    }
}
