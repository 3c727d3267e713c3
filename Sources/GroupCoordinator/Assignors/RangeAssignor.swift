// SPDX-License-Identifier: Apache-2.0
// Kafka's RangeAssignor, computed server-side.

/// Per topic: partitions in order, subscribers in order; with P partitions and
/// C subscribers each gets P / C consecutive partitions and the first P mod C
/// get one more. 6 partitions over 3 members: C1→P0,P1 · C2→P2,P3 · C3→P4,P5;
/// 3 partitions over 5 members: C4 and C5 stay idle.
package struct RangeAssignor: PartitionAssignor {
    package init() {}
    package var kind: AssignorKind { .range }

    package func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>] {
        let ordered = Self.ordered(members)
        var result = [String: Set<TopicPartition>](minimumCapacity: ordered.count)
        for member in ordered { result[member.memberID] = [] }
        for topic in Self.subscribedTopics(ordered) {
            let count = Int(max(0, partitionCounts[topic] ?? 0))
            let subscribers = ordered.filter { $0.subscription.contains(topic) }
            let share = count / subscribers.count
            let extra = count % subscribers.count
            var next = 0
            for (index, member) in subscribers.enumerated() {
                let take = share + (index < extra ? 1 : 0)
                for partition in next..<(next + take) {
                    result[member.memberID, default: []].insert(TopicPartition(topic, Int32(partition)))
                }
                next += take
            }
        }
        return result
    }
}
