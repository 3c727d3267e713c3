// SPDX-License-Identifier: Apache-2.0
// Per-partition storage settings. Every default carries its reason.

package struct PartitionConfig: Sendable, Equatable {
    /// Hard ceiling of a segment: positions in `.index` are int32.
    package static let maxSegmentBytes: Int64 = Int64(Int32.max)

    /// Roll when the active segment would exceed this many bytes.
    /// 1 GiB (Kafka `segment.bytes`): few files, cheap retention granularity.
    package var segmentBytes: Int64 = 1 << 30
    /// Roll when the active segment's first append is this old (nil = never).
    /// Kafka's default is 7 days; nil keeps tiny topics to one file.
    package var segmentMs: Int64? = nil
    /// Bytes between offset-index entries (Kafka `index.interval.bytes`).
    package var indexIntervalBytes: Int = 4096
    /// Size cap of each index file; the segment rolls when one is full.
    package var maxIndexBytes: Int = 10 << 20
    /// Largest accepted batch: 1 MiB of records plus batch overhead, like
    /// Kafka's `message.max.bytes` (1,048,588).
    package var maxBatchBytes: Int = 1_048_588
    /// Delete sealed segments whose newest record is older than this (nil = keep).
    package var retentionMs: Int64? = nil
    /// Delete oldest sealed segments while the partition exceeds this (nil = keep).
    package var retentionBytes: Int64? = nil
    /// When appends are acknowledged; default survives power loss.
    package var durability: Durability = .fsyncEachBatch

    package init() {}

    /// `segmentBytes` clamped to the format's limit and to at least one batch.
    package var effectiveSegmentBytes: Int64 {
        min(max(segmentBytes, Int64(RecordBatchFormat.headerSize) + 1), Self.maxSegmentBytes)
    }
}
