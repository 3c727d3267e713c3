// SPDX-License-Identifier: Apache-2.0
// The identity of one partition of one topic.

/// A topic name and a partition number. Ordered by topic, then partition.
package struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var topic: String
    package var partition: Int32

    package init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    package static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic == b.topic ? a.partition < b.partition : a.topic < b.topic
    }

    package var description: String { "\(topic)-\(partition)" }
}
