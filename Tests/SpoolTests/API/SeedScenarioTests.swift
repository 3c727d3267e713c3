// SPDX-License-Identifier: Apache-2.0
// The three seed scenarios of partition↔member mapping (architecture.md §6):
// 6 partitions over 3 members, 3 partitions over 5 members, and several
// groups each receiving the whole stream.
import Spool
import Testing

@Suite("Seed scenarios: partitions mapped to group members", .timeLimit(.minutes(2)))
struct SeedScenarioTests {
    @Test("orders with 6 partitions over payment-service-group's 3 members: P0,P1 / P2,P3 / P4,P5 by member id")
    func sixPartitionsThreeMembers() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        var members: [GroupConsumer] = []
        for _ in 0..<3 {
            members.append(try await f.spool.consumer(group: "payment-service-group", topics: ["orders"], options: .fast()))
        }
        #expect(await waitForBalancedAssignment(members, partitions: 6), "\(members.map(\.assignment))")
        let ordered = members.sorted { $0.memberID < $1.memberID }
        let expected = [[0, 1], [2, 3], [4, 5]]
        for (member, partitions) in zip(ordered, expected) {
            #expect(member.assignment == partitions.map { TopicPartitionID(topic: "orders", partition: $0) },
                    "member \(member.memberID)")
        }
        // The group view agrees with what the consumers fetch.
        let info = try f.spool.describeGroup("payment-service-group")
        #expect(info.members.count == 3)
        #expect(info.assignor == "range")
        for member in ordered {
            let described = info.members.first { $0.memberID == member.memberID }
            #expect(described?.assigned.sorted() == member.assignment, "\(info.members)")
        }
        for m in members { try await m.close() }
    }

    @Test("a 5-member group on a 3-partition topic leaves exactly 2 members idle")
    func fiveMembersThreePartitions() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 3)
        var members: [GroupConsumer] = []
        for _ in 0..<5 {
            members.append(try await f.spool.consumer(group: "shipping-service-group", topics: ["orders"], options: .fast()))
        }
        #expect(await waitForBalancedAssignment(members, partitions: 3), "\(members.map(\.assignment))")
        let ordered = members.sorted { $0.memberID < $1.memberID }
        try #require(ordered.map { $0.assignment.map(\.partition) } == [[0], [1], [2], [], []])
        #expect(members.filter { $0.assignment.isEmpty }.count == 2)

        // Records still reach the group exactly once even with idle members.
        let producer = f.spool.producer()
        for i in 0..<30 { _ = try await producer.send(Record(key: "order-\(i)", value: "order \(i)"), to: "orders") }
        let seen = try await withThrowingTaskGroup(of: [Seen].self) { group in
            for m in ordered.prefix(3) {
                let expected = try f.spool.offsets(topic: "orders", partition: m.assignment[0].partition).end
                group.addTask { try await m.consume(count: Int(expected)) }
            }
            return try await group.reduce(into: [Seen]()) { $0 += $1 }
        }
        #expect(seen.count == 30)
        #expect(Set(seen.map(\.position)).count == 30)
        for m in members { try await m.close() }
    }

    @Test("payment (3 members), inventory and email groups each receive every order exactly once")
    func everyGroupGetsEveryOrder() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        var payments: [GroupConsumer] = []
        for _ in 0..<3 {
            payments.append(try await f.spool.consumer(group: "payment-service-group", topics: ["orders"], options: .fast()))
        }
        let inventory = try await f.spool.consumer(group: "inventory-service-group", topics: ["orders"], options: .fast())
        let email = try await f.spool.consumer(group: "email-service-group", topics: ["orders"], options: .fast())
        #expect(await waitForBalancedAssignment(payments, partitions: 6))
        #expect(await waitForBalancedAssignment([inventory], partitions: 6))
        #expect(await waitForBalancedAssignment([email], partitions: 6))

        let n = 120
        let producer = f.spool.producer()
        var produced: Set<Position> = []
        for i in stride(from: 0, to: n, by: 10) {
            let receipts = try await producer.send((i..<(i + 10)).map { Record(key: "order-\($0)", value: "order \($0)") },
                                                   to: "orders")
            for r in receipts { produced.insert(Position(partition: r.partition, offset: r.offset)) }
        }
        #expect(produced.count == n)

        var perMemberExpected: [Int] = []
        for m in payments {
            var total: Int64 = 0
            for tp in m.assignment { total += try f.spool.offsets(topic: "orders", partition: tp.partition).end }
            perMemberExpected.append(Int(total))
        }
        let paymentSeen = try await withThrowingTaskGroup(of: [Seen].self) { group in
            for (m, expected) in zip(payments, perMemberExpected) { group.addTask { try await m.consume(count: expected) } }
            return try await group.reduce(into: [Seen]()) { $0 += $1 }
        }
        let inventorySeen = try await inventory.consume(count: n)
        let emailSeen = try await email.consume(count: n)
        for (name, seen) in [("payment", paymentSeen), ("inventory", inventorySeen), ("email", emailSeen)] {
            #expect(seen.count == n, "\(name)")
            #expect(Set(seen.map(\.position)) == produced, "\(name)")
        }
        // Every group committed everything: no lag anywhere.
        for g in ["payment-service-group", "inventory-service-group", "email-service-group"] {
            #expect(try f.spool.describeGroup(g).totalLag == 0, "\(g)")
        }
        for m in payments + [inventory, email] { try await m.close() }
    }
}
