// SPDX-License-Identifier: Apache-2.0
// Rebuilding from SQLite: the reopened coordinator equals the live one, and
// previous members await rejoin until their session timeout.
import GroupCoordinator
import MetadataStore
import SpoolTestSupport
import Testing

@Suite("Restart and replay")
struct RestartTests {
    @Test("a coordinator rebuilt from the SQLite file equals the live one")
    func rebuildEqualsLive() async throws {
        let db = try TempDatabase()
        let clock = TestClock()
        var store = try db.open()
        var coordinator = try GroupCoordinator(
            persistence: SQLiteGroupStore(store: store), topics: ["orders": 6, "audit": 3], clock: clock, logger: quietLogger)
        let a = try coordinator.join(
            group: "pay", instanceID: "pay-1", clientID: "pay", topics: ["orders"], sessionTimeoutMs: 10_000,
            rebalanceTimeoutMs: 20_000, assignor: .sticky)
        let b = try coordinator.join(
            group: "pay", clientID: "pay", topics: ["orders", "audit"], sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000)
        // Mid-reconciliation state (revoking + pending) must survive too.
        let aState = try coordinator.heartbeat(group: "pay", member: a.memberID, generation: b.generation).assignment
        #expect(!aState.revoking.isEmpty)
        let p = try #require(aState.assigned.min())
        try await coordinator.commitOffsets(
            group: "pay", member: a.memberID, generation: b.generation, offsets: [p: OffsetAndMetadata(42, metadata: "m")])
        _ = try coordinator.join(group: "mail", clientID: "mail", topics: ["orders"], sessionTimeoutMs: 5_000, rebalanceTimeoutMs: 5_000)
        try coordinator.resetOffsets(group: "archive", topic: "audit", to: [0: 5, 2: 9])
        let live = coordinator.snapshot()
        expectConsistent(live)

        store.close()
        store = try db.open()
        coordinator = try GroupCoordinator(
            persistence: SQLiteGroupStore(store: store), topics: ["orders": 6, "audit": 3], clock: clock, logger: quietLogger)
        #expect(coordinator.snapshot() == live)
        // Then the reconciliation continues where it was.
        _ = try coordinator.acknowledgeRevocation(group: "pay", member: a.memberID, generation: b.generation)
        let bBeat = try coordinator.heartbeat(group: "pay", member: b.memberID, generation: b.generation)
        #expect(bBeat.assignment.pending.isEmpty)
        let afterAck = coordinator.snapshot()
        store.close()
        store = try db.open()
        coordinator = try GroupCoordinator(
            persistence: SQLiteGroupStore(store: store), topics: ["orders": 6, "audit": 3], clock: clock, logger: quietLogger)
        #expect(coordinator.snapshot() == afterAck)
        store.close()
    }

    @Test("after a restart previous members await rejoin and expire after their session timeout")
    func awaitingRejoinExpires() throws {
        let h = try Harness(topics: ["orders": 4])
        let s = try h.join(instance: "i1", session: 10_000)
        let d = try h.join(session: 20_000)
        h.clock.advance(by: 100_000)  // long downtime: deadlines count from open
        let reopened = try h.reopened()
        let described = try reopened.describe(group: "g")
        #expect(described.members.allSatisfy { $0.presence == .awaitingRejoinAfterRestart })
        #expect(try reopened.expireSessions().isEmpty)

        // The static member returns within its timeout: same partitions, no bump.
        h.clock.advance(by: 5_000)
        let back = try reopened.join(
            group: "g", instanceID: "i1", clientID: "c", topics: ["orders"], sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000)
        #expect(back.generation == d.generation)
        #expect(back.assignment.assigned == h.coordinator.snapshot().groups["g"]?.assignments[s.memberID]?.assigned)

        // The dynamic one never returns and is removed after 20 s from open.
        h.clock.advance(by: 14_000)
        _ = try reopened.heartbeat(group: "g", member: back.memberID, generation: back.generation)
        #expect(try reopened.expireSessions().isEmpty)
        h.clock.advance(by: 2_000)
        let expired = try reopened.expireSessions()
        #expect(expired.map(\.memberID) == [d.memberID])
        let entry = try #require(reopened.snapshot().groups["g"])
        #expect(entry.record.generation == d.generation + 1)
        #expect(entry.members.keys.sorted() == [back.memberID])
    }

    @Test("a member may resume after a restart with its member id and generation")
    func resumeAfterRestart() throws {
        let h = try Harness()
        let a = try h.join()
        let reopened = try h.reopened()
        let beat = try reopened.heartbeat(group: "g", member: a.memberID, generation: a.generation)
        #expect(beat.assignment == a.assignment)
        #expect(try reopened.describe(group: "g").members.first?.presence == .active)
    }

    @Test("at open, groups whose assignment no longer matches the catalog are rebalanced")
    func catalogDriftAtOpen() throws {
        let h = try Harness(topics: ["orders": 2])
        let a = try h.join()
        // The catalog grew while the coordinator was down.
        let reopened = try GroupCoordinator(
            persistence: ControlledPersistence(h.stored), topics: ["orders": 5], clock: h.clock, logger: quietLogger)
        let entry = try #require(reopened.snapshot().groups["g"])
        #expect(entry.record.generation == a.generation + 1)
        #expect(entry.assignments[a.memberID]?.assigned == partitions("orders", 0..<5))
        #expect(h.stored.storedState == reopened.snapshot())
    }
}
