// SPDX-License-Identifier: Apache-2.0
// A persistence that keeps "stored" state in memory: for tests and for
// embedders that want groups without a database file.

// MARK: Invariants
// I1 `stored.state` is the result of applying every committed transaction in
//    order; `loadAll` returns it as mutations (`asMutations`), as SQLite would.
import Synchronization

/// Stores state by applying each transaction to a private `CoordinatorState`.
/// Sharing one instance between two coordinators in turn simulates a restart.
/// Thread-safe (its own Mutex), so tests may inspect it while a coordinator runs.
package final class InMemoryGroupPersistence: GroupPersistence, Sendable {
    private struct Stored {
        var state = CoordinatorState()
        var transactions = 0
    }

    private let stored = Mutex(Stored())

    package init() {}

    package func persist(_ mutations: [GroupMutation]) throws {
        stored.withLock { s in
            s.state.apply(mutations)
            s.transactions += 1
        }
    }

    package func loadAll() throws -> [GroupMutation] {
        stored.withLock { $0.state.asMutations() }
    }

    /// How many transactions were committed so far.
    package var transactionCount: Int { stored.withLock { $0.transactions } }

    /// The state as stored (what a reopen would rebuild).
    package var storedState: CoordinatorState { stored.withLock { $0.state } }
}
