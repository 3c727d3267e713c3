// SPDX-License-Identifier: Apache-2.0
// A topic's per-topic overrides as text and JSON, shared by list and describe.
import Spool

enum TopicRendering {
    /// `retention.ms=60000 segment.bytes=1048576`, or `(defaults)` without overrides.
    static func configText(_ c: TopicConfiguration) -> String {
        var parts: [String] = []
        if let d = c.durability { parts.append("durability=\(durability(d))") }
        if let v = c.segmentBytes { parts.append("segment.bytes=\(v)") }
        if let v = c.retentionMs { parts.append("retention.ms=\(v)") }
        if let v = c.retentionBytes { parts.append("retention.bytes=\(v)") }
        return parts.isEmpty ? "(defaults)" : parts.joined(separator: " ")
    }

    /// Only the overrides that are set: `{}` for a topic on the defaults.
    static func configJSON(_ c: TopicConfiguration) -> JSONObjectLine {
        var o = JSONObjectLine()
        if let d = c.durability { o.field("durability", string: durability(d)) }
        if let v = c.segmentBytes { o.field("segmentBytes", v) }
        if let v = c.retentionMs { o.field("retentionMs", v) }
        if let v = c.retentionBytes { o.field("retentionBytes", v) }
        return o
    }

    static func durability(_ d: Durability) -> String {
        switch d {
        case .fsyncEachBatch: "fsyncEachBatch"
        case .none: "none"
        case .interval(let ms): "interval:\(ms)"
        }
    }
}
