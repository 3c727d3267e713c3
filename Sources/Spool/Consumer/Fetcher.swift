// SPDX-License-Identifier: Apache-2.0
// One partition read turned into a public `Batch`: reads whole frames into a
// reusable storage, validates every record once, and trims to the records at
// or after the requested offset.
import LogStorage

/// Owned by one reader (a plain reader or a group consumer); not Sendable.
struct Fetcher {
    private var storage = FetchStorage()

    /// Reads from `offset` (which must be within the log) up to about
    /// `maxBytes`; nil when there is nothing at `offset` yet.
    mutating func fetch(_ partition: Partition, topic: String, index: Int, from offset: Int64,
                        maxBytes: Int) throws(SpoolError) -> Batch? {
        // Reuse the storage unless a Batch handed out earlier still holds it.
        if !isKnownUniquelyReferenced(&storage) { storage = FetchStorage() }
        let result: ReadResult
        do { result = try partition.read(from: offset, maxBytes: maxBytes, into: storage.buffer) } catch {
            throw SpoolError(error)
        }
        if result.isEmpty { return nil }
        storage.topic = topic
        storage.partition = index
        let base = UnsafeRawPointer(storage.base)
        let start = result.bytes.baseAddress! - base
        let end = start + result.bytes.count
        // Walk every record once (the CRC was checked by the read), so the
        // public iterator can never meet a malformed record.
        var cursor = 0
        var first: Int64 = -1, last: Int64 = -1, count = 0
        let bytes = result.bytes
        while cursor < bytes.count {
            do {
                let header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[cursor...]))
                let view = try RecordBatchView(UnsafeRawBufferPointer(rebasing: bytes[cursor..<(cursor + header.totalSize)]))
                var records = view.makeRecordIterator()
                while let r = try records.next() {
                    guard r.offset >= offset else { continue }
                    if first < 0 { first = r.offset }
                    last = r.offset
                    count += 1
                }
                cursor += header.totalSize
            } catch {
                var e = error
                e.path = e.path ?? "\(topic)-\(index)"
                throw SpoolError(e)
            }
        }
        guard count > 0 else { return nil }
        return Batch(topic: topic, partition: index, firstOffset: first, lastOffset: last, count: count,
                     storage: storage, start: start, end: end)
    }
}
