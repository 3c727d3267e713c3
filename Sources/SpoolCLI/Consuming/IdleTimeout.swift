// SPDX-License-Identifier: Apache-2.0
// "Stop when no message arrived for T ms" for `spool consume`: the consuming
// work runs in one child task, a watchdog in another; when the watchdog sees
// T ms without `touch()` (and the work is not known to be waiting for
// something bounded, see `stillWaiting`), or an interrupt arrives, it cancels
// the work. Cancellation only ends the work's waits (Spool's long polls
// honour it); a batch already handed out is still printed and committed
// before the work returns.
import Synchronization

// MARK: Invariants
// I1. `lastActivity` only moves forward (ContinuousClock is monotonic).

/// When the consuming work last made progress. Shared by the work and the watchdog.
final class IdleTimeout: Sendable {
    let timeout: Duration
    private let lastActivity: Mutex<ContinuousClock.Instant>

    init(milliseconds: Int) {
        timeout = .milliseconds(milliseconds)
        lastActivity = Mutex(ContinuousClock.now)
    }

    /// Restarts the idle period (a message arrived, or the work became ready).
    func touch() {
        let now = ContinuousClock.now
        lastActivity.withLock { if now > $0 { $0 = now } }
    }

    /// How often the watchdog looks for an interrupt.
    private static let interruptPoll = Duration.milliseconds(100)

    /// Returns once `timeout` passed without a `touch()` while `stillWaiting`
    /// says no, or on an interrupt or cancellation.
    func waitUntilIdle(stillWaiting: @Sendable () -> Bool) async {
        while !Task.isCancelled, !InterruptSignal.received {
            let deadline = lastActivity.withLock { $0 } + timeout
            let now = ContinuousClock.now
            if now >= deadline {
                if stillWaiting() {
                    touch()
                    continue
                }
                return
            }
            try? await Task.sleep(until: min(deadline, now + Self.interruptPoll), clock: .continuous)
        }
    }

    /// Runs `work`, cancels it after an idle period (or on SIGINT/SIGTERM)
    /// and waits for it to wind down. Errors of `work` propagate.
    /// `stillWaiting` is asked when the idle period ends: true restarts it.
    static func run(milliseconds: Int, stillWaiting: @escaping @Sendable () -> Bool = { false },
                    _ work: @escaping @Sendable (IdleTimeout) async throws -> Void) async throws {
        let idle = IdleTimeout(milliseconds: milliseconds)
        InterruptSignal.install()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work(idle) }
            group.addTask { await idle.waitUntilIdle(stillWaiting: stillWaiting) }
            try await group.next()
            group.cancelAll()
            while try await group.next() != nil {}
        }
    }
}
