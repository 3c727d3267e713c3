// SPDX-License-Identifier: Apache-2.0
// One SQLite connection: open + configure (WAL, synchronous, foreign keys,
// busy timeout), execute, prepare with a per-connection statement cache.
// Not Sendable: `MetadataStore` keeps it inside a Mutex, which is the one lock.
import CSQLite

// MARK: Invariants
// I1 `handle` is open from init until deinit; deinit drops the statement cache,
//    then calls sqlite3_close_v2 (which defers the close while any statement lives).
// I2 Opened with SQLITE_OPEN_NOMUTEX: SQLite does no locking of its own, so every
//    use must be serialized by the owner. The type is not Sendable, so the compiler
//    keeps it inside one isolation region (in practice: `MetadataStore`'s Mutex).
// I3 Extended result codes are on, so every rc we see is extended; the primary
//    code is `rc & 0xFF`.
// I4 `statementCache[sql]` holds statements prepared with SQLITE_PREPARE_PERSISTENT;
//    `prepare(_:)` resets them and clears bindings before handing them out.
// I5 `savepointDepth` counts open `transaction` calls nested inside the outermost
//    BEGIN IMMEDIATE (inner ones are SAVEPOINTs); 0 means none is open.

/// A SQLite connection configured for Spool's metadata.
package final class SQLiteConnection {
    /// Flags for `sqlite3_open_v2`. NOMUTEX is always added.
    package struct OpenFlags: OptionSet, Sendable {
        package let rawValue: Int32
        package init(rawValue: Int32) { self.rawValue = rawValue }

        package static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        package static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        package static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        package static let uri = OpenFlags(rawValue: SQLITE_OPEN_URI)
        package static let readWriteCreate: OpenFlags = [.readWrite, .create]
    }

    /// The path given to open (":memory:" for an in-memory database).
    package let path: String
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]
    var savepointDepth = 0

    /// Opens and configures a connection.
    ///
    /// Order matters: `journal_mode=WAL` is the first statement that reads the
    /// file, so a foreign or damaged file fails here with `.notADatabase` /
    /// `.corrupt` rather than later in some query.
    package init(
        path: String,
        flags: OpenFlags = .readWriteCreate,
        synchronous: SynchronousMode = .full,
        busyTimeoutMilliseconds: Int32 = 5_000
    ) throws(MetadataError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags.rawValue | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let error = MetadataError.sqlite(rc, db: db, sql: nil, path: path)
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        self.path = path
        self.handle = db
        do throws(MetadataError) {
            try execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            if !flags.contains(.readOnly) {
                let mode = try scalarText("PRAGMA journal_mode = WAL")
                // In-memory databases report "memory"; WAL does not apply to them.
                guard mode.lowercased() == "wal" || mode.lowercased() == "memory" else {
                    throw MetadataError(.sqlite, "journal_mode is \(mode), expected wal", path: path)
                }
            }
            try execute("PRAGMA synchronous = \(synchronous.rawValue)")
            try execute("PRAGMA foreign_keys = ON")
        } catch {
            var error = error
            error.path = path
            throw error
        }
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Execution

    /// Runs one or more SQL statements without parameters (sqlite3_exec).
    package func execute(_ sql: String) throws(MetadataError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc != SQLITE_OK { throw MetadataError.sqlite(rc, db: handle, sql: sql, path: path) }
    }

    /// A cached statement for `sql`, reset and with bindings cleared.
    ///
    /// The first call prepares it with SQLITE_PREPARE_PERSISTENT; later calls
    /// reuse it. If that statement is being iterated by `query` right now, a
    /// fresh uncached statement is returned instead.
    package func prepare(_ sql: String) throws(MetadataError) -> Statement {
        if let cached = statementCache[sql] {
            if cached.isBorrowed { return try prepareUncached(sql) }
            sqlite3_reset(cached.handle)
            sqlite3_clear_bindings(cached.handle)
            return cached
        }
        let statement = try makeStatement(sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    /// A statement that is not cached; it is finalized when released.
    package func prepareUncached(_ sql: String) throws(MetadataError) -> Statement {
        try makeStatement(sql, persistent: false)
    }

    private func makeStatement(_ sql: String, persistent: Bool) throws(MetadataError) -> Statement {
        var stmt: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let (rc, trailing): (Int32, Bool) = sql.withCString { base in
            let rc = sqlite3_prepare_v3(handle, base, -1, flags, &stmt, &tail)
            guard rc == SQLITE_OK, let rest = tail, rest.pointee != 0 else { return (rc, false) }
            // Text after the first statement would be silently ignored. Allow it only if it
            // compiles to nothing (whitespace, semicolons, comments).
            var extra: OpaquePointer?
            let rc2 = sqlite3_prepare_v2(handle, rest, -1, &extra, nil)
            defer { sqlite3_finalize(extra) }
            return (rc, rc2 != SQLITE_OK || extra != nil)
        }
        guard rc == SQLITE_OK else { throw MetadataError.sqlite(rc, db: handle, sql: sql, path: path) }
        guard let stmt else {
            throw MetadataError(.invalidArgument, "SQL contains no statement", sql: sql, path: path)
        }
        if trailing {
            sqlite3_finalize(stmt)
            throw MetadataError(
                .invalidArgument, "prepare takes exactly one statement; use execute for scripts", sql: sql,
                path: path)
        }
        return Statement(handle: stmt, sql: sql, isCached: persistent)
    }

    /// Runs a cached statement with `bindings` and calls `body` for each row.
    /// The row view is only valid inside `body`.
    package func query(
        _ sql: String, _ bindings: [SQLiteValue] = [], _ body: (Statement) throws(MetadataError) -> Void
    ) throws(MetadataError) {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        statement.isBorrowed = true
        defer {
            statement.isBorrowed = false
            sqlite3_reset(statement.handle)
        }
        while try statement.step() { try body(statement) }
    }

    /// Runs a cached statement with `bindings` to completion; returns `changes`.
    @discardableResult
    package func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(MetadataError) -> Int {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        try statement.run()
        return changes
    }

    /// The first column of the first row as text (nil when there is no row).
    package func scalarText(_ sql: String, _ bindings: [SQLiteValue] = []) throws(MetadataError) -> String {
        var result: String?
        try query(sql, bindings) { row throws(MetadataError) in if result == nil { result = row.text(at: 0) } }
        guard let result else { throw MetadataError(.sqlite, "query returned no row", sql: sql, path: path) }
        return result
    }

    /// The first column of the first row as an integer (throws when there is no row).
    package func scalarInt64(_ sql: String, _ bindings: [SQLiteValue] = []) throws(MetadataError) -> Int64 {
        var result: Int64?
        try query(sql, bindings) { row throws(MetadataError) in if result == nil { result = row.int64(at: 0) } }
        guard let result else { throw MetadataError(.sqlite, "query returned no row", sql: sql, path: path) }
        return result
    }

    // MARK: State

    /// Rowid of the most recent successful INSERT on this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the most recent INSERT / UPDATE / DELETE.
    package var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True while an explicit transaction is open.
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Number of statements in the cache (for tests and diagnostics).
    package var cachedStatementCount: Int { statementCache.count }

    /// The journal mode in effect ("wal").
    package func journalMode() throws(MetadataError) -> String {
        try scalarText("PRAGMA journal_mode")
    }

    /// The synchronous mode in effect.
    package func synchronousMode() throws(MetadataError) -> SynchronousMode {
        let value = try scalarInt64("PRAGMA synchronous")
        guard let mode = SynchronousMode(pragmaValue: value) else {
            throw MetadataError(.sqlite, "unexpected PRAGMA synchronous value \(value)", path: path)
        }
        return mode
    }
}
