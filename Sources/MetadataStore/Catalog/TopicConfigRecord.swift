// SPDX-License-Identifier: Apache-2.0
// Per-topic config overrides as stored in topics.config.
//
// Stored form: one "key=value" per line, "\n"-terminated, keys sorted, only
// the keys that are set; "" means no overrides. Keys use Kafka's names:
//   KEY              VALUE
//   durability       free text understood by the log layer (e.g. "fsyncEachBatch")
//   retention.bytes  Int64, -1 = unlimited
//   retention.ms     Int64, -1 = unlimited
//   segment.bytes    Int64, > 0
// Unknown keys (written by a newer Spool) are kept in `extra` and written back
// unchanged. The value is everything after the first '='; no line breaks.

/// Optional per-topic overrides; nil means "use the default".
package struct TopicConfigRecord: Sendable, Equatable, Hashable {
    package var retentionMs: Int64?
    package var retentionBytes: Int64?
    package var segmentBytes: Int64?
    package var durability: String?
    /// Keys this code does not know, preserved across read/write.
    package var extra: [String: String]

    package init(
        retentionMs: Int64? = nil, retentionBytes: Int64? = nil, segmentBytes: Int64? = nil,
        durability: String? = nil, extra: [String: String] = [:]
    ) {
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.segmentBytes = segmentBytes
        self.durability = durability
        self.extra = extra
    }

    static let knownKeys: Set<String> = ["durability", "retention.bytes", "retention.ms", "segment.bytes"]

    /// Throws `.invalidConfig` for out-of-range values or text that cannot be stored.
    package func validate() throws(MetadataError) {
        if let v = retentionMs, v < -1 { throw invalid("retention.ms must be >= -1 (-1 = unlimited), got \(v)") }
        if let v = retentionBytes, v < -1 {
            throw invalid("retention.bytes must be >= -1 (-1 = unlimited), got \(v)")
        }
        if let v = segmentBytes, v < 1 { throw invalid("segment.bytes must be > 0, got \(v)") }
        if let d = durability {
            if d.isEmpty { throw invalid("durability must not be empty") }
            if !Self.isStorableValue(d) { throw invalid("durability must not contain line breaks or NUL") }
        }
        for (key, value) in extra {
            if Self.knownKeys.contains(key) { throw invalid("extra key \(key) shadows a known key") }
            if key.isEmpty || key.utf8.contains(UInt8(ascii: "=")) || !Self.isStorableValue(key) {
                throw invalid("config key \"\(key)\" must be non-empty without '=', line breaks or NUL")
            }
            if !Self.isStorableValue(value) { throw invalid("value of \(key) must not contain line breaks or NUL") }
        }
    }

    private func invalid(_ message: String) -> MetadataError { MetadataError(.invalidConfig, message) }

    private static func isStorableValue(_ s: String) -> Bool {
        !s.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
    }

    /// The stored text. Call `validate()` first.
    package func encoded() -> String {
        var pairs: [(String, String)] = extra.map { ($0.key, $0.value) }
        if let v = durability { pairs.append(("durability", v)) }
        if let v = retentionBytes { pairs.append(("retention.bytes", String(v))) }
        if let v = retentionMs { pairs.append(("retention.ms", String(v))) }
        if let v = segmentBytes { pairs.append(("segment.bytes", String(v))) }
        pairs.sort { $0.0 < $1.0 }
        var text = ""
        for (key, value) in pairs { text += key + "=" + value + "\n" }
        return text
    }

    /// Parses stored text; throws `.invalidConfig` (with the offending line) if it is malformed.
    package static func decode(_ text: String) throws(MetadataError) -> TopicConfigRecord {
        var record = TopicConfigRecord()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else {
                throw MetadataError(.invalidConfig, "stored topic config line has no '=': \"\(line)\"")
            }
            let key = String(line[..<eq])
            let value = String(line[line.index(after: eq)...])
            func int() throws(MetadataError) -> Int64 {
                guard let v = Int64(value) else {
                    throw MetadataError(.invalidConfig, "stored topic config \(key) is not an integer: \"\(value)\"")
                }
                return v
            }
            switch key {
            case "durability": record.durability = value
            case "retention.bytes": record.retentionBytes = try int()
            case "retention.ms": record.retentionMs = try int()
            case "segment.bytes": record.segmentBytes = try int()
            default: record.extra[key] = value
            }
        }
        return record
    }
}
