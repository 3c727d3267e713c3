// SPDX-License-Identifier: Apache-2.0
// Public topic overrides <-> the catalog's stored form.
import MetadataStore

extension TopicConfiguration {
    init(record: TopicConfigRecord) {
        self.init(durability: record.durability.flatMap(Durability.init(stored:)), segmentBytes: record.segmentBytes,
                  retentionMs: record.retentionMs, retentionBytes: record.retentionBytes)
    }

    var record: TopicConfigRecord {
        var r = TopicConfigRecord()
        r.durability = durability?.stored
        r.segmentBytes = segmentBytes
        r.retentionMs = retentionMs
        r.retentionBytes = retentionBytes
        return r
    }
}

extension Durability {
    /// `fsyncEachBatch`, `none`, `interval:<ms>`.
    var stored: String {
        switch self {
        case .fsyncEachBatch: "fsyncEachBatch"
        case .none: "none"
        case .interval(let ms): "interval:\(ms)"
        }
    }

    init?(stored: String) {
        switch stored {
        case "fsyncEachBatch": self = .fsyncEachBatch
        case "none": self = .none
        default:
            guard stored.hasPrefix("interval:"), let ms = Int(stored.dropFirst("interval:".count)), ms > 0 else { return nil }
            self = .interval(milliseconds: ms)
        }
    }
}
