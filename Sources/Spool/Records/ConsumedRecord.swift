// SPDX-License-Identifier: Apache-2.0
import LogStorage

/// A record read back from a topic. Key, value and headers are views into
/// the fetched batch: no per-record copies, and one reference per record.
public struct ConsumedRecord: Sendable, Hashable {
    let storage: FetchStorage
    public let offset: Int64
    /// Milliseconds since the epoch (the producer's `CreateTime`).
    public let timestamp: Int64
    // Byte ranges in `storage`; a length of -1 is null.
    let keyStart: Int32
    let keyLength: Int32
    let valueStart: Int32
    let valueLength: Int32
    let headerStart: Int32
    let headerLength: Int32
    public let headerCount: Int

    @inline(__always)
    init(record: RecordView, storage: FetchStorage, base: UnsafeRawPointer) {
        self.storage = storage
        self.offset = record.offset
        self.timestamp = record.timestamp
        // Fetches are at most a few MiB, so positions fit in 32 bits.
        if let k = record.key {
            keyStart = Int32(truncatingIfNeeded: (k.baseAddress.map { $0 - base } ?? 0))
            keyLength = Int32(truncatingIfNeeded: k.count)
        } else {
            keyStart = 0
            keyLength = -1
        }
        if let v = record.value {
            valueStart = Int32(truncatingIfNeeded: (v.baseAddress.map { $0 - base } ?? 0))
            valueLength = Int32(truncatingIfNeeded: v.count)
        } else {
            valueStart = 0
            valueLength = -1
        }
        headerStart = Int32(truncatingIfNeeded: (record.headerBytes.baseAddress.map { $0 - base } ?? 0))
        headerLength = Int32(truncatingIfNeeded: record.headerBytes.count)
        headerCount = record.headerCount
    }

    public var topic: String { storage.topic }
    public var partition: Int { storage.partition }

    /// nil for a null key.
    public var key: Bytes? {
        keyLength < 0 ? nil : Bytes(storage: storage, start: Int(keyStart), count: Int(keyLength))
    }

    /// nil for a tombstone (null value).
    public var value: Bytes? {
        valueLength < 0 ? nil : Bytes(storage: storage, start: Int(valueStart), count: Int(valueLength))
    }

    /// The record's headers, decoded on demand.
    public var headers: [Header] {
        guard headerCount > 0 else { return [] }
        let bytes = UnsafeRawBufferPointer(start: storage.base + Int(headerStart), count: Int(headerLength))
        var iterator = RecordHeaderIterator(bytes: bytes, count: headerCount)
        var out: [Header] = []
        out.reserveCapacity(headerCount)
        // The batch was fully validated when fetched, so decoding cannot fail here.
        while let h = try? iterator.next() {
            out.append(Header(key: String(decoding: h.key, as: UTF8.self), value: h.value.map { Array($0) }))
        }
        return out
    }

    public static func == (a: ConsumedRecord, b: ConsumedRecord) -> Bool {
        a.topic == b.topic && a.partition == b.partition && a.offset == b.offset && a.timestamp == b.timestamp
            && a.key == b.key && a.value == b.value && a.headers == b.headers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(topic)
        hasher.combine(partition)
        hasher.combine(offset)
    }
}
