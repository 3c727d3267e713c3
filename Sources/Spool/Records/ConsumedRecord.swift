// SPDX-License-Identifier: Apache-2.0
import LogStorage

/// A record read back from a topic. Key, value and headers are views into
/// the fetched batch: no per-record copies.
public struct ConsumedRecord: Sendable, Hashable {
    public let topic: String
    public let partition: Int
    public let offset: Int64
    /// Milliseconds since the epoch (the producer's `CreateTime`).
    public let timestamp: Int64
    public let key: Bytes?
    /// nil for a tombstone.
    public let value: Bytes?
    let headerStart: Int
    let headerLength: Int
    public let headerCount: Int

    init(topic: String, partition: Int, record: RecordView, storage: FetchStorage) {
        self.topic = topic
        self.partition = partition
        self.offset = record.offset
        self.timestamp = record.timestamp
        let base = UnsafeRawPointer(storage.base)
        self.key = record.key.map { Bytes(storage: storage, start: $0.baseAddress.map { $0 - base } ?? 0, count: $0.count) }
        self.value = record.value.map { Bytes(storage: storage, start: $0.baseAddress.map { $0 - base } ?? 0, count: $0.count) }
        self.headerStart = record.headerBytes.baseAddress.map { $0 - base } ?? 0
        self.headerLength = record.headerBytes.count
        self.headerCount = record.headerCount
        storageRef = storage
    }

    private let storageRef: FetchStorage

    /// The record's headers, decoded on demand.
    public var headers: [Header] {
        guard headerCount > 0 else { return [] }
        let bytes = UnsafeRawBufferPointer(start: storageRef.base + headerStart, count: headerLength)
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
