// SPDX-License-Identifier: Apache-2.0
// Builders shared by the partition tests: deterministic records, a log
// opened on any FileSystem, and helpers to read everything back.
import FileIO
import Logging
@testable import LogStorage
import SpoolTestSupport

struct TestRecord: Equatable {
    var offset: Int64
    var timestamp: Int64
    var key: [UInt8]?
    var value: [UInt8]?
}

enum Fixture {
    static let dataDirectory = "/data"
    static let tp = TopicPartition("orders", 0)
    static var logger: Logger {
        var l = Logger(label: "test")
        l.logLevel = .critical
        return l
    }

    static func config(durability: Durability = .fsyncEachBatch, segmentBytes: Int64 = 1 << 30,
                       indexInterval: Int = 4096) -> PartitionConfig {
        var c = PartitionConfig()
        c.durability = durability
        c.segmentBytes = segmentBytes
        c.indexIntervalBytes = indexInterval
        return c
    }

    /// Opens (or creates) the data directory and its single test partition.
    static func open(_ fs: any FileSystem, config: PartitionConfig, clock: any LogClock = ManualClock())
        throws(StorageError) -> (LogManager, Partition, RecoveryReport)
    {
        let (manager, report) = try LogManager.open(directory: dataDirectory, fs: fs, clock: clock, logger: logger,
                                                    configFor: { _ in config })
        if let p = manager.partition(tp) { return (manager, p, report) }
        return (manager, try manager.createPartition(tp, config: config), report)
    }

    static func value(_ i: Int64, size: Int = 40) -> [UInt8] {
        var v = Array("value-\(i)-".utf8)
        while v.count < size { v.append(UInt8(truncatingIfNeeded: i &* 31 &+ Int64(v.count))) }
        return v
    }

    /// Appends `count` records as one batch; record i of the whole log gets
    /// key "k<i>", a deterministic value and timestamp 1_000 + i.
    @discardableResult
    static func appendBatch(_ p: Partition, count: Int, builder: RecordBatchBuilder = RecordBatchBuilder(initialCapacity: 4096),
                            timestamp: ((Int64) -> Int64)? = nil) async throws(StorageError) -> AppendResult {
        let first = p.logEndOffset
        builder.reset()
        for j in 0..<Int64(count) {
            let i = first + j
            builder.append(key: Array("k\(i)".utf8), value: value(i), timestamp: timestamp?(i) ?? 1_000 + i)
        }
        return try await p.append(builder.finish())
    }

    /// Every record from `from` to the log end, decoded.
    static func readAll(_ p: Partition, from: Int64? = nil, maxBytes: Int = 1 << 16) throws -> [TestRecord] {
        var out: [TestRecord] = []
        var offset = from ?? p.logStartOffset
        let buffer = ReadBuffer(capacity: 4096)
        while true {
            let result = try p.read(from: offset, maxBytes: maxBytes, into: buffer)
            if result.isEmpty { break }
            var cursor = 0
            while cursor < result.bytes.count {
                let header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: result.bytes[cursor...]))
                let view = try RecordBatchView(UnsafeRawBufferPointer(rebasing: result.bytes[cursor..<(cursor + header.totalSize)]))
                var records = view.makeRecordIterator()
                while let r = try records.next() {
                    if r.offset < offset { continue }
                    out.append(TestRecord(offset: r.offset, timestamp: r.timestamp, key: r.key.map { Array($0) },
                                          value: r.value.map { Array($0) }))
                }
                cursor += header.totalSize
            }
            offset = result.nextOffset
        }
        return out
    }

    static func expected(_ range: Range<Int64>) -> [TestRecord] {
        range.map { TestRecord(offset: $0, timestamp: 1_000 + $0, key: Array("k\($0)".utf8), value: value($0)) }
    }

    static func partitionPath(_ name: String) -> String { "\(dataDirectory)/orders-0/\(name)" }
}
