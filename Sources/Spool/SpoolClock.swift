// SPDX-License-Identifier: Apache-2.0
// One time source for storage and groups, so tests can drive both.
import GroupCoordinator
import LogStorage

/// Wall-clock milliseconds for record timestamps, retention, sessions.
package struct SpoolClock: LogClock, CoordinatorClock {
    let now: @Sendable () -> Int64

    package init(_ now: @escaping @Sendable () -> Int64) { self.now = now }

    package static let system = SpoolClock { SystemLogClock().nowMillis() }

    package func nowMillis() -> Int64 { now() }
}
