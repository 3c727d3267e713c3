// SPDX-License-Identifier: Apache-2.0
// One row of the topics catalog.

/// A topic as recorded in the catalog.
package struct TopicRecord: Sendable, Equatable, Hashable {
    /// Upper bound on a topic's partition count: each partition is a directory
    /// with open files, so a typo like 1_000_000 is refused rather than obeyed.
    package static let maxPartitions: Int32 = 10_000

    package var name: String
    package var partitionCount: Int32
    package var config: TopicConfigRecord
    /// Milliseconds since the Unix epoch.
    package var createdAt: Int64

    package init(name: String, partitionCount: Int32, config: TopicConfigRecord, createdAt: Int64) {
        self.name = name
        self.partitionCount = partitionCount
        self.config = config
        self.createdAt = createdAt
    }
}
