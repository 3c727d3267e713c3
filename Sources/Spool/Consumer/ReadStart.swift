// SPDX-License-Identifier: Apache-2.0

/// Where a plain (group-less) reader starts.
public enum ReadStart: Sendable, Hashable {
    /// The first retained offset.
    case earliest
    /// The end: only records produced from now on.
    case latest
    /// A specific offset (must be within `[start, end]`).
    case offset(Int64)
    /// The first record whose timestamp is >= this (milliseconds since the epoch);
    /// the end when every record is older.
    case timestamp(Int64)
}
