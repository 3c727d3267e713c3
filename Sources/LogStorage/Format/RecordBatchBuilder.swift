// SPDX-License-Identifier: Apache-2.0
// Encodes records into one RecordBatch v2 inside a single owned, reused,
// 64-byte-aligned buffer: no allocation per record or per batch once the
// buffer has grown to the largest batch size seen.
//
// MARK: Invariants
// I1. `buffer` holds `capacity` bytes; `size` <= `capacity`; bytes [0, 61) are
//     reserved for the header, which only `finish` writes.
// I2. Bytes [61, size) are exactly `count` complete Records with offset deltas
//     0..<count, timestamp deltas relative to `baseTimestamp`.
// I3. `baseTimestamp` is the first record's timestamp; `maxTimestamp` the
//     largest appended (both meaningless while count == 0).
// I4. `size` never exceeds Int32.max + 12, so batchLength fits its int32.

/// One header of a record to append (the key is never null in Kafka).
@usableFromInline
package struct RecordHeaderInput: Sendable, Equatable {
    package var key: [UInt8]
    package var value: [UInt8]?

    package init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// A reusable RecordBatch v2 encoder. Not Sendable: one task owns it at a time.
///
/// Usage: `reset()`, `append(...)` one or more times, `finish()`, then hand the
/// returned bytes to the partition, which stamps the base offset with
/// `setBaseOffset(_:in:)`. The view stays valid until the next `reset`/`append`.
@usableFromInline
package final class RecordBatchBuilder {
    // The hot state is @usableFromInline so `append` inlines into other modules
    // (the producer), and @exclusivity(unchecked) because cross-module inlined
    // class accesses otherwise pay swift_beginAccess per field (~3x slower in a
    // measurement). Safe: the builder is not Sendable (one owner at a time) and
    // no method hands out inout access or calls user code while touching these.
    @usableFromInline @exclusivity(unchecked) var buffer: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    @usableFromInline @exclusivity(unchecked) var size: Int
    @usableFromInline @exclusivity(unchecked) var count: Int
    @usableFromInline @exclusivity(unchecked) var baseTimestamp: Int64
    @usableFromInline @exclusivity(unchecked) var maxTimestamp: Int64

    private static let alignment = 64
    /// Largest encodable batch: batchLength (total - 12) must fit an int32.
    package static let maxBatchSize = Int(Int32.max) + RecordBatchFormat.logOverhead

    package init(initialCapacity: Int = 1 << 20) {
        // Clamped to maxBatchSize so that every append past it goes through grow's check (I4).
        capacity = min(
            max(initialCapacity, RecordBatchFormat.headerSize + RecordBatchFormat.maxRecordFramingSize),
            Self.maxBatchSize)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.alignment)
        size = RecordBatchFormat.headerSize
        count = 0
        baseTimestamp = RecordBatchFormat.noTimestamp
        maxTimestamp = RecordBatchFormat.noTimestamp
    }

    deinit {
        buffer.deallocate()
    }

    /// Records appended since the last `reset`.
    package var recordCount: Int { count }
    /// Bytes of the batch so far, header included.
    package var encodedSize: Int { size }

    /// Starts a new, empty batch (baseOffset 0 until the partition stamps it).
    package func reset() {
        size = RecordBatchFormat.headerSize
        count = 0
        baseTimestamp = RecordBatchFormat.noTimestamp
        maxTimestamp = RecordBatchFormat.noTimestamp
    }

    // MARK: Appending

    /// Appends one record; `nil` key or value encodes a null (length -1).
    /// The offset delta is the record's index in the batch.
    ///
    /// Sizes are the caller's to bound (e.g. by max message bytes): exceeding
    /// `maxBatchSize` or Int32.max records is a programmer error.
    @inlinable @inline(__always)
    package func append(
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        timestamp: Int64,
        headers: [RecordHeaderInput] = []
    ) {
        if count == 0 {
            baseTimestamp = timestamp
            maxTimestamp = timestamp
        } else if timestamp > maxTimestamp {
            maxTimestamp = timestamp
        }
        let timestampDelta = timestamp &- baseTimestamp
        let offsetDelta = Int32(truncatingIfNeeded: count)
        let keyLength = key.map { $0.count } ?? -1
        let valueLength = value.map { $0.count } ?? -1
        precondition(keyLength <= Int(Int32.max) && valueLength <= Int(Int32.max), "record key/value too large")

        // Record length first (computed up front, so no placeholder and no memmove).
        var body = 1 // attributes
        body &+= Varint.size(ofVarlong: timestampDelta)
        body &+= Varint.size(ofVarint: offsetDelta)
        body &+= Varint.size(ofVarint: Int32(truncatingIfNeeded: keyLength)) &+ max(keyLength, 0)
        body &+= Varint.size(ofVarint: Int32(truncatingIfNeeded: valueLength)) &+ max(valueLength, 0)
        body &+= Varint.size(ofVarint: Int32(truncatingIfNeeded: headers.count))
        if !headers.isEmpty { body &+= Self.headersSize(headers) }
        precondition(body <= Int(Int32.max), "record too large")
        let total = Varint.size(ofVarint: Int32(truncatingIfNeeded: body)) &+ body
        let needed = size &+ total
        if _slowPath(needed > capacity) { grow(to: needed) }

        var p = buffer + size
        p += Varint.write(varint: Int32(truncatingIfNeeded: body), to: p)
        p.storeBytes(of: 0, as: Int8.self) // record attributes (unused)
        p += 1
        p += Varint.write(varlong: timestampDelta, to: p)
        p += Varint.write(varint: offsetDelta, to: p)
        p = Self.writeBytes(key, length: keyLength, to: p)
        p = Self.writeBytes(value, length: valueLength, to: p)
        p += Varint.write(varint: Int32(truncatingIfNeeded: headers.count), to: p)
        if !headers.isEmpty { p = Self.writeHeaders(headers, to: p) }
        assert(p == buffer + needed)
        size = needed
        count &+= 1
    }

    /// Appends one record from byte arrays (convenience; copies like the raw form).
    package func append(key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [RecordHeaderInput] = []) {
        Self.withOptionalBytes(key) { k in
            Self.withOptionalBytes(value) { v in
                append(key: k, value: v, timestamp: timestamp, headers: headers)
            }
        }
    }

    // MARK: Finishing

    /// Writes the header (PLE -1, no producer, CreateTime, no compression) and
    /// the CRC, and returns the whole batch. Requires at least one record.
    /// The view is valid until the next `reset` or `append`.
    package func finish() -> UnsafeMutableRawBufferPointer {
        precondition(count > 0, "a record batch needs at least one record")
        let header = RecordBatchHeader(
            baseOffset: 0,
            batchLength: Int32(truncatingIfNeeded: size &- RecordBatchFormat.logOverhead),
            crc: 0,
            lastOffsetDelta: Int32(truncatingIfNeeded: count &- 1),
            baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp,
            recordsCount: Int32(truncatingIfNeeded: count))
        header.encode(into: buffer)
        let covered = UnsafeRawBufferPointer(
            start: buffer + RecordBatchFormat.crcCoverageStart,
            count: size &- RecordBatchFormat.crcCoverageStart)
        let crc = CRC32C.checksum(covered)
        buffer.storeBytes(of: crc.bigEndian, toByteOffset: RecordBatchFormat.crcOffset, as: UInt32.self)
        return UnsafeMutableRawBufferPointer(start: buffer, count: size)
    }

    /// `finish()` for callers that cannot rule out an empty batch: throws
    /// `.invalidArgument` instead of trapping when no record was appended.
    package func finishChecked() throws(StorageError) -> UnsafeMutableRawBufferPointer {
        guard count > 0 else {
            throw StorageError(.invalidArgument, "cannot encode a record batch with no records")
        }
        return finish()
    }

    /// Stamps the base offset into a finished batch. Bytes 0..<8 are outside the
    /// CRC, so the batch stays valid.
    package static func setBaseOffset(_ offset: Int64, in batch: UnsafeMutableRawBufferPointer) {
        guard batch.count >= RecordBatchFormat.headerSize, let base = batch.baseAddress else {
            preconditionFailure("setBaseOffset needs a whole record batch, got \(batch.count) bytes")
        }
        base.storeBytes(of: offset.bigEndian, toByteOffset: RecordBatchFormat.baseOffsetOffset, as: Int64.self)
    }

    // MARK: Slow paths and helpers

    @inline(never) @usableFromInline
    func grow(to needed: Int) {
        precondition(needed <= Self.maxBatchSize, "record batch larger than \(Self.maxBatchSize) bytes")
        var newCapacity = capacity
        while newCapacity < needed { newCapacity = newCapacity &* 2 }
        let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: Self.alignment)
        newBuffer.copyMemory(from: buffer, byteCount: size)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    static func writeBytes(
        _ bytes: UnsafeRawBufferPointer?, length: Int, to p: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        var q = p + Varint.write(varint: Int32(truncatingIfNeeded: length), to: p)
        if length > 0, let bytes, let src = bytes.baseAddress {
            q.copyMemory(from: src, byteCount: length)
            q += length
        }
        return q
    }

    @usableFromInline
    static func headersSize(_ headers: [RecordHeaderInput]) -> Int {
        var total = 0
        for h in headers {
            precondition(h.key.count <= Int(Int32.max) && (h.value?.count ?? 0) <= Int(Int32.max),
                         "record header too large")
            total &+= Varint.size(ofVarint: Int32(truncatingIfNeeded: h.key.count)) &+ h.key.count
            let valueLength = h.value?.count ?? -1
            total &+= Varint.size(ofVarint: Int32(truncatingIfNeeded: valueLength)) &+ max(valueLength, 0)
        }
        return total
    }

    @usableFromInline
    static func writeHeaders(
        _ headers: [RecordHeaderInput], to p: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        var q = p
        for h in headers {
            q = h.key.withUnsafeBytes { writeBytes($0, length: h.key.count, to: q) }
            if let value = h.value {
                q = value.withUnsafeBytes { writeBytes($0, length: value.count, to: q) }
            } else {
                q = writeBytes(nil, length: -1, to: q)
            }
        }
        return q
    }

    private static func withOptionalBytes<R>(
        _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R
    ) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}
