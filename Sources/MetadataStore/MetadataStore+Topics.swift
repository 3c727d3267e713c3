// SPDX-License-Identifier: Apache-2.0
// The topics catalog: create, list, describe, grow, delete. Each call is one transaction.

extension MetadataStore {
    /// Creates a topic. Throws `.invalidTopicName(reason)`, `.invalidPartitionCount`,
    /// `.invalidConfig` or `.topicExists`.
    @discardableResult
    package func createTopic(
        name: String, partitions: Int32, config: TopicConfigRecord = TopicConfigRecord(),
        createdAt: Int64 = WallClock.milliseconds()
    ) throws(MetadataError) -> TopicRecord {
        let topic = TopicRecord(name: name, partitionCount: partitions, config: config, createdAt: createdAt)
        try lockedTransaction { db throws(MetadataError) in try db.insertTopic(topic) }
        logger.info("topic created", metadata: ["topic": "\(name)", "partitions": "\(partitions)"])
        return topic
    }

    /// All topics, ordered by name.
    package func listTopics() throws(MetadataError) -> [TopicRecord] {
        try locked { db throws(MetadataError) in try db.selectTopics() }
    }

    /// The topic called `name`, or nil.
    package func topic(named name: String) throws(MetadataError) -> TopicRecord? {
        try locked { db throws(MetadataError) in try db.selectTopic(named: name) }
    }

    /// Raises the partition count to `count` and returns the previous count.
    /// Equal is a no-op; lower throws `.invalidPartitionCount`; absent throws `.topicNotFound`.
    @discardableResult
    package func increasePartitions(name: String, to count: Int32) throws(MetadataError) -> Int32 {
        let previous = try lockedTransaction { db throws(MetadataError) in
            try db.updatePartitionCount(topic: name, to: count)
        }
        if previous != count {
            logger.info("partitions added", metadata: ["topic": "\(name)", "from": "\(previous)", "to": "\(count)"])
        }
        return previous
    }

    /// Deletes the topic and, in the same transaction, its committed offsets and
    /// assignment rows. Throws `.topicNotFound` if absent.
    package func deleteTopic(name: String) throws(MetadataError) {
        try lockedTransaction { db throws(MetadataError) in try db.deleteTopicRows(named: name) }
        logger.info("topic deleted", metadata: ["topic": "\(name)"])
    }
}
