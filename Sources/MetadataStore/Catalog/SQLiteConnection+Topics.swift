// SPDX-License-Identifier: Apache-2.0
// Topics catalog SQL. These run inside the caller's transaction (or their own
// when nested transactions are used), so the coordinator can combine them with
// group changes atomically.
import CSQLite

extension SQLiteConnection {
    /// Inserts a topic. Throws `.invalidTopicName`, `.invalidPartitionCount`, `.invalidConfig` or `.topicExists`.
    package func insertTopic(_ topic: TopicRecord) throws(MetadataError) {
        try TopicName.validate(topic.name)
        try Self.checkPartitionCount(topic.partitionCount)
        try topic.config.validate()
        do throws(MetadataError) {
            try run(
                "INSERT INTO topics (name, partition_count, config, created_at) VALUES (?1, ?2, ?3, ?4)",
                [.text(topic.name), .integer(Int64(topic.partitionCount)), .text(topic.config.encoded()),
                 .integer(topic.createdAt)])
        } catch where error.extendedCode == SQLITE_CONSTRAINT | (6 << 8) {
            throw MetadataError(.topicExists, "topic \(topic.name) already exists", sql: error.sql, path: path)
        }
    }

    /// All topics, ordered by name.
    package func selectTopics() throws(MetadataError) -> [TopicRecord] {
        var topics: [TopicRecord] = []
        try query("SELECT name, partition_count, config, created_at FROM topics ORDER BY name") {
            row throws(MetadataError) in topics.append(try Self.topic(from: row))
        }
        return topics
    }

    /// The topic called `name`, or nil.
    package func selectTopic(named name: String) throws(MetadataError) -> TopicRecord? {
        var topic: TopicRecord?
        try query("SELECT name, partition_count, config, created_at FROM topics WHERE name = ?1", [.text(name)]) {
            row throws(MetadataError) in topic = try Self.topic(from: row)
        }
        return topic
    }

    /// Raises the partition count; returns the previous count. Equal is a no-op;
    /// lower is refused with `.invalidPartitionCount` (partitions are never removed).
    @discardableResult
    package func updatePartitionCount(topic name: String, to count: Int32) throws(MetadataError) -> Int32 {
        guard let current = try selectTopic(named: name) else {
            throw MetadataError(.topicNotFound, "topic \(name) does not exist", path: path)
        }
        try Self.checkPartitionCount(count)
        guard count >= current.partitionCount else {
            throw MetadataError(
                .invalidPartitionCount,
                "topic \(name) has \(current.partitionCount) partitions; the count can only grow, not shrink to \(count)",
                path: path)
        }
        if count > current.partitionCount {
            try run("UPDATE topics SET partition_count = ?2 WHERE name = ?1", [.text(name), .integer(Int64(count))])
        }
        return current.partitionCount
    }

    /// Deletes the topic and every committed offset and assignment row for it.
    package func deleteTopicRows(named name: String) throws(MetadataError) {
        let removed = try run("DELETE FROM topics WHERE name = ?1", [.text(name)])
        guard removed == 1 else { throw MetadataError(.topicNotFound, "topic \(name) does not exist", path: path) }
        try run("DELETE FROM offsets WHERE topic = ?1", [.text(name)])
        try run("DELETE FROM assignments WHERE topic = ?1", [.text(name)])
    }

    static func checkPartitionCount(_ count: Int32) throws(MetadataError) {
        guard count >= 1, count <= TopicRecord.maxPartitions else {
            throw MetadataError(
                .invalidPartitionCount, "partition count must be 1...\(TopicRecord.maxPartitions), got \(count)")
        }
    }

    private static func topic(from row: Statement) throws(MetadataError) -> TopicRecord {
        let count = row.int64(at: 1)
        guard count >= 1, count <= Int64(Int32.max) else {
            throw MetadataError(.corrupt, "topics.partition_count out of range: \(count)", sql: row.sql)
        }
        return TopicRecord(
            name: row.text(at: 0), partitionCount: Int32(count),
            config: try TopicConfigRecord.decode(row.text(at: 2)), createdAt: row.int64(at: 3))
    }
}
