// SPDX-License-Identifier: Apache-2.0
// How `spool consume` prints a record. Text: the value's bytes as they are,
// one per line (`null` for a null value), so produce → consume round-trips
// lines exactly. JSON: topic, partition, offset, timestamp, key, value,
// headers, with the byte rules of dump-segment (text when UTF-8, null when
// null, keyBase64 / valueBase64 otherwise).
import Spool

struct RecordPrinter {
    let json: Bool
    let out: StandardOutput

    func print(_ record: ConsumedRecord) throws(CLIError) {
        guard json else {
            if let value = record.value {
                try value.withUnsafeBytes { (bytes) throws(CLIError) in try out.line(bytes: bytes) }
            } else {
                try out.line("null")
            }
            return
        }
        var line = JSONObjectLine()
        line.field("topic", string: record.topic)
        line.field("partition", record.partition)
        line.field("offset", record.offset)
        line.field("timestamp", record.timestamp)
        line.field("key", bytes: Self.classify(record.key))
        line.field("value", bytes: Self.classify(record.value))
        let headers = record.headers.map { header in
            var object = JSONObjectLine()
            object.field("key", string: header.key)
            object.field("value", bytes: Self.classify(header.value))
            return object
        }
        line.field("headers", objects: headers)
        try out.line(line.rendered)
    }

    private static func classify(_ bytes: Bytes?) -> RecordBytes {
        guard let bytes else { return .null }
        return bytes.withUnsafeBytes { RecordBytes($0) }
    }

    private static func classify(_ bytes: [UInt8]?) -> RecordBytes {
        guard let bytes else { return .null }
        return bytes.withUnsafeBytes { RecordBytes($0) }
    }
}
