// SPDX-License-Identifier: Apache-2.0
// Committed offsets: batched upsert, fetch, delete, validation, durability across reopen.
import MetadataStore
import Testing

@Suite("Offsets store")
struct OffsetsStoreTests {
    func row(_ group: String, _ topic: String, _ partition: Int32, _ offset: Int64, _ meta: String = "", at time: Int64 = 1)
        -> OffsetCommitRow
    {
        OffsetCommitRow(group: group, topic: topic, partition: partition, nextOffset: offset, metadata: meta, commitTime: time)
    }

    @Test("commits are upserted: the latest commit per partition wins; groups are independent")
    func upsert() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.commitOffsets([row("a", "orders", 0, 5), row("a", "orders", 1, 7), row("b", "orders", 0, 1)])
        try store.commitOffsets([row("a", "orders", 0, 9, "m", at: 2), row("a", "orders", 0, 12, "last", at: 3)])
        #expect(try store.fetchOffsets(group: "a") == [row("a", "orders", 0, 12, "last", at: 3), row("a", "orders", 1, 7)])
        #expect(try store.fetchOffsets(group: "b") == [row("b", "orders", 0, 1)])
        #expect(try store.fetchOffsets(group: "none") == [])
    }

    @Test("deleting a group's offsets removes only that group's rows")
    func delete() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.commitOffsets([row("a", "t", 0, 1), row("a", "t", 1, 1), row("b", "t", 0, 1)])
        #expect(try store.deleteOffsets(group: "a") == 2)
        #expect(try store.fetchOffsets(group: "a") == [])
        #expect(try store.fetchOffsets(group: "b").count == 1)
        #expect(try store.deleteOffsets(group: "a") == 0)
    }

    @Test(
        "a batch with one invalid row writes nothing",
        arguments: [
            OffsetCommitRow(group: "a", topic: "t", partition: 0, nextOffset: -1, commitTime: 0),
            OffsetCommitRow(group: "a", topic: "t", partition: -1, nextOffset: 0, commitTime: 0),
            OffsetCommitRow(group: "", topic: "t", partition: 0, nextOffset: 0, commitTime: 0),
            OffsetCommitRow(group: "a", topic: "", partition: 0, nextOffset: 0, commitTime: 0),
            OffsetCommitRow(
                group: "a", topic: "t", partition: 0, nextOffset: 0,
                metadata: String(repeating: "x", count: OffsetCommitRow.maxMetadataBytes + 1), commitTime: 0),
        ])
    func invalidBatch(bad: OffsetCommitRow) throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let error = metadataError { try store.commitOffsets([row("a", "t", 5, 1), bad]) }
        #expect(error?.code == .invalidArgument)
        #expect(try store.fetchOffsets(group: "a") == [])
    }

    @Test("metadata of exactly the cap is accepted")
    func metadataCap() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let meta = String(repeating: "é", count: OffsetCommitRow.maxMetadataBytes / 2)
        try store.commitOffsets([row("a", "t", 0, 3, meta)])
        #expect(try store.fetchOffsets(group: "a").first?.metadata == meta)
    }

    @Test("committed offsets survive close and reopen", arguments: SynchronousMode.allCases)
    func surviveReopen(mode: SynchronousMode) throws {
        let tmp = TemporaryDatabase()
        let rows = (0..<500).map { row("g", "orders", Int32($0 % 7), Int64($0), "m\($0)", at: Int64($0)) }
        do {
            let store = try tmp.open(synchronous: mode)
            for chunk in stride(from: 0, to: rows.count, by: 50) {
                try store.commitOffsets(Array(rows[chunk..<chunk + 50]))
            }
            store.close()
        }
        let reopened = try tmp.open(synchronous: mode)
        // The last commit per partition wins.
        var expected: [Int32: OffsetCommitRow] = [:]
        for r in rows { expected[r.partition] = r }
        #expect(try reopened.fetchOffsets(group: "g") == expected.values.sorted { $0.partition < $1.partition })
    }

    @Test("the upsert statement is prepared once and reused for every row")
    func statementReused() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        try store.commitOffsets([row("a", "t", 0, 1)])
        let before = try store.withConnection { $0.cachedStatementCount }
        try store.commitOffsets((0..<100).map { row("a", "t", Int32($0), 2) })
        #expect(try store.withConnection { $0.cachedStatementCount } == before)
    }

    @Test("a closed store refuses every call with .closed")
    func closed() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        store.close()
        store.close()
        #expect(metadataError { try store.commitOffsets([row("a", "t", 0, 1)]) }?.code == .closed)
        #expect(metadataError { try store.listTopics() }?.code == .closed)
        #expect(metadataError { try store.withConnection { _ in 1 } }?.code == .closed)
    }

    @Test("a commit that fails at COMMIT time leaves nothing behind")
    func deferredForeignKeyFailure() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        // A member row without its group violates a DEFERRED foreign key: the failure
        // surfaces at COMMIT, after the offsets were written in the same transaction.
        let error = metadataError {
            try store.transaction { db in
                try db.upsertOffsets([row("g", "t", 0, 42)])
                try db.run("""
                    INSERT INTO members (group_id, member_id, subscription, session_timeout_ms, rebalance_timeout_ms, joined_generation)
                    VALUES ('ghost', 'm', 't', 1, 1, 0)
                    """)
            }
        }
        #expect(error?.code == .constraint)
        #expect(error?.sql == "COMMIT")
        #expect(try store.fetchOffsets(group: "g") == [])
        #expect(try store.withConnection { $0.isInTransaction } == false)
    }
}
