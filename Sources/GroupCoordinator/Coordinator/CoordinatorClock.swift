// SPDX-License-Identifier: Apache-2.0
// The injected time source: session deadlines and commit timestamps.
import Glibc

/// Where the coordinator reads time. Tests inject a manual clock.
package protocol CoordinatorClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}

/// Wall-clock time (`CLOCK_REALTIME`), as Kafka uses for sessions and commit
/// timestamps. A wall-clock jump shortens or lengthens session deadlines once;
/// commit timestamps stay meaningful across restarts, which a monotonic clock
/// would not give.
package struct SystemCoordinatorClock: CoordinatorClock {
    package init() {}

    package func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
