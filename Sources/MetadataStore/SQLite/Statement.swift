// SPDX-License-Identifier: Apache-2.0
// A prepared statement: bind parameters (1-based, as SQLite numbers them),
// step, read columns (0-based). Owned by one connection and used under its lock.
import CSQLite

// MARK: Invariants
// I1 `handle` is a live sqlite3_stmt until deinit, which finalizes it. A cached
//    statement is also finalized by deinit: the connection drops its cache before
//    sqlite3_close_v2, and close_v2 keeps the connection alive (zombie) while any
//    statement still exists, so finalizing in either order is safe.
// I2 Errors are read from sqlite3_db_handle(handle), i.e. the owning connection.
// I3 `isBorrowed` is true only while `SQLiteConnection.query` iterates this
//    statement; the cache then hands out a fresh uncached statement instead of
//    resetting one that is mid-iteration.

/// A prepared statement. Not Sendable: it lives inside its connection's lock.
package final class Statement {
    /// The SQL text, kept for error reports.
    package let sql: String
    let handle: OpaquePointer
    /// True for statements owned by the connection's cache (prepared PERSISTENT).
    package let isCached: Bool
    var isBorrowed = false

    init(handle: OpaquePointer, sql: String, isCached: Bool) {
        self.handle = handle
        self.sql = sql
        self.isCached = isCached
    }

    deinit { sqlite3_finalize(handle) }

    private func check(_ rc: Int32) throws(MetadataError) {
        if rc != SQLITE_OK { throw failure(rc) }
    }

    private func failure(_ rc: Int32) -> MetadataError {
        MetadataError.sqlite(rc, db: sqlite3_db_handle(handle), sql: sql)
    }

    // MARK: Binding (1-based parameter index)

    package var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    package func bind(_ value: Int64, at index: Int32) throws(MetadataError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    package func bind(_ value: Int, at index: Int32) throws(MetadataError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    package func bind(_ value: Int32, at index: Int32) throws(MetadataError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    package func bind(_ value: Double, at index: Int32) throws(MetadataError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    package func bind(_ value: String, at index: Int32) throws(MetadataError) {
        let count = value.utf8.count
        guard count <= Int(Int32.max) else {
            throw MetadataError(.invalidArgument, "text of \(count) bytes is too large to bind", sql: sql)
        }
        // withCString gives a valid pointer even for "" (a nil pointer would bind NULL).
        let rc = value.withCString { csqlite_bind_text_transient(handle, index, $0, Int32(count)) }
        try check(rc)
    }

    package func bind(_ value: [UInt8], at index: Int32) throws(MetadataError) {
        guard value.count <= Int(Int32.max) else {
            throw MetadataError(.invalidArgument, "blob of \(value.count) bytes is too large to bind", sql: sql)
        }
        // An empty array may have a nil base address, which would bind NULL; bind a zero-length blob instead.
        let rc =
            value.isEmpty
            ? sqlite3_bind_zeroblob(handle, index, 0)
            : value.withUnsafeBytes { csqlite_bind_blob_transient(handle, index, $0.baseAddress, Int32($0.count)) }
        try check(rc)
    }

    package func bindNull(at index: Int32) throws(MetadataError) {
        try check(sqlite3_bind_null(handle, index))
    }

    package func bind(_ value: String?, at index: Int32) throws(MetadataError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    package func bind(_ value: Int64?, at index: Int32) throws(MetadataError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    package func bind(_ value: SQLiteValue, at index: Int32) throws(MetadataError) {
        switch value {
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try bind(v, at: index)
        case .text(let v): try bind(v, at: index)
        case .blob(let v): try bind(v, at: index)
        case .null: try bindNull(at: index)
        }
    }

    /// Binds `values` to parameters 1…n. The count must match the statement's parameters.
    package func bind(_ values: [SQLiteValue]) throws(MetadataError) {
        guard values.count == Int(parameterCount) else {
            throw MetadataError(
                .invalidArgument, "statement has \(parameterCount) parameters, \(values.count) values given",
                sql: sql)
        }
        for (i, value) in values.enumerated() { try bind(value, at: Int32(i + 1)) }
    }

    // MARK: Execution

    /// Advances one step. Returns true when a row is available, false when done.
    /// On failure the statement is reset so it can be reused.
    @discardableResult
    package func step() throws(MetadataError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = failure(rc)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Resets to run again; keeps bindings. Never fails: the error of a failed
    /// step was already reported by `step`.
    package func reset() { sqlite3_reset(handle) }

    package func clearBindings() { sqlite3_clear_bindings(handle) }

    /// Steps to completion (for INSERT / UPDATE / DELETE), then resets.
    package func run() throws(MetadataError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    // MARK: Columns (0-based)

    package var columnCount: Int32 { sqlite3_column_count(handle) }

    package func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    package func int64(at column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    package func int(at column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    package func double(at column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column as UTF-8 text ("" for NULL). Reads exactly column_bytes, so embedded NULs survive.
    package func text(at column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    package func optionalText(at column: Int32) -> String? {
        isNull(at: column) ? nil : text(at: column)
    }

    package func optionalInt64(at column: Int32) -> Int64? {
        isNull(at: column) ? nil : int64(at: column)
    }

    /// The column as bytes ([] for NULL or empty).
    package func blob(at column: Int32) -> [UInt8] {
        guard let p = sqlite3_column_blob(handle, column) else { return [] }
        let n = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}
