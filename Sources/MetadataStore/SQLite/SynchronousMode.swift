// SPDX-License-Identifier: Apache-2.0
// `PRAGMA synchronous` settings and what each one promises in WAL mode
// (docs/metadata.md has the full trade-off).

/// How hard SQLite syncs on commit. Spool always runs the database in WAL mode.
package enum SynchronousMode: String, Sendable, Equatable, CaseIterable {
    /// The WAL is fsynced at every commit: a committed transaction survives power loss.
    case full = "FULL"
    /// The WAL is fsynced only at checkpoints: a committed transaction survives a
    /// process crash; a power loss may drop the last commits but never corrupts.
    case normal = "NORMAL"
    /// No fsync at all: an OS crash or power loss may corrupt the database. Tests and benchmarks only.
    case off = "OFF"

    /// The integer `PRAGMA synchronous` returns for this mode.
    package var pragmaValue: Int64 {
        switch self {
        case .off: 0
        case .normal: 1
        case .full: 2
        }
    }

    package init?(pragmaValue: Int64) {
        switch pragmaValue {
        case 0: self = .off
        case 1: self = .normal
        case 2: self = .full
        default: return nil
        }
    }
}
