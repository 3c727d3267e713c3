// SPDX-License-Identifier: Apache-2.0
// Group membership seen from consumers: static members returning without a
// rebalance, new partitions reaching members, and the maxPollInterval rule.
import Spool
import Testing

@Suite("Group membership: static rejoin, new partitions, maxPollInterval", .timeLimit(.minutes(2)))
struct MembershipTests {
    @Test("a static member that closes and returns before its session timeout gets the same partitions, same generation")
    func staticMemberRejoinsWithoutRebalance() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let options1 = ConsumerOptions.fast(instanceID: "payments-1", sessionTimeoutMs: 10_000)
        let first = try await f.spool.consumer(group: "payment-service-group", topics: ["orders"], options: options1)
        let other = try await f.spool.consumer(group: "payment-service-group", topics: ["orders"],
                                               options: .fast(instanceID: "payments-2", sessionTimeoutMs: 10_000))
        #expect(await waitForBalancedAssignment([first, other], partitions: 6))
        let ownedBefore = first.assignment
        let otherBefore = other.assignment
        let generationBefore = try f.spool.describeGroup("payment-service-group").generation
        #expect(first.generation == generationBefore)

        // Commit a position so the returning member provably resumes from it.
        _ = try await f.spool.producer().send((0..<30).map { Record(key: "order-\($0)", value: "x") }, to: "orders")
        let tp = ownedBefore[0]
        let end = try f.spool.offsets(topic: "orders", partition: tp.partition).end
        try await first.commit(offsets: [tp: end])

        try await first.close()
        let returning = try await f.spool.consumer(group: "payment-service-group", topics: ["orders"], options: options1)
        #expect(returning.assignment == ownedBefore)
        #expect(returning.generation == generationBefore)
        #expect(try f.spool.describeGroup("payment-service-group").generation == generationBefore)
        // Some heartbeats later nothing has moved either.
        try await Task.sleep(for: .milliseconds(300))
        #expect(returning.assignment == ownedBefore)
        #expect(other.assignment == otherBefore)
        #expect(other.generation == generationBefore)
        #expect(try f.spool.describeGroup("payment-service-group").generation == generationBefore)
        // The closed incarnation cannot commit any more.
        await expectSpoolError(.closed) { try await first.commit() }
        // The returning member starts at the committed offset of its partition.
        let info = try f.spool.describeGroup("payment-service-group")
        #expect(info.partitions.first { $0.partition == tp }?.committedOffset == end)
        #expect(info.members.count == 2)
        try await returning.close()
        try await other.close()
    }

    @Test("adding partitions rebalances the group so the new partitions get owners and are consumed")
    func addPartitionsTriggersRebalance() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        let a = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        let b = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        #expect(await waitForBalancedAssignment([a, b], partitions: 2))
        let generationBefore = try f.spool.describeGroup("g").generation

        try f.spool.addPartitions("orders", count: 5)
        #expect(try f.spool.describeTopic("orders").partitionCount == 5)
        #expect(await waitForBalancedAssignment([a, b], partitions: 5), "\(a.assignment) \(b.assignment)")
        let union = Set(a.assignment + b.assignment)
        #expect(union == Set((0..<5).map { TopicPartitionID(topic: "orders", partition: $0) }))
        #expect(try f.spool.describeGroup("g").generation > generationBefore)

        // A record in a new partition reaches its new owner.
        _ = try await f.spool.producer().send(Record(value: "to the new partition", partition: 4), to: "orders")
        let owner = a.assignment.contains(TopicPartitionID(topic: "orders", partition: 4)) ? a : b
        let seen = try await owner.consume(count: 1)
        #expect(seen.map(\.position) == [Position(partition: 4, offset: 0)])
        try await a.close()
        try await b.close()
    }

    @Test("a consumer that stops asking beyond maxPollInterval is removed and told so; another member takes over")
    func maxPollIntervalKickOut() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 4)
        let slow = try await f.spool.consumer(group: "g", topics: ["orders"],
                                              options: .fast(sessionTimeoutMs: 10_000, maxPollIntervalMs: 300))
        let healthy = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast(sessionTimeoutMs: 10_000))
        var changes = slow.assignmentChanges.makeAsyncIterator()
        // `slow` never iterates; `healthy` needs no polling (its maxPollInterval is long).
        #expect(await eventually(20) { healthy.assignment.count == 4 }, "healthy owns \(healthy.assignment)")
        #expect(slow.assignment.isEmpty)
        #expect(try f.spool.describeGroup("g").members.map(\.memberID) == [healthy.memberID])

        // Its next call says it was removed: iteration and commit alike.
        await expectSpoolError(.removedFromGroup) {
            var iterator = slow.batches.makeAsyncIterator()
            return try await iterator.next()
        }
        await expectSpoolError(.removedFromGroup) {
            try await slow.commit(offsets: [TopicPartitionID(topic: "orders", partition: 0): 0])
        }

        // The change stream told it which partitions it lost (close ends the
        // stream; what it buffered is still delivered).
        try await slow.close()
        var lost: [TopicPartitionID]?
        while let change = await changes.next() {
            if case .lost(let partitions) = change { lost = partitions }
        }
        #expect(lost?.isEmpty == false)

        // The healthy member consumes everything, including the slow one's old partitions.
        _ = try await f.spool.producer().send((0..<40).map { Record(key: "k\($0)", value: "v") }, to: "orders")
        let seen = try await healthy.consume(count: 40)
        #expect(Set(seen.map(\.partition)) == [0, 1, 2, 3])
        try await healthy.close()
    }

    @Test("commit() with nothing to commit still reports a removed or closed consumer")
    func bareCommitReportsRemovedAndClosed() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        let slow = try await f.spool.consumer(group: "g", topics: ["orders"],
                                              options: .fast(sessionTimeoutMs: 10_000, maxPollIntervalMs: 300))
        #expect(await eventually(20) { (try? f.spool.describeGroup("g").members.isEmpty) == true })
        // Removed (it lost its partition, so it has no positions): the call must not pass silently.
        await expectSpoolError(.removedFromGroup) { try await slow.commit() }
        try await slow.close()

        // An idle member (no partitions) that was closed.
        let owner = try await f.spool.consumer(group: "h", topics: ["orders"], options: .fast())
        let idle = try await f.spool.consumer(group: "h", topics: ["orders"], options: .fast())
        #expect(await waitForBalancedAssignment([owner, idle], partitions: 1))
        let idleOne = owner.assignment.isEmpty ? owner : idle
        try await idleOne.close()
        await expectSpoolError(.closed) { try await idleOne.commit() }
        try await owner.close()
        try await idle.close()
    }
}
