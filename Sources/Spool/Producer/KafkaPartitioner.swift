// SPDX-License-Identifier: Apache-2.0
// Keyed partitioning exactly as the Kafka Java client's default partitioner:
// partition = (murmur2(key) & 0x7fffffff) % partitionCount, where murmur2 is
// 32-bit MurmurHash2 with seed 0x9747b28c, m = 0x5bd1e995, r = 24, reading
// the key as little-endian 4-byte blocks. Pinned by vectors computed with
// kafka-python's `kafka.partitioner.default.murmur2`.

enum KafkaPartitioner {
    static func murmur2(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let length = key.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var i = 0
        while i + 4 <= length {
            var k = UInt32(key[i]) | UInt32(key[i + 1]) << 8 | UInt32(key[i + 2]) << 16 | UInt32(key[i + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            i += 4
        }
        let tail = length & 3
        if tail == 3 { h ^= UInt32(key[i + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(key[i + 1]) << 8 }
        if tail >= 1 {
            h ^= UInt32(key[i])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    static func partition(forKey key: [UInt8], partitionCount: Int) -> Int {
        let hash = key.withUnsafeBytes { murmur2($0) }
        return Int(hash & 0x7fff_ffff) % partitionCount
    }
}
