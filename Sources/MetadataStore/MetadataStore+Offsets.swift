// SPDX-License-Identifier: Apache-2.0
// Committed offsets: batched upsert (one transaction, one fsync per call),
// fetch and delete per group.

extension MetadataStore {
    /// Writes all `commits` in ONE transaction with a cached UPSERT statement.
    /// Either every row is stored or none (validation happens before any write).
    package func commitOffsets(_ commits: [OffsetCommitRow]) throws(MetadataError) {
        if commits.isEmpty { return }
        try lockedTransaction { db throws(MetadataError) in try db.upsertOffsets(commits) }
    }

    /// Every committed offset of `group`, ordered by topic then partition.
    package func fetchOffsets(group: String) throws(MetadataError) -> [OffsetCommitRow] {
        try locked { db throws(MetadataError) in try db.selectOffsets(group: group) }
    }

    /// Deletes every committed offset of `group`; returns how many rows went.
    @discardableResult
    package func deleteOffsets(group: String) throws(MetadataError) -> Int {
        try lockedTransaction { db throws(MetadataError) in try db.deleteOffsetRows(group: group) }
    }
}
