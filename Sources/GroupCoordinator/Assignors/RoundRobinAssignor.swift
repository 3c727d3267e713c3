// SPDX-License-Identifier: Apache-2.0
// Kafka's RoundRobinAssignor, computed server-side.

/// All partitions of all subscribed topics in (topic, partition) order are dealt
/// one at a time over the members in order, skipping members not subscribed to
/// the partition's topic. With identical subscriptions counts differ by at most one.
package struct RoundRobinAssignor: PartitionAssignor {
    package init() {}
    package var kind: AssignorKind { .roundRobin }

    package func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>] {
        let ordered = Self.ordered(members)
        var result = [String: Set<TopicPartition>](minimumCapacity: ordered.count)
        for member in ordered { result[member.memberID] = [] }
        guard !ordered.isEmpty else { return result }
        var cursor = 0
        for topic in Self.subscribedTopics(ordered) {
            let count = max(0, partitionCounts[topic] ?? 0)
            for partition in 0..<count {
                // Some member subscribes to `topic`, so this finds one within a full turn.
                while !ordered[cursor].subscription.contains(topic) { cursor = (cursor + 1) % ordered.count }
                result[ordered[cursor].memberID, default: []].insert(TopicPartition(topic, partition))
                cursor = (cursor + 1) % ordered.count
            }
        }
        return result
    }
}
