// SPDX-License-Identifier: Apache-2.0
// The thin SQLite layer: configuration at open, typed errors, statements,
// the statement cache, and transactions.
import CSQLite
import MetadataStore
import Testing

@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    @Test("open puts the database in WAL mode with the requested synchronous setting", arguments: SynchronousMode.allCases)
    func walAndSynchronous(mode: SynchronousMode) throws {
        let tmp = TemporaryDatabase()
        let db = try SQLiteConnection(path: tmp.path, synchronous: mode)
        #expect(try db.journalMode() == "wal")
        #expect(try db.synchronousMode() == mode)
        #expect(try db.scalarInt64("PRAGMA synchronous") == mode.pragmaValue)
        #expect(try db.scalarInt64("PRAGMA foreign_keys") == 1)
        #expect(try db.scalarInt64("PRAGMA busy_timeout") == 5_000)
    }

    @Test("a store opened with a synchronous mode runs its connection in that mode")
    func storeSynchronous() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open(synchronous: .normal)
        #expect(try store.withConnection { try $0.synchronousMode() } == .normal)
        #expect(try store.withConnection { try $0.journalMode() } == "wal")
    }

    @Test("a syntax error carries the result code, the extended code, the message and the SQL")
    func syntaxError() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let error = metadataError { try db.prepare("SELEC 1") }
        #expect(error?.code == .sqlite)
        #expect(error?.resultCode == SQLITE_ERROR)
        #expect(error?.extendedCode == SQLITE_ERROR)
        #expect(error?.sql == "SELEC 1")
        #expect(error?.message.contains("syntax error") == true)
    }

    @Test("a constraint violation reports SQLITE_CONSTRAINT with the PRIMARYKEY extended code")
    func constraintError() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY NOT NULL, v TEXT) STRICT")
        try db.run("INSERT INTO t VALUES (1, 'a')")
        let sql = "INSERT INTO t (k, v) VALUES (?1, ?2)"
        let error = metadataError { try db.run(sql, [1, "b"]) }
        #expect(error?.code == .constraint)
        #expect(error?.resultCode == SQLITE_CONSTRAINT)
        #expect(error?.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error?.sql == sql)
        #expect(try db.scalarText("SELECT v FROM t WHERE k = 1") == "a")
    }

    @Test("execute reports the failing script and the code of its failing statement")
    func executeError() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let script = "CREATE TABLE a (x); INSERT INTO missing VALUES (1)"
        let error = metadataError { try db.execute(script) }
        #expect(error?.resultCode == SQLITE_ERROR)
        #expect(error?.sql == script)
        #expect(error?.message.contains("no such table") == true)
    }

    @Test("values of every bound type come back unchanged")
    func bindRoundTrip() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE v (i INTEGER, r REAL, t TEXT, b BLOB, n TEXT)")
        let text = "ordérs \u{1F600} a\u{0}b"
        let statement = try db.prepare("INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)")
        try statement.bind(Int64.min, at: 1)
        try statement.bind(-0.5, at: 2)
        try statement.bind(text, at: 3)
        try statement.bind([0, 1, 255], at: 4)
        try statement.bindNull(at: 5)
        try statement.run()
        try db.run("INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)", [.integer(Int64.max), 1.5, "", .blob([]), nil])
        var rows: [(Int64, Double, String, [UInt8], Bool, Bool)] = []
        try db.query("SELECT i, r, t, b, n FROM v ORDER BY rowid") { row in
            rows.append((row.int64(at: 0), row.double(at: 1), row.text(at: 2), row.blob(at: 3),
                         row.isNull(at: 3), row.isNull(at: 4)))
        }
        try #require(rows.count == 2)
        #expect(rows[0].0 == Int64.min && rows[0].1 == -0.5 && rows[0].2 == text && rows[0].3 == [0, 1, 255])
        #expect(rows[0].5)
        // "" and an empty blob are stored as values, not as NULL.
        #expect(rows[1].0 == Int64.max && rows[1].2 == "" && rows[1].3 == [] && !rows[1].4)
        #expect(try db.scalarInt64("SELECT count(*) FROM v WHERE t IS NOT NULL") == 2)
    }

    @Test("binding the wrong number of values is refused")
    func bindCount() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let error = metadataError { try db.run("SELECT ?1, ?2", [1]) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("prepare refuses a second statement but allows a trailing comment")
    func singleStatement() throws {
        let db = try SQLiteConnection(path: ":memory:")
        #expect(metadataError { try db.prepare("SELECT 1; SELECT 2") }?.code == .invalidArgument)
        #expect(try db.scalarInt64("SELECT 7; -- seven\n") == 7)
    }

    @Test("prepare returns the same cached statement for the same SQL")
    func statementCache() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let before = db.cachedStatementCount
        let a = try db.prepare("SELECT 1")
        let b = try db.prepare("SELECT 1")
        let c = try db.prepare("SELECT 2")
        #expect(a === b)
        #expect(a !== c)
        #expect(a.isCached)
        #expect(db.cachedStatementCount == before + 2)
        #expect(try db.prepareUncached("SELECT 1") !== a)
    }

    @Test("a cached statement in use by query is not reset by a nested query of the same SQL")
    func nestedQuerySameSQL() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE n (x INTEGER); INSERT INTO n VALUES (1), (2), (3)")
        let sql = "SELECT x FROM n ORDER BY x"
        var pairs: [(Int64, Int64)] = []
        try db.query(sql) { (outer) throws(MetadataError) in
            let x = outer.int64(at: 0)
            try db.query(sql) { inner in pairs.append((x, inner.int64(at: 0))) }
        }
        #expect(pairs.count == 9)
        #expect(pairs.map(\.0) == [1, 1, 1, 2, 2, 2, 3, 3, 3])
    }

    @Test("a transaction commits when its body returns")
    func transactionCommits() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        let value = try db.transaction { db in
            try db.run("INSERT INTO t VALUES (1)")
            #expect(db.isInTransaction)
            return db.lastInsertRowID
        }
        #expect(value == 1)
        #expect(!db.isInTransaction)
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 1)
    }

    struct Boom: Error, Equatable {}

    @Test("a transaction whose body throws rolls back and rethrows the body's error")
    func transactionRollsBack() throws {
        let tmp = TemporaryDatabase()
        let db = try SQLiteConnection(path: tmp.path)
        try db.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try db.run("INSERT INTO t VALUES (1)")
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 0)
        // A second connection agrees: nothing reached the file.
        let other = try SQLiteConnection(path: tmp.path)
        #expect(try other.scalarInt64("SELECT count(*) FROM t") == 0)
    }

    @Test("a failing statement inside a transaction rolls back the statements before it")
    func transactionRollsBackOnSQLError() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        let error = metadataError {
            try db.transaction { db in
                try db.run("INSERT INTO t VALUES (1)")
                try db.run("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error?.code == .constraint)
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 0)
    }

    @Test("a nested transaction is a savepoint: its failure undoes only its own work")
    func nestedTransaction() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.transaction { db in
            try db.run("INSERT INTO t VALUES (1)")
            #expect(throws: Boom.self) {
                try db.transaction { db in
                    try db.run("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            try db.transaction { db in try db.run("INSERT INTO t VALUES (3)") }
        }
        var xs: [Int64] = []
        try db.query("SELECT x FROM t ORDER BY x") { xs.append($0.int64(at: 0)) }
        #expect(xs == [1, 3])
    }

    @Test("changes counts the rows of the last write")
    func changes() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)")
        #expect(try db.run("UPDATE t SET x = x + 1 WHERE x >= 2") == 2)
        #expect(db.changes == 2)
    }
}
