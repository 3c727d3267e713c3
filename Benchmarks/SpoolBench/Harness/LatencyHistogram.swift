// SPDX-License-Identifier: Apache-2.0
// A log-linear latency histogram (HdrHistogram-style): values below 256 ns are
// exact, above that every power of two is split into 128 buckets, so any
// reported percentile is within 1/128 (< 0.8 %) of a recorded value.
//
//   index < 256          value == index
//   index >= 256         k = index >> 7 (>= 2), m = (index & 127) | 128,
//                        bucket = [m << (k - 1), (m + 1) << (k - 1))

// MARK: Invariants
// I1. `total` == sum of `counts`; `minimum`/`maximum` bound every recorded value.
// I2. `counts` has a fixed size (7424): recording never allocates.

/// Records nanosecond latencies; percentiles report the highest value that
/// is equivalent to the bucket (never understates a latency).
struct LatencyHistogram: Sendable {
    private static let subBits = 7
    private static let bucketCount = 7424  // (63 - 7) * 128 + 256

    private var counts: [UInt64]
    private(set) var total: UInt64 = 0
    private(set) var minimum: UInt64 = .max
    private(set) var maximum: UInt64 = 0
    private var sum: Double = 0

    init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    static func index(of value: UInt64) -> Int {
        if value < 256 { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // >= 8
        let shift = exponent - subBits
        let mantissa = Int(truncatingIfNeeded: value >> UInt64(shift))  // 128...255
        return shift << subBits + mantissa
    }

    /// Highest value that falls into bucket `index`.
    static func highestEquivalent(ofIndex index: Int) -> UInt64 {
        if index < 256 { return UInt64(index) }
        let shift = UInt64(index >> subBits - 1)
        let mantissa = UInt64(index & 127 | 128)
        return ((mantissa + 1) << shift) - 1
    }

    mutating func record(nanos value: UInt64) {
        counts[Self.index(of: value)] &+= 1
        total &+= 1
        sum += Double(value)
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    mutating func merge(_ other: LatencyHistogram) {
        for i in 0..<Self.bucketCount { counts[i] &+= other.counts[i] }
        total &+= other.total
        sum += other.sum
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    /// The value at quantile `q` (0...1), in nanoseconds; 0 when empty.
    func value(atQuantile q: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((q * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for i in 0..<Self.bucketCount {
            seen &+= counts[i]
            if seen >= rank { return min(Self.highestEquivalent(ofIndex: i), maximum) }
        }
        return maximum
    }

    var meanNanos: Double { total == 0 ? 0 : sum / Double(total) }

    func micros(atQuantile q: Double) -> Double { Double(value(atQuantile: q)) / 1000 }
}
