// SPDX-License-Identifier: Apache-2.0
// "Stop when no message arrived for T ms" for `spool consume`: the consuming
// work runs in one child task, a watchdog in another; when the watchdog sees
// T ms without `touch()` it cancels the work. Cancellation only ends the
// work's waits (Spool's long polls honour it); a batch already handed out is
// still printed and committed before the work returns.
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

    /// Returns once `timeout` passed without a `touch()` (or on cancellation).
    func waitUntilIdle() async {
        while !Task.isCancelled {
            let deadline = lastActivity.withLock { $0 } + timeout
            if ContinuousClock.now >= deadline { return }
            try? await Task.sleep(until: deadline, clock: .continuous)
        }
    }

    /// Runs `work`, cancels it after an idle period and waits for it to wind
    /// down. Errors of `work` propagate.
    static func run(milliseconds: Int, _ work: @escaping @Sendable (IdleTimeout) async throws -> Void) async throws {
        let idle = IdleTimeout(milliseconds: milliseconds)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work(idle) }
            group.addTask { await idle.waitUntilIdle() }
            try await group.next()
            group.cancelAll()
            while try await group.next() != nil {}
        }
    }
}
