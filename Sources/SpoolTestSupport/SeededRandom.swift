// SPDX-License-Identifier: Apache-2.0
// Reproducible randomness for tests: xoshiro256** seeded through SplitMix64,
// always able to say which seed it started from.
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic `RandomNumberGenerator`. The same seed gives the same
/// sequence on every platform and run, so a failing seed can be replayed.
/// A value type: copies continue independently from the same point.
package struct SeededRandom: RandomNumberGenerator, Sendable, CustomStringConvertible {
    /// The environment variable `init()` reads a seed from (decimal or 0x-hex).
    package static let environmentVariable = "SPOOL_SEED"

    /// The seed this generator started from.
    package let seed: UInt64
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    package init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
    }

    /// Seeded from `$SPOOL_SEED` when set (to replay a failure), otherwise
    /// from the system generator. Put `description` in failure messages.
    package init() {
        if let raw = getenv(Self.environmentVariable), let seed = Self.parseSeed(String(cString: raw)) {
            self.init(seed: seed)
        } else {
            var system = SystemRandomNumberGenerator()
            self.init(seed: system.next())
        }
    }

    package var description: String { "SeededRandom(seed: \(seed)) [replay with \(Self.environmentVariable)=\(seed)]" }

    package mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// `count` random bytes.
    package mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }

    /// True with probability `probability`.
    package mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < probability
    }

    /// A generator for a sub-task, derived from this one (advances it once).
    package mutating func fork() -> SeededRandom {
        SeededRandom(seed: next())
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func parseSeed(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
