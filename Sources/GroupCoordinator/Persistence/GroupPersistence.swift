// SPDX-License-Identifier: Apache-2.0
// The narrow seam between the coordinator and its storage (Kafka's
// `PartitionWriter` idea): write a list of mutations atomically, read all back.

/// Where the coordinator keeps its hard state.
///
/// Called only under the coordinator's writer lock, so an implementation needs
/// no locking of its own and may hold a non-Sendable connection.
package protocol GroupPersistence {
    /// Writes `mutations` in ONE transaction: all or nothing. Throwing means
    /// nothing was written (the coordinator then leaves memory untouched).
    func persist(_ mutations: [GroupMutation]) throws
    /// Reads all stored state back as mutations that, applied in order to an
    /// empty `CoordinatorState`, rebuild it.
    func loadAll() throws -> [GroupMutation]
}

extension CoordinatorState {
    /// This state as the mutations that rebuild it: per group (by id) the header,
    /// the members, their assignments, then the offsets. This is the order
    /// persistence layers return from `loadAll`.
    package func asMutations() -> [GroupMutation] {
        var mutations = [GroupMutation]()
        for groupID in groups.keys.sorted() {
            guard let entry = groups[groupID] else { continue }
            mutations.append(.groupUpserted(entry.record))
            for memberID in entry.members.keys.sorted() {
                guard let member = entry.members[memberID] else { continue }
                mutations.append(.memberUpserted(groupID: groupID, member))
            }
            for memberID in entry.assignments.keys.sorted() {
                guard let assignment = entry.assignments[memberID] else { continue }
                mutations.append(.assignmentReplaced(groupID: groupID, memberID: memberID, assignment))
            }
            if !entry.offsets.isEmpty {
                let commits = entry.offsets.keys.sorted().compactMap { tp in
                    entry.offsets[tp].map { OffsetCommit(partition: tp, committed: $0) }
                }
                mutations.append(.offsetsCommitted(groupID: groupID, commits))
            }
        }
        return mutations
    }
}
