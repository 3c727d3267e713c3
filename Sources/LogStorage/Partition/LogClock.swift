// SPDX-License-Identifier: Apache-2.0
// Where LogStorage gets wall-clock time (timestamps, segment age, retention),
// injectable so tests control time.
#if canImport(Glibc)
import Glibc
#endif

package protocol LogClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}

/// The real clock (CLOCK_REALTIME).
package struct SystemLogClock: LogClock {
    package init() {}
    package func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
