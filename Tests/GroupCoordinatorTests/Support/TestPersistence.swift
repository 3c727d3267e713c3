// SPDX-License-Identifier: Apache-2.0
// Persistence wrappers for tests: one that fails on demand, one that counts
// transactions, one that holds the first transaction until a condition holds.
import GroupCoordinator
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct InjectedFailure: Error, CustomStringConvertible {
    var description: String { "injected persistence failure" }
}

/// Forwards to `inner`; throws `InjectedFailure` (writing nothing) while `failing` is set.
final class ControlledPersistence: GroupPersistence, Sendable {
    let inner: any GroupPersistence & Sendable
    private let control = Mutex((failing: false, transactions: 0, mutations: 0))
    /// Runs once before the next transaction (the coordinator holds only its writer lock).
    private let gate: Mutex<(@Sendable ([GroupMutation]) -> Void)?> = Mutex(nil)

    init(_ inner: any GroupPersistence & Sendable) { self.inner = inner }

    var failing: Bool {
        get { control.withLock { $0.failing } }
        set { control.withLock { $0.failing = newValue } }
    }

    var transactionCount: Int { control.withLock { $0.transactions } }

    /// `body` runs once, before the next transaction, with its mutations.
    func setGate(_ body: (@Sendable ([GroupMutation]) -> Void)?) { gate.withLock { $0 = body } }

    func persist(_ mutations: [GroupMutation]) throws {
        if let body = gate.withLock({ g -> (@Sendable ([GroupMutation]) -> Void)? in
            let b = g
            g = nil
            return b
        }) {
            body(mutations)
        }
        if failing { throw InjectedFailure() }
        try inner.persist(mutations)
        control.withLock {
            $0.transactions += 1
            $0.mutations += mutations.count
        }
    }

    func loadAll() throws -> [GroupMutation] { try inner.loadAll() }
}

func sleepMillis(_ ms: Int) {
    var ts = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    nanosleep(&ts, nil)
}
