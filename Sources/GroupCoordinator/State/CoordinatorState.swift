// SPDX-License-Identifier: Apache-2.0
// All hard state of the coordinator: the value that replay rebuilds and that
// tests compare (`==`) between a live coordinator and one reopened from disk.

// MARK: Invariants
// I1 Holds hard state only (what persistence stores); soft state lives in
//    `GroupSoftState`, so `==` compares exactly what a reopen can rebuild.
// I2 `apply` is total and deterministic: mutations for an unknown group are
//    ignored, never trapped on, so a damaged database cannot crash replay.

/// Every group's hard state. Equatable: this IS the replay-equivalence snapshot.
package struct CoordinatorState: Hashable, Sendable {
    package var groups: [String: GroupEntry] = [:]

    package init() {}

    /// Applies one mutation. Used live (after the transaction committed) and at
    /// open (replaying rows read back from the database) — the same code, so
    /// both paths produce the same state.
    package mutating func apply(_ mutation: GroupMutation) {
        switch mutation {
        case .groupUpserted(let record):
            if groups[record.groupID] == nil {
                groups[record.groupID] = GroupEntry(record: record)
            } else {
                groups[record.groupID]?.apply(mutation)
            }
        case .groupDeleted(let groupID):
            groups[groupID] = nil
        default:
            groups[mutation.groupID]?.apply(mutation)
        }
    }

    package mutating func apply(_ mutations: [GroupMutation]) {
        for mutation in mutations { apply(mutation) }
    }
}
