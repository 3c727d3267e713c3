// SPDX-License-Identifier: Apache-2.0
// A coordinator clock that moves only when the test says so.
import GroupCoordinator
import Synchronization

final class TestClock: CoordinatorClock, Sendable {
    private let millis: Mutex<Int64>

    init(start: Int64 = 1_704_067_200_000) { millis = Mutex(start) }

    func nowMillis() -> Int64 { millis.withLock { $0 } }

    @discardableResult
    func advance(by delta: Int64) -> Int64 {
        millis.withLock { now in
            now += delta
            return now
        }
    }
}
