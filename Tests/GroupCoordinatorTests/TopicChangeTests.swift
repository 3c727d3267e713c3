// SPDX-License-Identifier: Apache-2.0
// Catalog changes reach the groups that subscribe.
import GroupCoordinator
import Testing

@Suite("Topic changes")
struct TopicChangeTests {
    @Test("growing a subscribed topic bumps the generation and assigns the new partitions; others are untouched")
    func grow() throws {
        let h = try Harness(topics: ["orders": 2, "audit": 1])
        let a = try h.join("g1", topics: ["orders"])
        let b = try h.join("g2", topics: ["audit"])
        try h.coordinator.topicPartitionCountChanged(topic: "orders", count: 5)
        let beat = try h.coordinator.heartbeat(group: "g1", member: a.memberID, generation: a.generation + 1)
        #expect(beat.assignment.assigned == partitions("orders", 0..<5))
        _ = try h.coordinator.heartbeat(group: "g2", member: b.memberID, generation: b.generation)
        // The same count again is not a change.
        try h.coordinator.topicPartitionCountChanged(topic: "orders", count: 5)
        #expect(h.coordinator.snapshot().groups["g1"]?.record.generation == a.generation + 1)
    }

    @Test("deleting a topic removes its partitions from assignments and its offsets from every group")
    func delete() async throws {
        let h = try Harness(topics: ["orders": 2, "audit": 1])
        let a = try h.join(topics: ["orders", "audit"])
        try await h.coordinator.commitOffsets(
            group: "g", member: a.memberID, generation: a.generation,
            offsets: [TopicPartition("orders", 0): OffsetAndMetadata(3), TopicPartition("audit", 0): OffsetAndMetadata(4)])
        try h.coordinator.topicDeleted(topic: "orders")
        let entry = try #require(h.coordinator.snapshot().groups["g"])
        #expect(entry.record.generation == a.generation + 1)
        #expect(entry.assignments[a.memberID]?.owned == [TopicPartition("audit", 0)])
        #expect(entry.offsets.keys.map(\.topic) == ["audit"])
        #expect(throws: CoordinatorError.unknownTopic("orders")) { try h.join(topics: ["orders"]) }
        expectConsistent(h.coordinator.snapshot())
        #expect(h.stored.storedState == h.coordinator.snapshot())
    }
}
