// SPDX-License-Identifier: Apache-2.0
// The default source of "now" for timestamps written to the metadata
// database (created_at, applied_at). Callers with an injected clock pass their own.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in milliseconds since the Unix epoch.
package enum WallClock {
    package static func milliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
