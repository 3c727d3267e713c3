// SPDX-License-Identifier: Apache-2.0
// Brings a database to the schema this code ships, or refuses it.
// Order at open: (1) recognise the file (application_id, foreign tables),
// (2) create schema_migrations on a fresh file, (3) compare what was applied
// with what ships (newer, unknown, edited, out of order → typed error, nothing
// written), (4) apply each pending migration in its own BEGIN IMMEDIATE
// transaction together with its schema_migrations row.
import Logging

/// Applies and verifies schema migrations.
package struct Migrator: Sendable {
    /// `PRAGMA application_id` of every Spool metadata database: "SPOL".
    package static let applicationID: Int64 = 0x5350_4F4C

    package let migrations: [Migration]

    /// `migrations` must have distinct positive versions; they are applied in version order.
    package init(migrations: [Migration] = Migration.embedded) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            precondition(a.version != b.version, "duplicate migration version \(a.version)")
        }
        precondition(sorted.allSatisfy { $0.version > 0 }, "migration versions start at 1")
        self.migrations = sorted
    }

    /// What `migrate` did.
    package struct Report: Sendable, Equatable {
        /// Versions applied by this call, in order.
        package var applied: [Int]
        /// Versions that were already applied before this call.
        package var alreadyApplied: [Int]
    }

    /// One row of schema_migrations.
    package struct AppliedMigration: Sendable, Equatable {
        package var version: Int
        package var name: String
        package var checksum: String
        package var appliedAt: Int64
    }

    static let createTrackingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            checksum   TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT
        """

    /// Verifies the database against the shipped migrations and applies the pending ones.
    package func migrate(
        _ db: SQLiteConnection, logger: Logger, now: () -> Int64 = WallClock.milliseconds
    ) throws(MetadataError) -> Report {
        try recognise(db)
        let applied = try appliedMigrations(db)
        let pending = try verify(applied: applied, path: db.path)
        for migration in pending {
            logger.info(
                "applying migration",
                metadata: ["migration": "\(migration.name)", "checksum": "\(migration.checksum)"])
            do {
                try db.transaction { db in
                    try db.execute(migration.sql)
                    try db.run(
                        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                        [.integer(Int64(migration.version)), .text(migration.name), .text(migration.checksum),
                         .integer(now())])
                }
            } catch let error as MetadataError {
                var error = error
                error.migration = migration.name
                error.path = db.path
                throw error
            } catch {
                throw MetadataError(.sqlite, "\(error)", migration: migration.name, path: db.path)
            }
        }
        return Report(applied: pending.map(\.version), alreadyApplied: applied.map(\.version))
    }

    /// Rows of schema_migrations in version order.
    package func appliedMigrations(_ db: SQLiteConnection) throws(MetadataError) -> [AppliedMigration] {
        var rows: [AppliedMigration] = []
        try db.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version") {
            row throws(MetadataError) in
            rows.append(
                AppliedMigration(
                    version: row.int(at: 0), name: row.text(at: 1), checksum: row.text(at: 2),
                    appliedAt: row.int64(at: 3)))
        }
        return rows
    }

    /// Refuses files that are not ours; creates the tracking table on a fresh file.
    private func recognise(_ db: SQLiteConnection) throws(MetadataError) {
        let appID = try db.scalarInt64("PRAGMA application_id")
        let tracked = try db.scalarInt64(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        let objects = try db.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
        if appID == Self.applicationID && tracked == 1 { return }
        guard appID == 0, objects == 0 else {
            throw MetadataError(
                .foreignDatabase,
                "not a Spool metadata database (application_id \(appID), \(objects) schema objects)",
                path: db.path)
        }
        do {
            try db.transaction { db in
                try db.execute(Self.createTrackingTable)
                try db.execute("PRAGMA application_id = \(Self.applicationID)")
            }
        } catch let error as MetadataError {
            throw error
        } catch {
            throw MetadataError(.sqlite, "\(error)", path: db.path)
        }
    }

    /// The shipped migrations still to apply, after checking the applied ones.
    private func verify(applied: [AppliedMigration], path: String) throws(MetadataError) -> [Migration] {
        let newest = migrations.last?.version ?? 0
        var known: [Int: Migration] = [:]
        for m in migrations { known[m.version] = m }
        for row in applied {
            guard let shipped = known[row.version] else {
                if row.version > newest {
                    throw MetadataError(
                        .schemaNewerThanCode,
                        "database has migration \(row.version) (\(row.name)); this code knows up to \(newest): "
                            + "open it with a newer Spool",
                        migration: row.name, path: path)
                }
                throw MetadataError(
                    .unknownMigration, "database has migration \(row.version) (\(row.name)), which this code does not ship",
                    migration: row.name, path: path)
            }
            guard shipped.checksum == row.checksum else {
                throw MetadataError(
                    .migrationChecksumMismatch,
                    "migration \(shipped.name) was applied with checksum \(row.checksum) but the shipped file has "
                        + "\(shipped.checksum); shipped migrations must never be edited",
                    migration: shipped.name, path: path)
            }
        }
        let done = Set(applied.map(\.version))
        let pending = migrations.filter { !done.contains($0.version) }
        if let highestApplied = applied.last?.version, let first = pending.first, first.version < highestApplied {
            throw MetadataError(
                .migrationOutOfOrder,
                "migration \(first.name) is pending but \(highestApplied) is already applied; "
                    + "new migrations must have a higher number than every shipped one",
                migration: first.name, path: path)
        }
        return pending
    }
}
