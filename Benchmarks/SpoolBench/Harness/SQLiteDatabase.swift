// SPDX-License-Identifier: Apache-2.0
// A bare SQLite connection for the sqlite-log reference workload: the code a
// user would write (C API, WAL, prepared statements), deliberately not
// Spool's MetadataStore. Errors keep the result code, the SQL and SQLite's
// message.
import CSQLite

// MARK: Invariants
// I1. `handle` is open from init until deinit; statements are finalized
//     (by their owners) before the connection closes.

final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    init(path: String, synchronous: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw BenchError("sqlite3_open_v2 \(path): code \(rc)")
        }
        handle = db
        self.path = path
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=\(synchronous)")
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32, _ sql: String) -> BenchError {
        BenchError("sqlite code \(rc) (\(String(cString: sqlite3_errmsg(handle)))) in \(sql) [\(path)]")
    }

    /// Runs SQL that returns no rows we need (rows are stepped over).
    func execute(_ sql: String) throws {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var rc = sqlite3_step(statement)
        while rc == SQLITE_ROW { rc = sqlite3_step(statement) }
        guard rc == SQLITE_DONE else { throw error(rc, sql) }
    }

    /// A prepared statement; the caller finalizes it.
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql) }
        return statement
    }

    /// Steps a statement that returns no rows, then resets it (bindings stay).
    @inline(__always)
    func run(_ statement: OpaquePointer, _ sql: StaticString) throws {
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard rc == SQLITE_DONE else { throw error(rc, "\(sql)") }
    }
}
