// SPDX-License-Identifier: Apache-2.0
// A balanced assignor that moves as few partitions as it can (Kafka's
// CooperativeSticky goal, computed server-side; the two-phase hand-over lives
// in `AssignmentReconciler`, not here).

/// Balanced first, then sticky:
/// 1. every partition keeps its current owner if that member still exists and
///    still subscribes to the topic (first claim in member order wins);
/// 2. each partition without an owner goes to the subscriber with the fewest
///    partitions (ties: member order);
/// 3. while some member A could give a partition to a subscriber B with
///    count(B) < count(A) − 1, move one (A the fullest, B the emptiest).
///
/// With identical subscriptions the result is balanced within one and the
/// number of moved partitions is the minimum balance requires: the members
/// above their quota shed exactly their excess. Each move lowers Σ count²,
/// so step 3 terminates.
package struct StickyAssignor: PartitionAssignor {
    package init() {}
    package var kind: AssignorKind { .sticky }

    package func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>] {
        let ordered = Self.ordered(members)
        var owned = [Set<TopicPartition>](repeating: [], count: ordered.count)
        guard !ordered.isEmpty else { return [:] }
        let topics = Self.subscribedTopics(ordered)
        var subscribers = [String: [Int]]()
        for topic in topics {
            subscribers[topic] = ordered.indices.filter { ordered[$0].subscription.contains(topic) }
        }
        func exists(_ p: TopicPartition) -> Bool { p.partition >= 0 && p.partition < (partitionCounts[p.topic] ?? 0) }

        // 1. Keep current owners.
        var taken = Set<TopicPartition>()
        for (index, member) in ordered.enumerated() {
            for p in member.current.sorted() where exists(p) && member.subscription.contains(p.topic) {
                if taken.insert(p).inserted { owned[index].insert(p) }
            }
        }

        // 2. Place the orphans on the emptiest subscriber.
        for topic in topics {
            let eligible = subscribers[topic] ?? []
            for partition in 0..<max(0, partitionCounts[topic] ?? 0) {
                let p = TopicPartition(topic, partition)
                guard !taken.contains(p) else { continue }
                var best = eligible[0]
                for candidate in eligible.dropFirst() where owned[candidate].count < owned[best].count { best = candidate }
                owned[best].insert(p)
                taken.insert(p)
            }
        }

        // 3. Even out, one move at a time, fullest member first.
        var moved = true
        while moved {
            moved = false
            let byLoad = ordered.indices.sorted { owned[$0].count != owned[$1].count ? owned[$0].count > owned[$1].count : $0 < $1 }
            search: for giver in byLoad {
                let giverCount = owned[giver].count
                if giverCount < 2 { break }
                for p in owned[giver].sorted(by: >) {
                    var best: Int? = nil
                    for candidate in subscribers[p.topic] ?? [] where owned[candidate].count < giverCount - 1 {
                        if let current = best, owned[current].count <= owned[candidate].count { continue }
                        best = candidate
                    }
                    if let receiver = best {
                        owned[giver].remove(p)
                        owned[receiver].insert(p)
                        moved = true
                        break search
                    }
                }
            }
        }

        var result = [String: Set<TopicPartition>](minimumCapacity: ordered.count)
        for (index, member) in ordered.enumerated() { result[member.memberID] = owned[index] }
        return result
    }
}
