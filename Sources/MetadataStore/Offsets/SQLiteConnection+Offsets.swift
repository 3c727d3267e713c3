// SPDX-License-Identifier: Apache-2.0
// Committed-offsets SQL. `upsertOffsets` reuses one cached UPSERT statement for
// every row and opens no transaction itself: callers batch many commits into
// one transaction (one fsync with synchronous=FULL), which is what makes
// coalesced commits fast.

extension SQLiteConnection {
    static let upsertOffsetSQL = """
        INSERT INTO offsets (group_id, topic, partition, next_offset, metadata, commit_time)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (group_id, topic, partition) DO UPDATE SET
            next_offset = excluded.next_offset,
            metadata = excluded.metadata,
            commit_time = excluded.commit_time
        """

    /// Inserts or replaces each row. All rows are validated before any is written.
    /// Later rows for the same partition win.
    package func upsertOffsets(_ rows: [OffsetCommitRow]) throws(MetadataError) {
        for row in rows { try row.validate() }
        let statement = try prepare(Self.upsertOffsetSQL)
        for row in rows {
            try statement.bind(row.group, at: 1)
            try statement.bind(row.topic, at: 2)
            try statement.bind(row.partition, at: 3)
            try statement.bind(row.nextOffset, at: 4)
            try statement.bind(row.metadata, at: 5)
            try statement.bind(row.commitTime, at: 6)
            try statement.run()
        }
    }

    /// Every committed offset of `group`, ordered by topic then partition.
    package func selectOffsets(group: String) throws(MetadataError) -> [OffsetCommitRow] {
        var rows: [OffsetCommitRow] = []
        try query(
            """
            SELECT topic, partition, next_offset, metadata, commit_time FROM offsets
            WHERE group_id = ?1 ORDER BY topic, partition
            """, [.text(group)]
        ) { row throws(MetadataError) in
            rows.append(
                OffsetCommitRow(
                    group: group, topic: row.text(at: 0), partition: Int32(truncatingIfNeeded: row.int64(at: 1)),
                    nextOffset: row.int64(at: 2), metadata: row.text(at: 3), commitTime: row.int64(at: 4)))
        }
        return rows
    }

    /// Deletes every committed offset of `group`; returns how many rows went.
    @discardableResult
    package func deleteOffsetRows(group: String) throws(MetadataError) -> Int {
        try run("DELETE FROM offsets WHERE group_id = ?1", [.text(group)])
    }
}
