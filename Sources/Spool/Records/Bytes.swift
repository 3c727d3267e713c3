// SPDX-License-Identifier: Apache-2.0
// Zero-copy byte views into fetched data, so consuming allocates per fetch,
// not per record.
import LogStorage

/// The storage of one fetch, shared by the `Batch` and every `Bytes` cut from it.
///
/// Safety of @unchecked Sendable: a reader fills `buffer` only while it holds
/// the sole reference (checked with `isKnownUniquelyReferenced` before every
/// fetch); once a `Batch` shares the storage the bytes are never written
/// again, so every other holder only reads immutable memory.
final class FetchStorage: @unchecked Sendable {
    let buffer: ReadBuffer
    /// The partition the bytes came from (set with the bytes, before sharing;
    /// unchecked exclusivity for the reason given above).
    @exclusivity(unchecked) var topic: String = ""
    @exclusivity(unchecked) var partition: Int = 0

    init(capacity: Int = 1 << 20) {
        buffer = ReadBuffer(capacity: capacity)
    }

    var base: UnsafeMutableRawPointer { buffer.storage }
}

/// A read-only view of bytes inside a fetched batch (a key, a value or a
/// header value). Copying it does not copy the bytes.
public struct Bytes: RandomAccessCollection, Sendable, Hashable, CustomStringConvertible {
    let storage: FetchStorage
    let start: Int
    public let count: Int

    init(storage: FetchStorage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "Bytes index out of range")
        return storage.base.load(fromByteOffset: start + position, as: UInt8.self)
    }

    /// Calls `body` with the bytes in place (no copy).
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage.base + start, count: count))
    }

    /// The bytes decoded as UTF-8 (invalid sequences are repaired).
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// A copy as an array.
    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    public var description: String { string }

    public static func == (a: Bytes, b: Bytes) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
