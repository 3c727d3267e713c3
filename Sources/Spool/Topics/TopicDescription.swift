// SPDX-License-Identifier: Apache-2.0

/// A topic and the state of each of its partitions.
public struct TopicDescription: Sendable, Hashable {
    public struct PartitionInfo: Sendable, Hashable {
        public var partition: Int
        /// First retained offset.
        public var startOffset: Int64
        /// One past the last offset (the next offset to be written).
        public var endOffset: Int64
        public var sizeBytes: Int64
        public var segmentCount: Int
    }

    public var name: String
    public var partitionCount: Int
    public var configuration: TopicConfiguration
    public var partitions: [PartitionInfo]
}
