// SPDX-License-Identifier: Apache-2.0
// Kafka record varints: zigzag-mapped signed integers in unsigned LEB128
// (7 bits per byte, least significant group first, high bit = more bytes).
// varint = Int32, at most 5 bytes; varlong = Int64, at most 10 bytes.
//
// Writers store into raw memory the caller has already sized (see the size
// functions); readers take an explicit end pointer and never read at or past it.

/// Why a varint could not be read.
@usableFromInline
package enum VarintError: Error, Sendable, Equatable {
    /// The buffer ended before the last byte (one without the high bit).
    case truncated
    /// More than 5 (varint) / 10 (varlong) bytes, or bits beyond 32 / 64.
    case overflow
}

/// Zigzag LEB128 encoding and decoding over raw pointers.
@usableFromInline
package enum Varint {
    @usableFromInline package static let maxVarintBytes = 5
    @usableFromInline package static let maxVarlongBytes = 10

    // MARK: Zigzag

    @inlinable @inline(__always)
    package static func zigzag(_ v: Int32) -> UInt32 {
        UInt32(bitPattern: (v &<< 1) ^ (v &>> 31))
    }

    @inlinable @inline(__always)
    package static func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v &<< 1) ^ (v &>> 63))
    }

    @inlinable @inline(__always)
    package static func unzigzag(_ u: UInt32) -> Int32 {
        Int32(bitPattern: (u &>> 1) ^ (0 &- (u & 1)))
    }

    @inlinable @inline(__always)
    package static func unzigzag(_ u: UInt64) -> Int64 {
        Int64(bitPattern: (u &>> 1) ^ (0 &- (u & 1)))
    }

    // MARK: Sizes

    /// Bytes of the unsigned LEB128 form of `u`, branch-free: ceil(bits / 7), min 1.
    @inlinable @inline(__always)
    package static func unsignedSize(_ u: UInt64) -> Int {
        let bits = 64 &- (u | 1).leadingZeroBitCount
        return (bits &* 9 &+ 64) &>> 6
    }

    @inlinable @inline(__always)
    package static func size(ofVarint v: Int32) -> Int {
        unsignedSize(UInt64(zigzag(v)))
    }

    @inlinable @inline(__always)
    package static func size(ofVarlong v: Int64) -> Int {
        unsignedSize(zigzag(v))
    }

    // MARK: Writing

    /// Writes `u` as unsigned LEB128 at `p` and returns the byte count.
    /// The caller guarantees `unsignedSize(u)` writable bytes at `p`.
    @inlinable @inline(__always)
    package static func writeUnsigned(_ u: UInt64, to p: UnsafeMutableRawPointer) -> Int {
        if u < 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: u), as: UInt8.self)
            return 1
        }
        if u < 0x4000 {
            // Both bytes in one unaligned 16-bit store: low group + continuation bit first.
            let pair = UInt16(truncatingIfNeeded: (u & 0x7F) | 0x80 | ((u &>> 7) &<< 8))
            p.storeBytes(of: pair.littleEndian, as: UInt16.self)
            return 2
        }
        return writeUnsignedLong(u, to: p)
    }

    @usableFromInline
    static func writeUnsignedLong(_ u: UInt64, to p: UnsafeMutableRawPointer) -> Int {
        var v = u
        var i = 0
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v &>>= 7
            i &+= 1
        }
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
        return i &+ 1
    }

    /// Writes the zigzag varint of `v` (at most 5 bytes) and returns the byte count.
    @inlinable @inline(__always)
    package static func write(varint v: Int32, to p: UnsafeMutableRawPointer) -> Int {
        writeUnsigned(UInt64(zigzag(v)), to: p)
    }

    /// Writes the zigzag varlong of `v` (at most 10 bytes) and returns the byte count.
    @inlinable @inline(__always)
    package static func write(varlong v: Int64, to p: UnsafeMutableRawPointer) -> Int {
        writeUnsigned(zigzag(v), to: p)
    }

    // MARK: Reading

    /// Reads a zigzag varint starting at `p`, never touching `end` or beyond.
    /// Non-minimal encodings (e.g. `80 00`) are accepted, as Kafka does.
    @inlinable @inline(__always)
    package static func readVarint(
        _ p: UnsafeRawPointer, end: UnsafeRawPointer
    ) throws(VarintError) -> (value: Int32, length: Int) {
        if p < end {
            let b0 = p.load(as: UInt8.self)
            if b0 < 0x80 { return (unzigzag(UInt32(b0)), 1) }
            if p + 1 < end {
                let b1 = p.load(fromByteOffset: 1, as: UInt8.self)
                if b1 < 0x80 {
                    return (unzigzag(UInt32(b0 & 0x7F) | UInt32(b1) &<< 7), 2)
                }
            }
        }
        let (u, n) = try readUnsignedSlow(p, end: end, maxBytes: maxVarintBytes)
        return (unzigzag(UInt32(truncatingIfNeeded: u)), n)
    }

    /// Reads a zigzag varlong starting at `p`, never touching `end` or beyond.
    @inlinable @inline(__always)
    package static func readVarlong(
        _ p: UnsafeRawPointer, end: UnsafeRawPointer
    ) throws(VarintError) -> (value: Int64, length: Int) {
        if p < end {
            let b0 = p.load(as: UInt8.self)
            if b0 < 0x80 { return (unzigzag(UInt64(b0)), 1) }
            if p + 1 < end {
                let b1 = p.load(fromByteOffset: 1, as: UInt8.self)
                if b1 < 0x80 {
                    return (unzigzag(UInt64(b0 & 0x7F) | UInt64(b1) &<< 7), 2)
                }
            }
        }
        let (u, n) = try readUnsignedSlow(p, end: end, maxBytes: maxVarlongBytes)
        return (unzigzag(u), n)
    }

    /// The general loop. `maxBytes` 5 means the value must fit 32 bits; 10 means 64.
    @inline(never) @usableFromInline
    static func readUnsignedSlow(
        _ p: UnsafeRawPointer, end: UnsafeRawPointer, maxBytes: Int
    ) throws(VarintError) -> (UInt64, Int) {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while true {
            guard p + i < end else { throw .truncated }
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            i &+= 1
            if b < 0x80 {
                if i == maxBytes {
                    // Last allowed byte: only the bits that still fit may be set.
                    let limit: UInt8 = maxBytes == maxVarintBytes ? 0x0F : 0x01
                    guard b <= limit else { throw .overflow }
                }
                result |= UInt64(b) &<< shift
                return (result, i)
            }
            guard i < maxBytes else { throw .overflow }
            result |= UInt64(b & 0x7F) &<< shift
            shift &+= 7
        }
    }
}
