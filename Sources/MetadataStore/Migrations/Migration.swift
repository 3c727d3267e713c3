// SPDX-License-Identifier: Apache-2.0
// One schema migration: a version, a name and the SQL text, as embedded from
// Migrations/NNNN_name.sql at build time.

/// A schema migration. Immutable once shipped (see docs/metadata.md).
package struct Migration: Sendable, Equatable {
    /// The NNNN of the file name; applied in increasing order.
    package var version: Int
    /// The file stem, e.g. "0001_initial".
    package var name: String
    /// The exact file text, run with sqlite3_exec inside one transaction.
    package var sql: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The checksum stored in schema_migrations.
    package var checksum: String { MigrationChecksum.of(sql) }

    /// The migrations compiled into this binary, in version order.
    package static let embedded: [Migration] = EmbeddedMigrations.all
        .map { Migration(version: $0.version, name: $0.name, sql: $0.sql) }
        .sorted { $0.version < $1.version }
}
