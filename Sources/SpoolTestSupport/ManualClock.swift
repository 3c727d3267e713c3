// SPDX-License-Identifier: Apache-2.0
// A clock that moves only when a test says so.
import Synchronization

/// Milliseconds since the Unix epoch, advanced by hand. Thread-safe; share one
/// instance between the code under test and the test driving it.
package final class ManualClock: Sendable {
    private let milliseconds: Mutex<Int64>

    /// Starts at `start` ms since the epoch (default: 2024-01-01T00:00:00Z,
    /// a realistic, fixed value so that timestamps in failures are readable).
    package init(start: Int64 = 1_704_067_200_000) {
        milliseconds = Mutex(start)
    }

    /// The current time in milliseconds since the epoch.
    package var now: Int64 { milliseconds.withLock { $0 } }

    /// Moves time forward by `delta` ms and returns the new time.
    @discardableResult
    package func advance(by delta: Int64) -> Int64 {
        precondition(delta >= 0, "a ManualClock never goes backwards")
        return milliseconds.withLock { now in
            now += delta
            return now
        }
    }

    /// Sets the time; it must not move backwards.
    package func set(to value: Int64) {
        milliseconds.withLock { now in
            precondition(value >= now, "a ManualClock never goes backwards")
            now = value
        }
    }
}
