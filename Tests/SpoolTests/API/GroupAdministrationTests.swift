// SPDX-License-Identifier: Apache-2.0
// Group administration and offset policies through the public API: listing,
// describing, resetting and deleting groups; autoOffsetReset; auto-commit;
// the shared-group-id warning; hand-over between members.
import Spool
import Testing

@Suite("Groups: administration, offset policies, hand-over", .timeLimit(.minutes(2)))
struct GroupAdministrationTests {
    @Test("reset-offsets needs an empty group, then makes a new consumer re-read from the chosen offset")
    func resetOffsets() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        _ = try await f.spool.producer().send((0..<10).map { Record(value: "r\($0)", partition: $0 % 2) }, to: "orders")
        let c = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        _ = try await c.consume(count: 10)
        await expectSpoolError(.groupNotEmpty) { try f.spool.resetOffsets(group: "g", topic: "orders", to: .earliest) }
        await expectSpoolError(.groupNotEmpty) { try f.spool.deleteGroup("g") }
        try await c.close()

        await expectSpoolError(.offsetOutOfRange) { try f.spool.resetOffsets(group: "g", topic: "orders", to: .offset(6)) }
        try f.spool.resetOffsets(group: "g", topic: "orders", to: .offset(3))
        let info = try f.spool.describeGroup("g")
        #expect(info.partitions.map(\.committedOffset) == [3, 3])
        #expect(info.totalLag == 4)
        let again = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        let seen = try await again.consume(count: 4)
        #expect(Set(seen.map(\.position)) == [Position(partition: 0, offset: 3), Position(partition: 0, offset: 4),
                                              Position(partition: 1, offset: 3), Position(partition: 1, offset: 4)])
        try await again.close()

        try f.spool.resetOffsets(group: "g", topic: "orders", to: .latest)
        #expect(try f.spool.describeGroup("g").totalLag == 0)
        try f.spool.resetOffsets(group: "g", topic: "orders", to: .earliest)
        #expect(try f.spool.describeGroup("g").totalLag == 10)
    }

    @Test("list, describe and delete groups; an unknown group is refused")
    func listDescribeDelete() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        let a = try await f.spool.consumer(group: "email-service-group", topics: ["orders"], options: .fast())
        let b = try await f.spool.consumer(group: "inventory-service-group", topics: ["orders"], options: .fast())
        let groups = try f.spool.listGroups()
        #expect(groups.map(\.group).sorted() == ["email-service-group", "inventory-service-group"])
        #expect(groups.allSatisfy { $0.memberCount == 1 })
        try await a.close()
        try await b.close()
        // Still listed without members (its offsets are kept).
        #expect(try f.spool.listGroups().first { $0.group == "email-service-group" }?.memberCount == 0)
        try f.spool.deleteGroup("email-service-group")
        #expect(try f.spool.listGroups().map(\.group) == ["inventory-service-group"])
        await expectSpoolError(.unknownGroup) { try f.spool.describeGroup("email-service-group") }
        await expectSpoolError(.unknownGroup) { try f.spool.deleteGroup("never-existed") }
    }

    @Test("autoOffsetReset: earliest starts at the first record, latest at the end, none refuses to guess")
    func autoOffsetReset() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        let producer = f.spool.producer()
        _ = try await producer.send((0..<5).map { Record(value: "old \($0)") }, to: "orders")

        var latestOptions = ConsumerOptions.fast()
        latestOptions.autoOffsetReset = .latest
        let latest = try await f.spool.consumer(group: "latest", topics: ["orders"], options: latestOptions)
        let earliest = try await f.spool.consumer(group: "earliest", topics: ["orders"], options: .fast())
        _ = try await producer.send(Record(value: "new"), to: "orders")
        #expect(try await latest.consume(count: 1).map(\.offset) == [5])
        #expect(try await earliest.consume(count: 6).map(\.offset) == Array(0...5))

        var noneOptions = ConsumerOptions.fast()
        noneOptions.autoOffsetReset = .none
        await expectSpoolError(.noCommittedOffset) {
            let c = try await f.spool.consumer(group: "none", topics: ["orders"], options: noneOptions)
            defer { Task { try? await c.close() } }
            var iterator = c.batches.makeAsyncIterator()
            return try await iterator.next()
        }
        // With a commit, `.none` has nothing to guess.
        try await latest.close()
        var latestAsNone = noneOptions
        latestAsNone.autoOffsetReset = .none
        let resumed = try await f.spool.consumer(group: "latest", topics: ["orders"], options: latestAsNone)
        _ = try await producer.send(Record(value: "newer"), to: "orders")
        #expect(try await resumed.consume(count: 1).map(\.offset) == [6])
        try await resumed.close()
        try await earliest.close()
    }

    @Test("auto-commit commits consumed positions without explicit commits, and on close")
    func autoCommit() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        _ = try await f.spool.producer().send((0..<20).map { Record(value: "r\($0)") }, to: "orders")
        var options = ConsumerOptions.fast()
        options.autoCommitIntervalMs = 50
        let c = try await f.spool.consumer(group: "auto", topics: ["orders"], options: options)
        let got = try await withDeadline(20, "20 records") {
            var n = 0
            for try await batch in c.batches {
                n += batch.count
                if n >= 20 { break }
            }
            return n
        }
        #expect(got == 20)
        #expect(await eventually(20) { (try? f.spool.describeGroup("auto").partitions.first?.committedOffset) == 20 })
        try await c.close()
        #expect(try f.spool.describeGroup("auto").totalLag == 0)
    }

    @Test("members of one group subscribing to different topics raise the shared-group-id warning")
    func sharedGroupIDWarning() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        try f.spool.createTopic("refunds", partitions: 2)
        let a = try await f.spool.consumer(group: "shared", topics: ["orders"], options: .fast())
        #expect(try f.spool.describeGroup("shared").sharedGroupIDWarning == nil)
        let b = try await f.spool.consumer(group: "shared", topics: ["refunds"], options: .fast())
        let warning = try f.spool.describeGroup("shared").sharedGroupIDWarning
        #expect(warning?.contains("shared") == true, "\(String(describing: warning))")
        try await b.close()
        #expect(try f.spool.describeGroup("shared").sharedGroupIDWarning == nil)
        try await a.close()
    }

    @Test("when a second member joins, partitions move over without duplicates: the first member committed what it processed")
    func handOverWithoutDuplicates() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 4)
        let producer = f.spool.producer()
        _ = try await producer.send((0..<40).map { Record(key: "order-\($0)", value: "first \($0)") }, to: "orders")
        let first = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast(assignor: .sticky))
        let early = try await first.consume(count: 40)
        let second = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast(assignor: .sticky))
        #expect(await waitForBalancedAssignment([first, second], partitions: 4), "\(first.assignment) \(second.assignment)")
        _ = try await producer.send((0..<40).map { Record(key: "order-\($0)", value: "second \($0)") }, to: "orders")
        var firstShare = 0, secondShare = 0
        for tp in first.assignment { firstShare += Int(try f.spool.offsets(topic: "orders", partition: tp.partition).end) }
        for tp in second.assignment { secondShare += Int(try f.spool.offsets(topic: "orders", partition: tp.partition).end) }
        // The second member starts at the committed offsets of the partitions it received.
        async let a = first.consume(count: firstShare / 2)
        async let b = second.consume(count: secondShare / 2)
        let late = try await a + b
        let all = early + late
        #expect(all.count == 80)
        #expect(Set(all.map(\.position)).count == 80, "duplicates: \(all.count - Set(all.map(\.position)).count)")

        // The first member saw its partitions revoked (before any new assignment).
        try await first.close()
        var sawRevoked = false
        for await change in first.assignmentChanges {
            if case .revoked(let partitions) = change { sawRevoked = !partitions.isEmpty }
            if case .assigned = change, sawRevoked { Issue.record("assigned after revoked without a new rebalance") }
        }
        #expect(sawRevoked)
        try await second.close()
    }

    @Test("onPartitionsRevoked runs before a partition moves, so a commit made there is what the new owner starts from")
    func revocationCallbackCommits() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        _ = try await f.spool.producer().send((0..<10).map { Record(value: "r\($0)", partition: $0 % 2) }, to: "orders")
        let revoked = RevocationLog()
        var options = ConsumerOptions.fast()
        options.onPartitionsRevoked = { partitions in
            revoked.add(partitions)
            try? await revoked.consumer?.commit()  // everything handed out so far
        }
        let first = try await f.spool.consumer(group: "g", topics: ["orders"], options: options)
        revoked.consumer = first
        // Take all 10 records without committing.
        let taken = try await withDeadline(20, "10 records") {
            var n = 0
            for try await batch in first.batches {
                n += batch.count
                if n >= 10 { break }
            }
            return n
        }
        #expect(taken == 10)
        #expect(try f.spool.describeGroup("g").partitions.allSatisfy { $0.committedOffset == nil })

        let second = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        #expect(await waitForBalancedAssignment([first, second], partitions: 2))
        #expect(revoked.all == second.assignment, "callback got \(revoked.all), second owns \(second.assignment)")
        let moved = try #require(second.assignment.first)
        let state = try f.spool.describeGroup("g").partitions.first { $0.partition == moved }
        #expect(state?.committedOffset == 5, "the commit made in the callback reached the group before the move")
        // So the new owner has nothing to re-read.
        _ = try await f.spool.producer().send(Record(value: "after", partition: moved.partition), to: "orders")
        #expect(try await second.consume(count: 1).map(\.offset) == [5])
        try await first.close()
        try await second.close()
    }
}

extension GroupAdministrationTests {
    @Test("with auto-commit, a revoked partition's consumed position is committed before it moves")
    func autoCommitOnRevocation() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        _ = try await f.spool.producer().send((0..<10).map { Record(value: "r\($0)", partition: $0 % 2) }, to: "orders")
        var options = ConsumerOptions.fast()
        options.autoCommitIntervalMs = 600_000  // never periodically within this test
        let first = try await f.spool.consumer(group: "g", topics: ["orders"], options: options)
        let taken = try await withDeadline(20, "10 records") {
            var n = 0
            for try await batch in first.batches {
                n += batch.count
                if n >= 10 { break }
            }
            return n
        }
        #expect(taken == 10)
        let second = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        #expect(await waitForBalancedAssignment([first, second], partitions: 2))
        let moved = try #require(second.assignment.first)
        let state = try f.spool.describeGroup("g").partitions.first { $0.partition == moved }
        #expect(state?.committedOffset == 5, "auto-commit of the revoked partition before the hand-over")
        try await first.close()
        try await second.close()
    }
}

/// What an `onPartitionsRevoked` callback received, and the consumer it commits.
final class RevocationLog: Sendable {
    private let partitions = Mutex<[TopicPartitionID]>([])
    private let owner = Mutex<GroupConsumer?>(nil)
    func add(_ p: [TopicPartitionID]) { partitions.withLock { $0 += p } }
    var all: [TopicPartitionID] { partitions.withLock { $0.sorted() } }
    var consumer: GroupConsumer? {
        get { owner.withLock { $0 } }
        set { owner.withLock { $0 = newValue } }
    }
}

import Synchronization
