// SPDX-License-Identifier: Apache-2.0
// The metadata database of one Spool data directory: opens and verifies the
// SQLite file, runs migrations, and serializes every use of the one connection.
// Catalog and offsets APIs live in MetadataStore+Topics / MetadataStore+Offsets.
import Logging
import Synchronization

// MARK: Invariants
// I1 Every use of `connection` happens inside `lock.withLock` (in `withConnection`,
//    `transaction`, `locked`, `lockedTransaction` and `close`; nothing else reads the
//    property), so there is one writer and one reader at a time in this process while
//    SQLite itself runs NOMUTEX. This is why `@unchecked Sendable` is sound: the only
//    mutable state (`connection`) is lock-protected, the rest is immutable and Sendable.
//    The connection is handed to non-escaping closures only; SQLiteConnection is not
//    Sendable, so it cannot be sent to another task, and keeping it past the closure
//    is a programmer error (documented on `withConnection`).
// I2 `connection` is nil after `close()`; every later call throws `.closed`.
// I3 When `open` returns, the schema equals the embedded migrations (all applied,
//    checksums equal), or `open` threw and nothing after the failing step ran.

/// The SQLite-backed metadata store (topics, groups, members, assignments, offsets).
package final class MetadataStore: @unchecked Sendable {
    /// The database file.
    package let path: String
    /// The synchronous mode every connection of this store uses.
    package let synchronous: SynchronousMode
    /// What the migrator did at open.
    package let migrationReport: Migrator.Report
    let logger: Logger
    private let lock = Mutex(())
    private var connection: SQLiteConnection?

    private init(
        path: String, synchronous: SynchronousMode, report: Migrator.Report, logger: Logger,
        connection: SQLiteConnection
    ) {
        self.path = path
        self.synchronous = synchronous
        self.migrationReport = report
        self.logger = logger
        self.connection = connection
    }

    /// Opens (creating if absent) the database at `path`, verifies it and applies pending migrations.
    ///
    /// Steps, each failing with a typed error and no partial effect:
    /// 1. open + `journal_mode=WAL`: `.notADatabase` for a foreign or garbage file;
    /// 2. `PRAGMA quick_check` when `verifyIntegrity`: `.corrupt` for a damaged or truncated file;
    /// 3. the migrator: `.foreignDatabase`, `.schemaNewerThanCode`, `.unknownMigration`,
    ///    `.migrationChecksumMismatch`, `.migrationOutOfOrder`, or the SQLite error of a failed migration.
    ///
    /// - Parameters:
    ///   - synchronous: `.full` (default) makes every committed transaction survive power loss.
    ///   - migrations: the schema to reach; tests pass their own list.
    ///   - verifyIntegrity: run `PRAGMA quick_check` (O(database size); the metadata database is small).
    package static func open(
        path: String,
        synchronous: SynchronousMode = .full,
        logger: Logger,
        migrations: [Migration] = Migration.embedded,
        busyTimeoutMilliseconds: Int32 = 5_000,
        verifyIntegrity: Bool = true
    ) throws(MetadataError) -> MetadataStore {
        let db = try SQLiteConnection(
            path: path, synchronous: synchronous, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        if verifyIntegrity { try checkIntegrity(db) }
        let report = try Migrator(migrations: migrations).migrate(db, logger: logger)
        logger.info(
            "metadata store open",
            metadata: [
                "path": "\(path)", "synchronous": "\(synchronous.rawValue)",
                "migrationsApplied": "\(report.applied.count)",
                "schemaVersion": "\((report.alreadyApplied + report.applied).max() ?? 0)",
            ])
        return MetadataStore(path: path, synchronous: synchronous, report: report, logger: logger, connection: db)
    }

    private static func checkIntegrity(_ db: SQLiteConnection) throws(MetadataError) {
        var problems: [String] = []
        do throws(MetadataError) {
            try db.query("PRAGMA quick_check(5)") { row throws(MetadataError) in problems.append(row.text(at: 0)) }
        } catch {
            var error = error
            error.path = db.path
            throw error
        }
        if problems != ["ok"] {
            throw MetadataError(
                .corrupt, "integrity check failed: " + problems.joined(separator: "; "), sql: "PRAGMA quick_check(5)",
                path: db.path)
        }
    }

    /// Closes the connection (checkpointing the WAL). Later calls throw `.closed`. Idempotent.
    package func close() {
        lock.withLock { _ in
            // Releasing the last reference runs deinit: finalize statements, sqlite3_close_v2.
            connection = nil
        }
    }

    /// Runs `body` with the connection, under the store's lock. For the coordinator's
    /// own SQL. `body` must not keep the connection (or a statement) after it returns,
    /// and must not call back into this store (the lock is not reentrant).
    @discardableResult
    package func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try lock.withLock { _ throws -> T in
            guard let db = connection else { throw closedError() }
            return try body(db)
        }
    }

    /// Runs `body` in one transaction (BEGIN IMMEDIATE … COMMIT), under the store's lock.
    /// Any error rolls the transaction back and is rethrown unchanged; apply
    /// in-memory effects only after this returns.
    @discardableResult
    package func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try withConnection { db in try db.transaction(body) }
    }

    /// Typed-throws variant used by this module's own APIs.
    func locked<T>(_ body: (SQLiteConnection) throws(MetadataError) -> T) throws(MetadataError) -> T {
        try lock.withLock { _ throws(MetadataError) -> T in
            guard let db = connection else { throw closedError() }
            return try body(db)
        }
    }

    /// Typed-throws transaction used by this module's own APIs.
    func lockedTransaction<T>(_ body: (SQLiteConnection) throws(MetadataError) -> T) throws(MetadataError) -> T {
        try locked { db throws(MetadataError) -> T in
            do {
                return try db.transaction { db in try body(db) }
            } catch let error as MetadataError {
                throw error
            } catch {
                throw MetadataError(.sqlite, "\(error)", path: path)
            }
        }
    }

    private func closedError() -> MetadataError {
        MetadataError(.closed, "metadata store is closed", path: path)
    }
}
