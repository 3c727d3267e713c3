// SPDX-License-Identifier: Apache-2.0
// Topics catalog: create / list / describe / grow / delete, name rules and config storage.
import MetadataStore
import Testing

@Suite("Topics catalog")
struct TopicsCatalogTests {
    @Test("created topics are listed by name and described with their partition count and config")
    func crud() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let config = TopicConfigRecord(retentionMs: 86_400_000, segmentBytes: 1 << 20, durability: "fsyncEachBatch")
        try store.createTopic(name: "orders", partitions: 6, config: config, createdAt: 1_700_000_000_000)
        try store.createTopic(name: "audit.log-v2_x", partitions: 1, createdAt: 1)
        #expect(try store.listTopics().map(\.name) == ["audit.log-v2_x", "orders"])
        let orders = try #require(try store.topic(named: "orders"))
        #expect(orders == TopicRecord(name: "orders", partitionCount: 6, config: config, createdAt: 1_700_000_000_000))
        #expect(try store.topic(named: "missing") == nil)

        #expect(try store.increasePartitions(name: "orders", to: 8) == 6)
        #expect(try store.topic(named: "orders")?.partitionCount == 8)

        try store.deleteTopic(name: "orders")
        #expect(try store.listTopics().map(\.name) == ["audit.log-v2_x"])
        store.close()
        #expect(try tmp.open().listTopics().map(\.name) == ["audit.log-v2_x"])
    }

    @Test(
        "invalid topic names are refused with the reason",
        arguments: [
            ("", TopicName.Invalid.empty),
            (".", .reserved),
            ("..", .reserved),
            ("a/b", .illegalCharacter("/", position: 1)),
            ("../etc", .illegalCharacter("/", position: 2)),
            ("a\u{0}b", .illegalCharacter("\u{0}", position: 1)),
            ("ordérs", .illegalCharacter("é", position: 3)),
            ("orders ", .illegalCharacter(" ", position: 6)),
            ("a,b", .illegalCharacter(",", position: 1)),
            (String(repeating: "x", count: 250), .tooLong(length: 250)),
        ])
    func invalidNames(name: String, reason: TopicName.Invalid) throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let error = metadataError { try store.createTopic(name: name, partitions: 1) }
        #expect(error?.code == .invalidTopicName(reason))
        #expect(try store.listTopics().isEmpty)
    }

    @Test("a look-alike with a Cyrillic 'о' is refused")
    func cyrillicLookAlike() {
        #expect(TopicName.check("\u{43E}rders") == .illegalCharacter("\u{43E}", position: 0))
    }

    @Test("names of 249 characters and names with dots are accepted")
    func validNames() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let longest = String(repeating: "a", count: 249)
        for name in [longest, "...", ".a", "a..b", "_", "-", "A-Z.0_9"] {
            try store.createTopic(name: name, partitions: 1)
        }
        #expect(try store.topic(named: longest)?.name == longest)
        #expect(try store.listTopics().count == 7)
    }

    @Test("creating an existing topic is refused with topicExists and changes nothing")
    func duplicate() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.createTopic(name: "orders", partitions: 3)
        let error = metadataError { try store.createTopic(name: "orders", partitions: 9) }
        #expect(error?.code == .topicExists)
        #expect(try store.topic(named: "orders")?.partitionCount == 3)
    }

    @Test("partition counts below 1 or above the cap are refused", arguments: [Int32(0), -1, TopicRecord.maxPartitions + 1])
    func invalidPartitionCount(count: Int32) throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        #expect(metadataError { try store.createTopic(name: "t", partitions: count) }?.code == .invalidPartitionCount)
        try store.createTopic(name: "t", partitions: 2)
        #expect(metadataError { try store.increasePartitions(name: "t", to: count) }?.code == .invalidPartitionCount)
    }

    @Test("the partition count never decreases; an equal count is a no-op")
    func neverDecrease() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.createTopic(name: "orders", partitions: 6)
        let error = metadataError { try store.increasePartitions(name: "orders", to: 5) }
        #expect(error?.code == .invalidPartitionCount)
        #expect(error?.message.contains("6") == true)
        #expect(try store.increasePartitions(name: "orders", to: 6) == 6)
        #expect(try store.topic(named: "orders")?.partitionCount == 6)
    }

    @Test("growing or deleting a missing topic is refused with topicNotFound")
    func missingTopic() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        #expect(metadataError { try store.increasePartitions(name: "nope", to: 2) }?.code == .topicNotFound)
        #expect(metadataError { try store.deleteTopic(name: "nope") }?.code == .topicNotFound)
    }

    @Test("deleting a topic removes its offsets and assignments and keeps other topics' rows")
    func deleteCascades() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.createTopic(name: "orders", partitions: 2)
        try store.createTopic(name: "emails", partitions: 1)
        try store.commitOffsets([
            OffsetCommitRow(group: "g", topic: "orders", partition: 0, nextOffset: 10, commitTime: 1),
            OffsetCommitRow(group: "g", topic: "orders", partition: 1, nextOffset: 11, commitTime: 1),
            OffsetCommitRow(group: "g", topic: "emails", partition: 0, nextOffset: 5, commitTime: 1),
        ])
        try store.transaction { db in
            try db.run("INSERT INTO groups (group_id, generation, assignor, state, created_at, updated_at) VALUES ('g', 1, 'range', 'stable', 0, 0)")
            try db.run("""
                INSERT INTO members (group_id, member_id, subscription, session_timeout_ms, rebalance_timeout_ms, joined_generation)
                VALUES ('g', 'm1', 'orders,emails', 45000, 300000, 1)
                """)
            for (topic, partition) in [("orders", 0), ("orders", 1), ("emails", 0)] {
                try db.run(
                    "INSERT INTO assignments (group_id, topic, partition, member_id, generation) VALUES ('g', ?1, ?2, 'm1', 1)",
                    [.text(topic), .integer(Int64(partition))])
            }
        }
        try store.deleteTopic(name: "orders")
        #expect(try store.fetchOffsets(group: "g").map(\.topic) == ["emails"])
        let assigned = try store.withConnection { db in
            var topics: [String] = []
            try db.query("SELECT topic FROM assignments ORDER BY topic") { topics.append($0.text(at: 0)) }
            return topics
        }
        #expect(assigned == ["emails"])
    }

    @Test("topic config round-trips through its text form, unknown keys included")
    func configRoundTrip() throws {
        let config = TopicConfigRecord(
            retentionMs: -1, retentionBytes: 1_000_000, segmentBytes: 4096, durability: "interval(ms=50)",
            extra: ["cleanup.policy": "delete", "z.future": "a=b"])
        let text = config.encoded()
        #expect(text == "cleanup.policy=delete\ndurability=interval(ms=50)\nretention.bytes=1000000\nretention.ms=-1\nsegment.bytes=4096\nz.future=a=b\n")
        #expect(try TopicConfigRecord.decode(text) == config)
        #expect(try TopicConfigRecord.decode("") == TopicConfigRecord())
        #expect(TopicConfigRecord().encoded() == "")
    }

    @Test(
        "out-of-range or unstorable config values are refused",
        arguments: [
            TopicConfigRecord(retentionMs: -2), TopicConfigRecord(retentionBytes: -5), TopicConfigRecord(segmentBytes: 0),
            TopicConfigRecord(durability: ""), TopicConfigRecord(durability: "a\nb"),
            TopicConfigRecord(extra: ["bad=key": "v"]), TopicConfigRecord(extra: ["retention.ms": "1"]),
        ])
    func invalidConfig(config: TopicConfigRecord) throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        #expect(metadataError { try store.createTopic(name: "t", partitions: 1, config: config) }?.code == .invalidConfig)
        #expect(try store.topic(named: "t") == nil)
    }

    @Test("a damaged stored config is reported as invalidConfig, not trapped on")
    func damagedStoredConfig() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.createTopic(name: "t", partitions: 1)
        try store.withConnection { db in try db.run("UPDATE topics SET config = 'retention.ms=soon\n'") }
        #expect(metadataError { try store.topic(named: "t") }?.code == .invalidConfig)
        try store.withConnection { db in try db.run("UPDATE topics SET config = 'no equals sign'") }
        #expect(metadataError { try store.listTopics() }?.code == .invalidConfig)
    }
}
