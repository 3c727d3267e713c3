// SPDX-License-Identifier: Apache-2.0
// Where produced records land and what comes back: Kafka's murmur2 key
// partitioning (pinned with vectors computed by kafka-python), sticky
// round-robin for unkeyed calls, explicit partitions, and round-trips of
// headers, null keys, tombstones and timestamps.
import Spool
import Testing

@Suite("Producer: partitioning and record round-trips", .timeLimit(.minutes(1)))
struct ProducerPartitioningTests {
    /// key → partition for 6 partitions, from kafka-python's
    /// `(murmur2(key) & 0x7fffffff) % 6` (an independent implementation).
    static let kafkaVectors: [([UInt8], Int)] = [
        (Array("".utf8), 3),
        (Array("a".utf8), 4),
        (Array("ab".utf8), 2),
        (Array("abc".utf8), 3),
        (Array("abcd".utf8), 2),
        (Array("order-17".utf8), 3),
        (Array("hello world".utf8), 1),
        ([0x00, 0xFF, 0x80], 5),
        (Array("ordér-ü".utf8), 3),
        (Array("key-1234567890".utf8), 1),
    ]

    @Test("keyed records land on murmur2(key) % 6 exactly as the Kafka client places them",
          arguments: kafkaVectors)
    func kafkaPartitioning(key: [UInt8], partition: Int) async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let receipt = try await f.spool.producer().send(Record(key: key, value: Array("payload".utf8)), to: "orders")
        #expect(receipt.partition == partition, "key \(key)")
        #expect(receipt.topic == "orders")
        #expect(receipt.offset == 0)
        let stored = try f.spool.readAll(topic: "orders", partition: partition)
        #expect(stored.map(\.key) == [key])
    }

    @Test("records of one send call with the same key keep their order on one partition")
    func sameKeySamePartitionInOrder() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let records = (0..<20).map { Record(key: "order-17", value: "step \($0)") }
        let receipts = try await f.spool.producer().send(records, to: "orders")
        #expect(Set(receipts.map(\.partition)) == [3])
        #expect(receipts.map(\.offset) == Array(0..<20))
        #expect(try f.spool.readAll(topic: "orders", partition: 3).map { $0.value.map { String(decoding: $0, as: UTF8.self) } }
                == (0..<20).map { "step \($0)" })
    }

    @Test("unkeyed records of one call land on one partition; successive calls rotate over all partitions")
    func unkeyedStickyRoundRobin() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("logs", partitions: 6)
        let producer = f.spool.producer()
        var chosen: [Int] = []
        for call in 0..<12 {
            let receipts = try await producer.send((0..<5).map { Record(value: "line \(call)-\($0)") }, to: "logs")
            let partitions = Set(receipts.map(\.partition))
            #expect(partitions.count == 1, "call \(call) spread over \(partitions)")
            chosen.append(receipts[0].partition)
            // One batch per call: the offsets of the call are consecutive.
            #expect(receipts.map(\.offset) == Array(receipts[0].offset..<(receipts[0].offset + 5)))
        }
        #expect(Set(chosen.prefix(6)) == Set(0..<6), "first six calls: \(chosen)")
        #expect(Set(chosen.suffix(6)) == Set(0..<6), "next six calls: \(chosen)")
        for p in 0..<6 { #expect(try f.spool.offsets(topic: "logs", partition: p).end == 10) }
    }

    @Test("an explicit partition is honoured, also over a key")
    func explicitPartition() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let producer = f.spool.producer()
        let receipts = try await producer.send([
            Record(key: "order-17", value: "forced", partition: 5),  // the key alone would give 3
            Record(value: "unkeyed forced", partition: 0),
            Record(key: "order-17", value: "by key"),
        ], to: "orders")
        #expect(receipts.map(\.partition) == [5, 0, 3])
        #expect(try f.spool.readAll(topic: "orders", partition: 5).map(\.value) == [Array("forced".utf8)])
        #expect(try f.spool.readAll(topic: "orders", partition: 0).map(\.value) == [Array("unkeyed forced".utf8)])
    }

    @Test("headers, a null key, a tombstone, an empty value and explicit timestamps round-trip")
    func roundTrip() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("t", partitions: 1)
        let sent: [Record] = [
            Record(key: Array("k1".utf8), value: Array("v1".utf8),
                   headers: [Header("trace-id", "abc"), Header(key: "null-header", value: nil),
                             Header(key: "bin", value: [0x00, 0xFF])],
                   timestamp: 1_700_000_000_123),
            Record(key: nil, value: Array("no key".utf8), timestamp: 42),
            Record(key: Array("deleted".utf8), value: nil, timestamp: 1_700_000_000_999),  // tombstone
            Record(key: [], value: [], timestamp: 0),
            Record(key: [0x00, 0x01, 0xFE], value: Array(repeating: 0xAB, count: 10_000),
                   headers: [Header("dup", "1"), Header("dup", "2")], timestamp: 1_800_000_000_000),
        ]
        let receipts = try await f.spool.producer().send(sent, to: "t")
        #expect(receipts.map(\.offset) == [0, 1, 2, 3, 4])
        let back = try f.spool.readAll(topic: "t", partition: 0)
        #expect(back.count == sent.count)
        for (s, r) in zip(sent, back) {
            #expect(r.key == s.key, "offset \(r.offset)")
            #expect(r.value == s.value, "offset \(r.offset)")
            #expect(r.headers == s.headers, "offset \(r.offset)")
            #expect(r.timestamp == s.timestamp, "offset \(r.offset)")
        }
        // A tombstone is a null value, not an empty one; and the reverse.
        #expect(back[2].value == nil)
        #expect(back[3].value == [])
        #expect(back[3].key == [])
        #expect(back[1].key == nil)
    }

    @Test("a record without a timestamp gets the time of the send")
    func defaultTimestamp() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("t", partitions: 1)
        // Bounds from the same wall clock the producer uses (not a speed check).
        let before = wallClockMillis()
        _ = try await f.spool.producer().send(Record(value: "now"), to: "t")
        let after = wallClockMillis()
        let stored = try #require(try f.spool.readAll(topic: "t", partition: 0).first)
        #expect(stored.timestamp >= before && stored.timestamp <= after, "\(before) ≤ \(stored.timestamp) ≤ \(after)")
    }

    @Test("reading from a timestamp starts at the first record at or after it")
    func readFromTimestamp() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("t", partitions: 1)
        _ = try await f.spool.producer().send((0..<10).map { Record(value: "r\($0)", timestamp: 1_000 + Int64($0) * 10) }, to: "t")
        #expect(try f.spool.offset(topic: "t", partition: 0, for: .timestamp(1_045)) == 5)
        #expect(try f.spool.offset(topic: "t", partition: 0, for: .timestamp(0)) == 0)
        #expect(try f.spool.offset(topic: "t", partition: 0, for: .timestamp(9_999)) == 10)
        #expect(try f.spool.offset(topic: "t", partition: 0, for: .latest) == 10)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_REALTIME in milliseconds.
func wallClockMillis() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
