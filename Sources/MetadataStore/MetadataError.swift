// SPDX-License-Identifier: Apache-2.0
// The one error type of the MetadataStore layer: SQLite failures keep their
// result code, extended code, message and SQL; catalog and migration failures
// have their own codes.
import CSQLite

/// A metadata failure, with its cause and where it happened.
///
/// `code` is the stable classification callers switch on. For SQLite failures
/// `resultCode` / `extendedCode` / `sql` say exactly what failed; `migration`
/// names the migration being applied or checked, when there is one.
package struct MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        /// Any SQLite failure not classified more precisely below.
        case sqlite
        /// SQLITE_NOTADB: the file is not a SQLite database (or is encrypted).
        case notADatabase
        /// SQLITE_CORRUPT, or `PRAGMA quick_check` reported damage.
        case corrupt
        /// SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: another writer holds the lock.
        case busy
        /// SQLITE_CONSTRAINT: a UNIQUE / CHECK / FOREIGN KEY / NOT NULL constraint failed.
        case constraint
        /// SQLITE_IOERR / SQLITE_FULL / SQLITE_CANTOPEN / SQLITE_READONLY …: the OS refused.
        case io
        /// A SQLite database that was not created by Spool (other application_id or tables).
        case foreignDatabase
        /// The database records a migration version above every version this code ships.
        case schemaNewerThanCode
        /// The database records a migration version this code does not ship (a gap).
        case unknownMigration
        /// A pending migration is older than one already applied (a migration was inserted after release).
        case migrationOutOfOrder
        /// A shipped migration's text differs from what was applied (migrations are immutable).
        case migrationChecksumMismatch
        /// A topic name broke a rule; the reason says which.
        case invalidTopicName(TopicName.Invalid)
        case topicExists
        case topicNotFound
        /// A partition count below 1, above the cap, or lower than the current count.
        case invalidPartitionCount
        /// A topic config value out of range, or a stored config text that does not parse.
        case invalidConfig
        /// A caller-supplied value out of range (negative offset, oversized metadata, …).
        case invalidArgument
        /// The store was closed.
        case closed
    }

    package var code: Code
    /// Human-readable detail (sqlite3_errmsg for SQLite failures).
    package var message: String
    /// Primary SQLite result code (`extendedCode & 0xFF`), when SQLite failed.
    package var resultCode: Int32?
    /// Extended SQLite result code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY = 1555), when SQLite failed.
    package var extendedCode: Int32?
    /// The SQL text that failed, when there is one.
    package var sql: String?
    /// The migration being applied or verified, e.g. "0001_initial".
    package var migration: String?
    /// The database file, when known.
    package var path: String?

    package init(
        _ code: Code, _ message: String,
        resultCode: Int32? = nil, extendedCode: Int32? = nil,
        sql: String? = nil, migration: String? = nil, path: String? = nil
    ) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.extendedCode = extendedCode
        self.sql = sql
        self.migration = migration
        self.path = path
    }

    /// Builds an error from a failed SQLite call, reading the connection's message.
    /// `db` may be nil (sqlite3_open_v2 can fail before a handle exists).
    package static func sqlite(_ rc: Int32, db: OpaquePointer?, sql: String?, path: String? = nil) -> MetadataError {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? rc
        // The handle's last error can be stale when rc came from a call that does not set it.
        let ext = (extended & 0xFF) == (rc & 0xFF) ? extended : rc
        let text: String
        if let db, let cMessage = sqlite3_errmsg(db) {
            text = String(cString: cMessage)
        } else if let cMessage = sqlite3_errstr(rc) {
            text = String(cString: cMessage)
        } else {
            text = "SQLite error \(rc)"
        }
        return MetadataError(classify(ext), text, resultCode: ext & 0xFF, extendedCode: ext, sql: sql, path: path)
    }

    static func classify(_ rc: Int32) -> Code {
        switch rc & 0xFF {
        case SQLITE_NOTADB: .notADatabase
        case SQLITE_CORRUPT: .corrupt
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM: .io
        default: .sqlite
        }
    }

    package var description: String {
        var s = "\(code): \(message)"
        if let resultCode { s += " (SQLite \(resultCode)" + (extendedCode.map { "/\($0)" } ?? "") + ")" }
        if let migration { s += " [migration \(migration)]" }
        if let path { s += " [\(path)]" }
        if let sql { s += " in: \(sql)" }
        return s
    }
}
