// SPDX-License-Identifier: Apache-2.0
// When an append is acknowledged relative to fdatasync. The exact loss
// window of each mode is documented in docs/durability.md.

package enum Durability: Sendable, Equatable, CustomStringConvertible {
    /// The append returns only after fdatasync of its bytes. Concurrent
    /// appenders share one fdatasync (group commit). Survives power loss.
    case fsyncEachBatch
    /// The append returns after the write(2); a sync runs when `milliseconds`
    /// passed since the last one, checked on each append and by the owner's
    /// periodic `flushIfDue` (Spool's maintenance task runs it every 100 ms).
    /// A power loss may lose up to that window (plus one tick).
    case interval(milliseconds: Int64)
    /// The append returns after the write(2); data reaches the disk when the
    /// kernel writes it back (or at roll and close). Survives a process crash,
    /// not a power loss.
    case none

    package var description: String {
        switch self {
        case .fsyncEachBatch: "fsyncEachBatch"
        case .interval(let ms): "interval(\(ms)ms)"
        case .none: "none"
        }
    }
}
