// SPDX-License-Identifier: Apache-2.0
// Stickiness: adding or removing a member moves only as many partitions as
// balance requires.
import GroupCoordinator
import SpoolTestSupport
import Testing

@Suite("Sticky assignor")
struct StickyAssignorTests {
    /// The fewest partitions that must leave a surviving owner so that counts
    /// end balanced: the `P mod C` fullest members keep q+1, the others q.
    static func minimalMoves(previousCounts: [Int], total: Int) -> Int {
        let c = previousCounts.count
        guard c > 0 else { return 0 }
        let q = total / c, r = total % c
        return previousCounts.sorted(by: >).enumerated().reduce(0) { sum, item in
            sum + max(0, item.element - (item.offset < r ? q + 1 : q))
        }
    }

    static func member(_ id: String, _ current: Set<TopicPartition> = []) -> AssignorMember {
        AssignorMember(memberID: id, subscription: ["t"], current: current)
    }

    /// Partitions whose owner existed before and after and changed.
    static func moved(from before: [String: Set<TopicPartition>], to after: [String: Set<TopicPartition>]) -> Int {
        var owner = [TopicPartition: String]()
        for (m, ps) in after { for p in ps { owner[p] = m } }
        var count = 0
        for (m, ps) in before where after[m] != nil {
            for p in ps where owner[p] != m { count += 1 }
        }
        return count
    }

    @Test("adding a member moves only the partitions balance requires", arguments: 1...8)
    func addMember(memberCount: Int) {
        for partitionCount in Int32(0)...20 {
            let initial = (0..<memberCount).map { Self.member("m\($0)") }
            let before = StickyAssignor().assign(members: initial, partitionCounts: ["t": partitionCount])
            let grown = initial.map { Self.member($0.memberID, before[$0.memberID] ?? []) } + [Self.member("new")]
            let after = StickyAssignor().assign(members: grown, partitionCounts: ["t": partitionCount])
            AssignorTests.checkExclusive(after, members: grown, counts: ["t": partitionCount])
            let sizes = after.values.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
            let counts = initial.map { before[$0.memberID]?.count ?? 0 } + [0]
            #expect(
                Self.moved(from: before, to: after) == Self.minimalMoves(previousCounts: counts, total: Int(partitionCount)),
                "\(memberCount)+1 members, \(partitionCount) partitions")
        }
    }

    @Test("removing a member moves only its partitions", arguments: 2...8)
    func removeMember(memberCount: Int) {
        for partitionCount in Int32(0)...20 {
            let initial = (0..<memberCount).map { Self.member("m\($0)") }
            let before = StickyAssignor().assign(members: initial, partitionCounts: ["t": partitionCount])
            let survivors = initial.dropFirst(1).map { Self.member($0.memberID, before[$0.memberID] ?? []) }
            let after = StickyAssignor().assign(members: survivors, partitionCounts: ["t": partitionCount])
            AssignorTests.checkExclusive(after, members: Array(survivors), counts: ["t": partitionCount])
            let sizes = after.values.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
            let counts = survivors.map { before[$0.memberID]?.count ?? 0 }
            #expect(Self.moved(from: before, to: after) == Self.minimalMoves(previousCounts: counts, total: Int(partitionCount)))
            // Surviving owners lose nothing when they were balanced before.
            #expect(Self.moved(from: before, to: after) == 0)
        }
    }

    @Test("10 → 11 members over 100 partitions moves exactly 9")
    func tenToEleven() {
        let initial = (0..<10).map { Self.member("m\($0)") }
        let before = StickyAssignor().assign(members: initial, partitionCounts: ["t": 100])
        let grown = initial.map { Self.member($0.memberID, before[$0.memberID] ?? []) } + [Self.member("m10")]
        let after = StickyAssignor().assign(members: grown, partitionCounts: ["t": 100])
        #expect(Self.moved(from: before, to: after) == 9)
        #expect(after["m10"]?.count == 9)
    }

    @Test("re-running sticky on its own output changes nothing (random subscriptions)")
    func idempotent() {
        var random = SeededRandom()
        for _ in 0..<50 {
            let topics = ["a", "b", "c"]
            let counts: [String: Int32] = ["a": Int32.random(in: 0...12, using: &random), "b": Int32.random(in: 0...12, using: &random), "c": 5]
            let members = (0..<Int.random(in: 1...7, using: &random)).map { i in
                AssignorMember(memberID: "m\(i)", subscription: Set(topics.filter { _ in random.chance(0.6) } + ["a"]))
            }
            let first = StickyAssignor().assign(members: members, partitionCounts: counts)
            AssignorTests.checkExclusive(first, members: members, counts: counts)
            let again = StickyAssignor().assign(
                members: members.map { AssignorMember(memberID: $0.memberID, subscription: $0.subscription, current: first[$0.memberID] ?? []) },
                partitionCounts: counts)
            #expect(again == first, "\(random)")
        }
    }
}
