// SPDX-License-Identifier: Apache-2.0
// A group's committed position in one partition.

/// What a group committed for one partition.
///
/// `offset` is the NEXT offset to consume (last processed + 1), as in Kafka.
package struct CommittedOffset: Hashable, Sendable {
    /// Next offset to consume; never negative.
    package var offset: Int64
    /// Opaque client metadata, at most `CommittedOffset.maxMetadataBytes` UTF-8 bytes.
    package var metadata: String
    /// Wall-clock milliseconds of the commit, from the coordinator's clock.
    package var commitTimeMillis: Int64

    /// Kafka's `offset.metadata.max.bytes` default.
    package static let maxMetadataBytes = 4096

    package init(offset: Int64, metadata: String = "", commitTimeMillis: Int64) {
        self.offset = offset
        self.metadata = metadata
        self.commitTimeMillis = commitTimeMillis
    }
}

/// One entry of an offset commit: a partition and what is committed for it.
package struct OffsetCommit: Hashable, Sendable {
    package var partition: TopicPartition
    package var committed: CommittedOffset

    package init(partition: TopicPartition, committed: CommittedOffset) {
        self.partition = partition
        self.committed = committed
    }
}
