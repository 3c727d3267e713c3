// SPDX-License-Identifier: Apache-2.0
// Assignor properties over a grid of member and partition counts, and the
// worked examples from the design.
import GroupCoordinator
import Testing

@Suite("Assignors")
struct AssignorTests {
    static func members(_ count: Int, topics: Set<String> = ["t"]) -> [AssignorMember] {
        (1...max(1, count)).prefix(count).map { AssignorMember(memberID: "C\($0)", subscription: topics) }
    }

    /// Each partition of each subscribed topic exactly once; only subscribers get a topic.
    static func checkExclusive(
        _ result: [String: Set<TopicPartition>], members: [AssignorMember], counts: [String: Int32],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Set(result.keys) == Set(members.map(\.memberID)), sourceLocation: sourceLocation)
        var seen = [TopicPartition: Int]()
        for (memberID, parts) in result {
            let subscription = members.first { $0.memberID == memberID }?.subscription ?? []
            for p in parts {
                seen[p, default: 0] += 1
                #expect(subscription.contains(p.topic), "\(memberID) got \(p) without subscribing", sourceLocation: sourceLocation)
            }
        }
        var subscribed = Set<String>()
        for m in members { subscribed.formUnion(m.subscription) }
        var expected = Set<TopicPartition>()
        for topic in subscribed { expected.formUnion(partitions(topic, 0..<(counts[topic] ?? 0))) }
        #expect(Set(seen.keys) == expected, sourceLocation: sourceLocation)
        #expect(seen.values.allSatisfy { $0 == 1 }, "a partition went to two members", sourceLocation: sourceLocation)
    }

    @Test("every assignor gives each partition to exactly one member, balanced within one", arguments: AssignorKind.allCases, 1...8)
    func grid(kind: AssignorKind, memberCount: Int) {
        for partitionCount in Int32(0)...20 {
            let members = Self.members(memberCount)
            let counts = ["t": partitionCount]
            let result = kind.assignor.assign(members: members, partitionCounts: counts)
            Self.checkExclusive(result, members: members, counts: counts)
            let sizes = result.values.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "\(kind) \(memberCount)x\(partitionCount): \(sizes)")
            #expect(sizes.reduce(0, +) == Int(partitionCount))
        }
    }

    @Test("with mixed subscriptions members only get topics they subscribe to", arguments: AssignorKind.allCases, 1...8)
    func mixedSubscriptions(kind: AssignorKind, memberCount: Int) {
        let topicSets: [Set<String>] = [["a"], ["a", "b"], ["b", "c"], ["c"], ["a", "b", "c"]]
        for partitionCount in Int32(0)...20 {
            let members = (0..<memberCount).map { AssignorMember(memberID: "m\($0)", subscription: topicSets[$0 % topicSets.count]) }
            let counts: [String: Int32] = ["a": partitionCount, "b": partitionCount / 2 + 1, "c": 20 - partitionCount, "d": 4]
            let result = kind.assignor.assign(members: members, partitionCounts: counts)
            Self.checkExclusive(result, members: members, counts: counts)
            #expect(result.values.allSatisfy { !$0.contains { $0.topic == "d" } }, "unsubscribed topic assigned")
        }
    }

    @Test("range: 6 partitions over 3 members gives C1→P0,P1 · C2→P2,P3 · C3→P4,P5")
    func rangeSixOverThree() {
        let result = RangeAssignor().assign(members: Self.members(3), partitionCounts: ["t": 6])
        #expect(result["C1"] == partitions("t", 0..<2))
        #expect(result["C2"] == partitions("t", 2..<4))
        #expect(result["C3"] == partitions("t", 4..<6))
    }

    @Test("range: 3 partitions over 5 members leaves two members idle")
    func rangeThreeOverFive() {
        let result = RangeAssignor().assign(members: Self.members(5), partitionCounts: ["t": 3])
        #expect(result["C1"] == [TopicPartition("t", 0)])
        #expect(result["C2"] == [TopicPartition("t", 1)])
        #expect(result["C3"] == [TopicPartition("t", 2)])
        #expect(result["C4"] == [])
        #expect(result["C5"] == [])
    }

    @Test("range: the first P mod C members take one extra, per topic")
    func rangeExtraPerTopic() {
        let result = RangeAssignor().assign(members: Self.members(3, topics: ["a", "b"]), partitionCounts: ["a": 7, "b": 2])
        #expect(result["C1"] == partitions("a", 0..<3).union(partitions("b", 0..<1)))
        #expect(result["C2"] == partitions("a", 3..<5).union(partitions("b", 1..<2)))
        #expect(result["C3"] == partitions("a", 5..<7))
    }

    @Test("range orders static members by instance id, not member id")
    func rangeOrdersByInstanceID() {
        let members = [
            AssignorMember(memberID: "a-random", sortKey: "instance-2", subscription: ["t"]),
            AssignorMember(memberID: "z-random", sortKey: "instance-1", subscription: ["t"]),
        ]
        let result = RangeAssignor().assign(members: members, partitionCounts: ["t": 4])
        #expect(result["z-random"] == partitions("t", 0..<2))
        #expect(result["a-random"] == partitions("t", 2..<4))
    }

    @Test("roundRobin deals all topic-partitions in order over the members, skipping non-subscribers")
    func roundRobinDeals() {
        let members = [
            AssignorMember(memberID: "C1", subscription: ["a", "b"]),
            AssignorMember(memberID: "C2", subscription: ["a", "b"]),
            AssignorMember(memberID: "C3", subscription: ["b"]),
        ]
        let result = RoundRobinAssignor().assign(members: members, partitionCounts: ["a": 3, "b": 3])
        // a0→C1 a1→C2 a2→(C3 skipped)C1 b0→C2 b1→C3 b2→C1
        #expect(result["C1"] == [TopicPartition("a", 0), TopicPartition("a", 2), TopicPartition("b", 2)])
        #expect(result["C2"] == [TopicPartition("a", 1), TopicPartition("b", 0)])
        #expect(result["C3"] == [TopicPartition("b", 1)])
    }

    @Test("assignors are deterministic: the same input gives the same output", arguments: AssignorKind.allCases)
    func deterministic(kind: AssignorKind) {
        let members = (0..<5).map { AssignorMember(memberID: "m\($0)", subscription: $0 % 2 == 0 ? ["a", "b"] : ["a"]) }
        let first = kind.assignor.assign(members: members, partitionCounts: ["a": 13, "b": 7])
        let second = kind.assignor.assign(members: members.reversed(), partitionCounts: ["a": 13, "b": 7])
        #expect(first == second)
    }
}
