// SPDX-License-Identifier: Apache-2.0
// Creating, listing, growing and deleting topics. The catalog (SQLite) is
// changed first, then the partition folders; a crash in between is finished
// by the next open (Spool I1).
import FileIO
import GroupCoordinator
import LogStorage
import MetadataStore

extension Spool {
    /// Creates a topic with `partitions` partitions.
    ///
    /// - Throws: `.invalidTopicName` (1–249 of `[A-Za-z0-9._-]`, not `.`/`..`),
    ///   `.topicAlreadyExists`, `.invalidPartitionCount` (1…10,000), `.io`, `.closed`.
    public func createTopic(_ name: String, partitions: Int, configuration: TopicConfiguration = TopicConfiguration()) throws {
        try checkOpen()
        guard partitions >= 1, partitions <= Int(TopicRecord.maxPartitions) else {
            throw SpoolError(.invalidPartitionCount, "partition count \(partitions) is outside 1…\(TopicRecord.maxPartitions)")
        }
        try checkDescriptorBudget(newPartitions: partitions)
        do {
            _ = try metadata.createTopic(name: name, partitions: Int32(partitions), config: configuration.record,
                                         createdAt: clock.nowMillis())
        } catch { throw SpoolError(error) }
        let config = Self.partitionConfig(self.configuration, configuration)
        for p in 0..<partitions {
            _ = try wrapStorage { try log.createPartition(LogPartition(name, Int32(p)), config: config) }
        }
        state.withLock { $0.topics[name] = TopicInfo(partitionCount: partitions, config: configuration) }
        try syncCoordinatorTopics()
    }

    /// Every topic, sorted by name.
    public func listTopics() throws -> [TopicDescription] {
        try checkOpen()
        let names = state.withLock { $0.topics.keys.sorted() }
        return try names.map { try describeTopic($0) }
    }

    /// A topic's configuration and, per partition, start and end offsets, size and segment count.
    /// - Throws: `.unknownTopic`, `.closed`.
    public func describeTopic(_ name: String) throws -> TopicDescription {
        let info = try topicInfo(name)
        var partitions: [TopicDescription.PartitionInfo] = []
        for i in 0..<info.partitionCount {
            guard let p = log.partition(LogPartition(name, Int32(i))) else { continue }
            let s = p.summary
            partitions.append(.init(partition: i, startOffset: s.logStartOffset, endOffset: s.logEndOffset,
                                    sizeBytes: s.sizeBytes, segmentCount: s.segmentCount))
        }
        return TopicDescription(name: name, partitionCount: info.partitionCount, configuration: info.config,
                                partitions: partitions)
    }

    /// Grows a topic to `count` partitions (never shrinks). Groups subscribed
    /// to it rebalance so the new partitions get owners. Keyed records map to
    /// new partitions from now on (as in Kafka).
    ///
    /// - Throws: `.unknownTopic`, `.invalidPartitionCount` (below the current count), `.io`, `.closed`.
    public func addPartitions(_ name: String, count: Int) throws {
        let info = try topicInfo(name)
        guard count >= info.partitionCount, count <= Int(TopicRecord.maxPartitions) else {
            throw SpoolError(.invalidPartitionCount,
                             "topic '\(name)' has \(info.partitionCount) partitions; the new count \(count) must be larger and at most \(TopicRecord.maxPartitions)")
        }
        guard count > info.partitionCount else { return }
        try checkDescriptorBudget(newPartitions: count - info.partitionCount)
        do { _ = try metadata.increasePartitions(name: name, to: Int32(count)) } catch { throw SpoolError(error) }
        let config = Self.partitionConfig(configuration, info.config)
        for p in info.partitionCount..<count {
            _ = try wrapStorage { try log.createPartition(LogPartition(name, Int32(p)), config: config) }
        }
        state.withLock { $0.topics[name]?.partitionCount = count }
        do { try coordinator.topicPartitionCountChanged(topic: name, count: Int32(count)) } catch { throw SpoolError(error) }
    }

    /// Deletes a topic, its data and every group's committed offsets for it.
    /// Groups subscribed to it rebalance; their consumers of it stop receiving.
    ///
    /// - Throws: `.unknownTopic`, `.io`, `.closed`.
    public func deleteTopic(_ name: String) throws {
        let info = try topicInfo(name)
        do { try metadata.deleteTopic(name: name) } catch { throw SpoolError(error) }
        state.withLock { _ = $0.topics.removeValue(forKey: name) }
        do { try coordinator.topicDeleted(topic: name) } catch { throw SpoolError(error) }
        for p in 0..<info.partitionCount {
            try wrapStorage { try log.deletePartition(LogPartition(name, Int32(p))) }
        }
    }

    /// Each partition keeps three descriptors open (log, index, time index);
    /// refuse up front rather than fail with EMFILE halfway through. A
    /// quarter of the budget stays free for segment rolls, SQLite and the
    /// embedding application.
    func checkDescriptorBudget(newPartitions: Int) throws(SpoolError) {
        guard fs is PosixFileSystem else { return }
        let needed = 3 * newPartitions
        let available = DescriptorLimit.available()
        guard available == Int.max || needed <= available - available / 4 else {
            throw SpoolError(.invalidPartitionCount,
                "\(newPartitions) new partitions need \(needed) file descriptors but only \(available) are available "
                + "(RLIMIT_NOFILE); raise the limit (ulimit -n) or use fewer partitions")
        }
    }

    func syncCoordinatorTopics() throws {
        let counts = state.withLock { $0.topics.mapValues { Int32($0.partitionCount) } }
        do { try coordinator.syncTopics(counts) } catch { throw SpoolError(error) }
    }
}
