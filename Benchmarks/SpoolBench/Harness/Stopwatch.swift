// SPDX-License-Identifier: Apache-2.0
// Monotonic time for measurements (CLOCK_MONOTONIC, nanoseconds).
#if canImport(Glibc)
import Glibc
#endif

/// Starts when created; `seconds` is the time since.
struct Stopwatch {
    private let start: UInt64

    init() { start = Self.nanos() }

    /// Nanoseconds on the monotonic clock.
    @inline(__always)
    static func nanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    var elapsedNanos: UInt64 { Self.nanos() &- start }
    var seconds: Double { Double(elapsedNanos) / 1e9 }
}
