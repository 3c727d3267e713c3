// SPDX-License-Identifier: Apache-2.0
// Group persistence on the metadata database: writes mutations into the
// groups / members / assignments / offsets tables (Migrations/0001_initial.sql)
// in one transaction, and reads the tables back as mutations at open.
import MetadataStore

// MARK: Invariants
// I1 One `persist` call = one SQLite transaction (BEGIN IMMEDIATE … COMMIT):
//    all of its mutations are stored or none.
// I2 Row model of `assignments` (one row per owned partition, PK group/topic/partition):
//    state 'assigned'          = in the owner's `assigned`;
//    state 'pendingRevocation' = in the owner's `revoking`; `pending_member_id`
//                                names the member whose `pending` holds it (or NULL).
//    A pending partition is always revoking at another member (GroupEntry I3),
//    so every pending entry has a row to be recorded on; a batch that breaks
//    this is refused (the transaction rolls back).
// I3 Pending markers are written after all owner rows of the batch (second
//    pass) from each changed member's final pending set, so the order of
//    `assignmentReplaced` mutations within a batch does not matter.

/// `GroupPersistence` over a `MetadataStore`. Sendable: it only holds the
/// store, which serializes every use of its connection.
package final class SQLiteGroupStore: GroupPersistence, Sendable {
    package let store: MetadataStore

    package init(store: MetadataStore) {
        self.store = store
    }

    // MARK: - Writing

    package func persist(_ mutations: [GroupMutation]) throws {
        guard !mutations.isEmpty else { return }
        try store.transaction { db in try Self.write(mutations, to: db) }
    }

    private struct MemberKey: Hashable {
        var groupID: String
        var memberID: String
    }

    private static func write(_ mutations: [GroupMutation], to db: SQLiteConnection) throws(MetadataError) {
        var finalGeneration = [String: Int32]()
        for case .groupUpserted(let record) in mutations { finalGeneration[record.groupID] = record.generation }
        var finalPending = [MemberKey: Set<TopicPartition>]()
        var pendingOrder = [MemberKey]()

        for mutation in mutations {
            switch mutation {
            case .groupUpserted(let r):
                try db.run(
                    """
                    INSERT INTO groups (group_id, generation, assignor, state, created_at, updated_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                    ON CONFLICT (group_id) DO UPDATE SET generation = excluded.generation,
                        assignor = excluded.assignor, state = excluded.state,
                        created_at = excluded.created_at, updated_at = excluded.updated_at
                    """,
                    [
                        .text(r.groupID), .integer(Int64(r.generation)), .text(r.assignor.rawValue), .text(r.state.rawValue),
                        .integer(r.createdAtMillis), .integer(r.updatedAtMillis),
                    ])
            case .groupDeleted(let groupID):
                for table in ["offsets", "assignments", "members", "groups"] {
                    try db.run("DELETE FROM \(table) WHERE group_id = ?1", [.text(groupID)])
                }
                for key in finalPending.keys where key.groupID == groupID { finalPending[key] = nil }
            case .memberUpserted(let groupID, let m):
                try db.run(
                    """
                    INSERT INTO members (group_id, member_id, instance_id, client_id, subscription,
                        session_timeout_ms, rebalance_timeout_ms, joined_generation)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    ON CONFLICT (group_id, member_id) DO UPDATE SET instance_id = excluded.instance_id,
                        client_id = excluded.client_id, subscription = excluded.subscription,
                        session_timeout_ms = excluded.session_timeout_ms,
                        rebalance_timeout_ms = excluded.rebalance_timeout_ms,
                        joined_generation = excluded.joined_generation
                    """,
                    [
                        .text(groupID), .text(m.memberID), m.instanceID.map { .text($0) } ?? .null, .text(m.clientID),
                        .text(m.subscription.joined(separator: ",")), .integer(Int64(m.sessionTimeoutMs)),
                        .integer(Int64(m.rebalanceTimeoutMs)), .integer(Int64(m.joinedGeneration)),
                    ])
            case .memberRemoved(let groupID, let memberID):
                try db.run("DELETE FROM assignments WHERE group_id = ?1 AND member_id = ?2", [.text(groupID), .text(memberID)])
                try db.run(
                    "UPDATE assignments SET pending_member_id = NULL WHERE group_id = ?1 AND pending_member_id = ?2",
                    [.text(groupID), .text(memberID)])
                try db.run("DELETE FROM members WHERE group_id = ?1 AND member_id = ?2", [.text(groupID), .text(memberID)])
                finalPending[MemberKey(groupID: groupID, memberID: memberID)] = nil
            case .assignmentReplaced(let groupID, let memberID, let a):
                try writeOwnedRows(
                    groupID: groupID, memberID: memberID, assignment: a, generation: finalGeneration[groupID], db: db)
                let key = MemberKey(groupID: groupID, memberID: memberID)
                if finalPending.updateValue(a.pending, forKey: key) == nil { pendingOrder.append(key) }
            case .offsetsCommitted(let groupID, let commits):
                try db.upsertOffsets(
                    commits.map {
                        OffsetCommitRow(
                            group: groupID, topic: $0.partition.topic, partition: $0.partition.partition,
                            nextOffset: $0.committed.offset, metadata: $0.committed.metadata,
                            commitTime: $0.committed.commitTimeMillis)
                    })
            case .offsetsDeleted(let groupID, let topic):
                try db.run("DELETE FROM offsets WHERE group_id = ?1 AND topic = ?2", [.text(groupID), .text(topic)])
            }
        }

        // Second pass (keeps I3): pending markers from each changed member's final set.
        for key in pendingOrder {
            guard let pending = finalPending[key] else { continue }
            try db.run(
                "UPDATE assignments SET pending_member_id = NULL WHERE group_id = ?1 AND pending_member_id = ?2",
                [.text(key.groupID), .text(key.memberID)])
            for p in pending.sorted() {
                let changed = try db.run(
                    """
                    UPDATE assignments SET pending_member_id = ?2
                    WHERE group_id = ?1 AND topic = ?3 AND partition = ?4 AND state = 'pendingRevocation'
                    """,
                    [.text(key.groupID), .text(key.memberID), .text(p.topic), .integer(Int64(p.partition))])
                if changed != 1 {
                    throw MetadataError(
                        .invalidArgument,
                        "group \(key.groupID): \(p) pending for \(key.memberID) but no member is revoking it")
                }
            }
        }
    }

    /// Makes the member's rows equal its owned partitions (assigned + revoking).
    private static func writeOwnedRows(
        groupID: String, memberID: String, assignment: MemberAssignment, generation: Int32?, db: SQLiteConnection
    ) throws(MetadataError) {
        var stale = [TopicPartition]()
        try db.query(
            "SELECT topic, partition FROM assignments WHERE group_id = ?1 AND member_id = ?2",
            [.text(groupID), .text(memberID)]
        ) { row throws(MetadataError) in
            let p = TopicPartition(row.text(at: 0), Int32(truncatingIfNeeded: row.int64(at: 1)))
            if !assignment.assigned.contains(p) && !assignment.revoking.contains(p) { stale.append(p) }
        }
        for p in stale {
            try db.run(
                "DELETE FROM assignments WHERE group_id = ?1 AND topic = ?2 AND partition = ?3 AND member_id = ?4",
                [.text(groupID), .text(p.topic), .integer(Int64(p.partition)), .text(memberID)])
        }
        // A revoking row keeps its pending marker while it stays with the same
        // owner; the second pass rewrites markers of every changed member anyway.
        let upsert = try db.prepare(
            """
            INSERT INTO assignments (group_id, topic, partition, member_id, generation, state, pending_member_id)
            VALUES (?1, ?2, ?3, ?4, COALESCE(?5, (SELECT generation FROM groups WHERE group_id = ?1), 0), ?6, NULL)
            ON CONFLICT (group_id, topic, partition) DO UPDATE SET
                pending_member_id = CASE WHEN assignments.member_id = excluded.member_id
                    AND excluded.state = 'pendingRevocation' THEN assignments.pending_member_id ELSE NULL END,
                member_id = excluded.member_id, generation = excluded.generation, state = excluded.state
            """)
        for (partitions, state) in [(assignment.assigned, "assigned"), (assignment.revoking, "pendingRevocation")] {
            for p in partitions.sorted() {
                try upsert.bind(groupID, at: 1)
                try upsert.bind(p.topic, at: 2)
                try upsert.bind(p.partition, at: 3)
                try upsert.bind(memberID, at: 4)
                try upsert.bind(generation.map { Int64($0) }, at: 5)
                try upsert.bind(state, at: 6)
                try upsert.run()
            }
        }
    }

    // MARK: - Reading

    package func loadAll() throws -> [GroupMutation] {
        try store.withConnection { db in try Self.read(db) }
    }

    private static func read(_ db: SQLiteConnection) throws(MetadataError) -> [GroupMutation] {
        var records = [String: GroupRecord]()
        var groupOrder = [String]()
        try db.query("SELECT group_id, generation, assignor, state, created_at, updated_at FROM groups ORDER BY group_id") {
            row throws(MetadataError) in
            let groupID = row.text(at: 0)
            guard let assignor = AssignorKind(rawValue: row.text(at: 2)) else {
                throw MetadataError(.corrupt, "group \(groupID): unknown assignor '\(row.text(at: 2))'", path: db.path)
            }
            guard let state = GroupState(rawValue: row.text(at: 3)) else {
                throw MetadataError(.corrupt, "group \(groupID): unknown state '\(row.text(at: 3))'", path: db.path)
            }
            records[groupID] = GroupRecord(
                groupID: groupID, generation: try int32(row.int64(at: 1), "groups.generation", db), assignor: assignor,
                state: state, createdAtMillis: row.int64(at: 4), updatedAtMillis: row.int64(at: 5))
            groupOrder.append(groupID)
        }

        var members = [String: [MemberRecord]]()
        try db.query(
            """
            SELECT group_id, member_id, instance_id, client_id, subscription, session_timeout_ms,
                rebalance_timeout_ms, joined_generation FROM members ORDER BY group_id, member_id
            """
        ) { row throws(MetadataError) in
            let subscription = row.text(at: 4).split(separator: ",").map(String.init)
            members[row.text(at: 0), default: []].append(
                MemberRecord(
                    memberID: row.text(at: 1), instanceID: row.optionalText(at: 2), clientID: row.text(at: 3),
                    subscription: subscription, sessionTimeoutMs: try int32(row.int64(at: 5), "members.session_timeout_ms", db),
                    rebalanceTimeoutMs: try int32(row.int64(at: 6), "members.rebalance_timeout_ms", db),
                    joinedGeneration: try int32(row.int64(at: 7), "members.joined_generation", db)))
        }

        var assignments = [MemberKey: MemberAssignment]()
        try db.query(
            "SELECT group_id, topic, partition, member_id, state, pending_member_id FROM assignments ORDER BY group_id, topic, partition"
        ) { row throws(MetadataError) in
            let groupID = row.text(at: 0)
            let p = TopicPartition(row.text(at: 1), try int32(row.int64(at: 2), "assignments.partition", db))
            let owner = MemberKey(groupID: groupID, memberID: row.text(at: 3))
            switch row.text(at: 4) {
            case "assigned": assignments[owner, default: .empty].assigned.insert(p)
            case "pendingRevocation": assignments[owner, default: .empty].revoking.insert(p)
            default: throw MetadataError(.corrupt, "assignment \(p) of group \(groupID): unknown state '\(row.text(at: 4))'", path: db.path)
            }
            if let pendingMember = row.optionalText(at: 5) {
                assignments[MemberKey(groupID: groupID, memberID: pendingMember), default: .empty].pending.insert(p)
            }
        }

        var offsets = [String: [OffsetCommit]]()
        try db.query(
            "SELECT group_id, topic, partition, next_offset, metadata, commit_time FROM offsets ORDER BY group_id, topic, partition"
        ) { row throws(MetadataError) in
            let groupID = row.text(at: 0)
            let commit = OffsetCommit(
                partition: TopicPartition(row.text(at: 1), try int32(row.int64(at: 2), "offsets.partition", db)),
                committed: CommittedOffset(offset: row.int64(at: 3), metadata: row.text(at: 4), commitTimeMillis: row.int64(at: 5)))
            // Offsets written without a group row (the store's own offsets API)
            // still belong to a group: give it an empty header.
            if records[groupID] == nil {
                records[groupID] = GroupRecord(
                    groupID: groupID, generation: 0, assignor: .default, state: .empty,
                    createdAtMillis: commit.committed.commitTimeMillis, updatedAtMillis: commit.committed.commitTimeMillis)
                groupOrder.append(groupID)
            }
            offsets[groupID, default: []].append(commit)
        }

        var mutations = [GroupMutation]()
        for groupID in groupOrder.sorted() {
            guard let record = records[groupID] else { continue }
            mutations.append(.groupUpserted(record))
            let groupMembers = members[groupID] ?? []
            for member in groupMembers { mutations.append(.memberUpserted(groupID: groupID, member)) }
            for member in groupMembers {
                if let a = assignments[MemberKey(groupID: groupID, memberID: member.memberID)] {
                    mutations.append(.assignmentReplaced(groupID: groupID, memberID: member.memberID, a))
                }
            }
            if let commits = offsets[groupID] { mutations.append(.offsetsCommitted(groupID: groupID, commits)) }
        }
        return mutations
    }

    private static func int32(_ value: Int64, _ column: String, _ db: SQLiteConnection) throws(MetadataError) -> Int32 {
        guard let narrowed = Int32(exactly: value) else {
            throw MetadataError(.corrupt, "\(column) value \(value) out of range", path: db.path)
        }
        return narrowed
    }
}
