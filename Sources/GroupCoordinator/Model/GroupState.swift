// SPDX-License-Identifier: Apache-2.0
// The observable state of a consumer group, derived from its members and assignment.

/// A group's state. It is derived from hard state after every mutation (never
/// set by hand), stored in `groups.state` for readers of the database, and
/// recomputed on replay.
///
/// ```
///              first join                    all revocations acknowledged
///   (none) ───────────────► Reconciling ─────────────────────────────► Stable
///                               ▲   │ ◄──────────────────────────────────┘ │
///                               │   │   join / leave / expiry / topic change
///                               │   │   that moves partitions              │
///                               │   └──────── last member gone ─────────►  │
///                               │                                    Empty ◄┘
///                               └───────────── join ──────────────────┘
///   deleteGroup: Empty ──► (none)   (groups with live members are refused)
/// ```
package enum GroupState: String, Sendable, Hashable, CaseIterable {
    /// No members. Offsets are kept; the group can be described, reset or deleted.
    case empty = "Empty"
    /// Members exist and some partition is waiting: revoked from its old owner
    /// and not yet acknowledged, so its new owner cannot have it yet.
    case reconciling = "Reconciling"
    /// Members exist and every member owns exactly its target partitions.
    case stable = "Stable"
}
