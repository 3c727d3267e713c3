// SPDX-License-Identifier: Apache-2.0
// What each partition was sent, in order, so a recovered log can be checked
// record by record: a prefix of what was attempted, holding every record
// that was acknowledged, and nothing that was never written.
import Spool
import SpoolTestSupport

// MARK: Invariants
// I1. `attempted[p]` lists the records of every append to p, in append order;
//     offset o of p (counted from 0) is `attempted[p][o]` when it exists.
// I2. `acknowledged[p]` ≤ `attempted[p].count`: only appends that returned count.

struct RecordOracle: Sendable {
    struct PartitionKey: Hashable, Sendable, Comparable, CustomStringConvertible {
        var topic: String
        var partition: Int
        static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
        var description: String { "\(topic)-\(partition)" }
    }

    private(set) var attempted: [PartitionKey: [Record]] = [:]
    private(set) var acknowledged: [PartitionKey: Int64] = [:]

    /// Records an append attempt of `records`, each of which names its partition.
    mutating func attempt(_ records: [Record], topic: String) {
        for r in records {
            attempted[PartitionKey(topic: topic, partition: r.partition ?? -1), default: []].append(r)
        }
    }

    /// Records acknowledged receipts.
    mutating func acknowledge(_ receipts: [Receipt]) {
        for r in receipts {
            let key = PartitionKey(topic: r.topic, partition: r.partition)
            acknowledged[key] = max(acknowledged[key] ?? 0, r.offset + 1)
        }
    }

    /// The same attempts with no acknowledgement (for `.none` topics, whose
    /// acknowledged records a power loss may take).
    mutating func forgetAcknowledgements() { acknowledged = [:] }

    /// A record with a recognisable, seeded body: key, value (sometimes a
    /// tombstone), headers (sometimes), explicit partition and timestamp.
    static func makeRecord(_ n: Int, partition: Int, random: inout SeededRandom, maxValue: Int = 120) -> Record {
        let valueLength = Int(random.next() % UInt64(maxValue + 1))
        var value: [UInt8]? = Array("v\(n)-".utf8) + random.bytes(valueLength)
        if random.next() % 17 == 0 { value = nil }
        var headers: [Header] = []
        if random.next() % 3 == 0 { headers.append(Header(key: "h\(n)", value: random.bytes(Int(random.next() % 20)))) }
        if random.next() % 7 == 0 { headers.append(Header(key: "", value: nil)) }
        return Record(key: Array("key-\(n)".utf8), value: value, headers: headers,
                      timestamp: 1_700_000_000_000 + Int64(n), partition: partition)
    }

    /// Whether a read-back record is byte-for-byte the record that was sent.
    static func matches(_ read: ConsumedRecord, _ sent: Record) -> Bool {
        read.key?.array == sent.key && read.value?.array == sent.value && read.timestamp == sent.timestamp
            && read.headers == sent.headers
    }

    /// Reads every record of a partition from its start and checks it against
    /// the oracle. Returns the problems (empty when the log is a correct prefix).
    func check(_ spool: Spool, _ key: PartitionKey, mustHoldFrom floor: Int64?) throws -> [String] {
        var problems: [String] = []
        let (start, end) = try spool.offsets(topic: key.topic, partition: key.partition)
        let sent = attempted[key] ?? []
        let acked = acknowledged[key] ?? 0
        if end > Int64(sent.count) {
            problems.append("\(key): log end \(end) is beyond the \(sent.count) records ever sent")
        }
        if end < acked { problems.append("\(key): log end \(end) lost acknowledged records (acknowledged up to \(acked))") }
        if let floor, start > floor, floor < acked {
            problems.append("\(key): log start \(start) is above \(floor), the start before the crash")
        }
        var next = start
        while next < end {
            let batch = try spool.read(topic: key.topic, partition: key.partition, from: next, maxBytes: 4096)
            if batch.isEmpty {
                problems.append("\(key): read at \(next) returned nothing below the end \(end)")
                break
            }
            for r in batch {
                if r.offset != next { problems.append("\(key): expected offset \(next), read \(r.offset)") }
                if r.offset < 0 || r.offset >= Int64(sent.count) {
                    problems.append("\(key): offset \(r.offset) was never written")
                } else if !Self.matches(r, sent[Int(r.offset)]) {
                    problems.append("\(key): record at \(r.offset) differs from what was sent")
                }
                next = r.offset + 1
            }
            if !problems.isEmpty { break }
        }
        return problems
    }
}
