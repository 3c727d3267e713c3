// SPDX-License-Identifier: Apache-2.0
// The server-side assignors a group can use, by their stored name.

/// Which assignor computes a group's target assignment. The raw value is what
/// is stored in SQLite (`groups.assignor`) and what the CLI prints.
package enum AssignorKind: String, Sendable, Hashable, CaseIterable {
    /// Per topic, members in order, the first `P mod C` take one extra (the default).
    case range
    /// All partitions in order, dealt one by one over the members in order.
    case roundRobin = "roundrobin"
    /// Balanced within one, keeping as many partitions with their owner as possible.
    case sticky

    /// The assignor a group gets when the first member does not ask for one.
    package static let `default`: AssignorKind = .range

    package var assignor: any PartitionAssignor {
        switch self {
        case .range: RangeAssignor()
        case .roundRobin: RoundRobinAssignor()
        case .sticky: StickyAssignor()
        }
    }
}
