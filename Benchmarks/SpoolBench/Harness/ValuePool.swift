// SPDX-License-Identifier: Apache-2.0
// The data every workload writes: record values cut from one 256 KiB
// pseudo-random pool (stays in L2, as in calibration.md), a fixed set of
// distinct value arrays reused across records (so the benchmark itself does
// not allocate per record), and the order-independent checksum that read
// workloads compare against what was produced.

enum ValuePool {
    static let poolSize = 1 << 18
    /// Distinct values per record size; record i uses value i % slots.
    static let slots = 61

    /// xorshift-filled, deterministic across runs.
    static let pool: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: poolSize)
        for i in 0..<poolSize {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return bytes
    }()

    /// Start of slot `i`'s value in the pool (104-byte stride, as in calibration.md).
    static func start(slot: Int, size: Int) -> Int {
        (slot &* 104) % max(1, poolSize - size)
    }

    /// The `slots` distinct values of `size` bytes.
    static func values(size: Int) -> [[UInt8]] {
        precondition(size >= 0 && size <= poolSize, "record size must be within 0...\(poolSize)")
        return (0..<slots).map { slot in
            let s = start(slot: slot, size: size)
            return Array(pool[s..<(s + size)])
        }
    }
}

/// Order-independent checksum of a multiset of values: the wrapping sum of
/// a per-value hash over its length and its first and last 8 bytes. A
/// missing, duplicated or wrong record changes it (and the count).
struct RecordChecksum: Sendable, Equatable {
    var count: Int = 0
    var sum: UInt64 = 0

    @inline(__always)
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        let n = value.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 8 {
            h ^= value.loadUnaligned(as: UInt64.self)
            h = (h ^ (h >> 31)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= value.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for b in value { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }

    @inline(__always)
    mutating func add(_ value: UnsafeRawBufferPointer) {
        count &+= 1
        sum &+= Self.hash(value)
    }

    /// Adds a value already hashed with `hash(_:)` (lets readers hash inside
    /// a capture-free closure, so the harness adds no exclusivity checks).
    @inline(__always)
    mutating func add(hash: UInt64) {
        count &+= 1
        sum &+= hash
    }

    mutating func add(_ value: [UInt8]) {
        value.withUnsafeBytes { add($0) }
    }

    mutating func merge(_ other: RecordChecksum) {
        count &+= other.count
        sum &+= other.sum
    }

    var text: String { "\(count) records, sum \(String(sum, radix: 16))" }
}
