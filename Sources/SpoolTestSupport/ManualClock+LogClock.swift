// SPDX-License-Identifier: Apache-2.0
// Lets LogStorage run on test time.
import LogStorage

extension ManualClock: LogClock {
    package func nowMillis() -> Int64 { now }
}
