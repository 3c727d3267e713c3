// SPDX-License-Identifier: Apache-2.0
// One partition of one topic: the unit the coordinator assigns and commits.

/// A topic name and a partition index. Orders by topic, then partition, which
/// is the order every assignor walks partitions in.
package struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var topic: String
    package var partition: Int32

    package init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    package init(topic: String, partition: Int32) {
        self.init(topic, partition)
    }

    package static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        lhs.topic != rhs.topic ? lhs.topic < rhs.topic : lhs.partition < rhs.partition
    }

    package var description: String { "\(topic)-\(partition)" }
}
