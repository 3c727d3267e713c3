// SPDX-License-Identifier: Apache-2.0
// One committed offset of a group for one partition, as stored in `offsets`.

/// A committed offset. `nextOffset` is the next offset to consume (last processed + 1).
package struct OffsetCommitRow: Sendable, Equatable, Hashable {
    /// Longest commit metadata accepted, in UTF-8 bytes (Kafka's default cap).
    package static let maxMetadataBytes = 4_096

    package var group: String
    package var topic: String
    package var partition: Int32
    package var nextOffset: Int64
    package var metadata: String
    /// Milliseconds since the Unix epoch, from the committer's clock.
    package var commitTime: Int64

    package init(
        group: String, topic: String, partition: Int32, nextOffset: Int64, metadata: String = "",
        commitTime: Int64
    ) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
        self.metadata = metadata
        self.commitTime = commitTime
    }

    /// Throws `.invalidArgument` for a negative partition or offset, an empty
    /// group or topic, or metadata over `maxMetadataBytes`.
    package func validate() throws(MetadataError) {
        if group.isEmpty { throw MetadataError(.invalidArgument, "offset commit has an empty group id") }
        if topic.isEmpty { throw MetadataError(.invalidArgument, "offset commit for group \(group) has an empty topic") }
        if partition < 0 {
            throw MetadataError(.invalidArgument, "offset commit for \(topic) has negative partition \(partition)")
        }
        if nextOffset < 0 {
            throw MetadataError(
                .invalidArgument, "offset commit for \(topic)-\(partition) has negative offset \(nextOffset)")
        }
        let size = metadata.utf8.count
        if size > Self.maxMetadataBytes {
            throw MetadataError(
                .invalidArgument,
                "offset commit metadata for \(topic)-\(partition) is \(size) bytes, the cap is \(Self.maxMetadataBytes)")
        }
    }
}
