// SPDX-License-Identifier: Apache-2.0
// Migrations: applied in order exactly once, verified at every open, and a
// database that is newer, edited, foreign, garbage or truncated is refused
// with a typed error.
#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import MetadataStore
import Testing

@Suite("Migrator")
struct MigratorTests {
    static let m1 = Migration(version: 1, name: "0001_log", sql: "CREATE TABLE log (v INTEGER) STRICT;")
    static let m2 = Migration(version: 2, name: "0002_two", sql: "INSERT INTO log VALUES (2);")
    static let m3 = Migration(version: 3, name: "0003_three", sql: "INSERT INTO log VALUES (3);")

    func appliedVersions(_ store: MetadataStore) throws -> [Int] {
        try store.withConnection { try Migrator().appliedMigrations($0).map(\.version) }
    }

    @Test("a fresh database gets every shipped migration, once, with its checksum")
    func freshDatabase() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let shipped = Migration.embedded
        #expect(!shipped.isEmpty)
        #expect(store.migrationReport.applied == shipped.map(\.version))
        #expect(store.migrationReport.alreadyApplied == [])
        let rows = try store.withConnection { try Migrator().appliedMigrations($0) }
        #expect(rows.map(\.version) == shipped.map(\.version))
        #expect(rows.map(\.checksum) == shipped.map(\.checksum))
        #expect(rows.map(\.name) == shipped.map(\.name))
        let tables = try store.withConnection { db in
            var names: [String] = []
            try db.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") {
                names.append($0.text(at: 0))
            }
            return names
        }
        #expect(tables == ["assignments", "groups", "members", "offsets", "schema_migrations", "topics"])
        #expect(try store.withConnection { try $0.scalarInt64("PRAGMA application_id") } == Migrator.applicationID)
        store.close()

        let reopened = try tmp.open()
        #expect(reopened.migrationReport.applied == [])
        #expect(reopened.migrationReport.alreadyApplied == shipped.map(\.version))
        #expect(try appliedVersions(reopened) == shipped.map(\.version))
    }

    @Test("pending migrations run in version order, each exactly once across reopens")
    func order() throws {
        let tmp = TemporaryDatabase()
        // Given out of order: the migrator sorts by version.
        let first = try tmp.open(migrations: [Self.m3, Self.m1, Self.m2])
        #expect(first.migrationReport.applied == [1, 2, 3])
        first.close()
        let second = try tmp.open(migrations: [Self.m1, Self.m2, Self.m3])
        #expect(second.migrationReport.applied == [])
        var log: [Int64] = []
        try second.withConnection { db in try db.query("SELECT v FROM log ORDER BY rowid") { log.append($0.int64(at: 0)) } }
        #expect(log == [2, 3])
    }

    @Test("a new migration shipped later is applied on the next open")
    func laterMigration() throws {
        let tmp = TemporaryDatabase()
        try tmp.open(migrations: [Self.m1]).close()
        let store = try tmp.open(migrations: [Self.m1, Self.m2])
        #expect(store.migrationReport.applied == [2])
        #expect(store.migrationReport.alreadyApplied == [1])
    }

    @Test("an applied migration whose shipped text changed is refused at open")
    func checksumMismatch() throws {
        let tmp = TemporaryDatabase()
        try tmp.open(migrations: [Self.m1, Self.m2]).close()
        var edited = Self.m2
        edited.sql = "INSERT INTO log VALUES (22);"
        let error = metadataError { try tmp.open(migrations: [Self.m1, edited, Self.m3]) }
        #expect(error?.code == .migrationChecksumMismatch)
        #expect(error?.migration == "0002_two")
        #expect(error?.message.contains(Self.m2.checksum) == true)
        #expect(error?.message.contains(edited.checksum) == true)
        // Nothing was written: m3 did not run.
        let check = try tmp.open(migrations: [Self.m1, Self.m2])
        #expect(try appliedVersions(check) == [1, 2])
    }

    @Test("even a one-byte whitespace edit changes the checksum")
    func whitespaceEdit() throws {
        let tmp = TemporaryDatabase()
        try tmp.open(migrations: [Self.m1]).close()
        var edited = Self.m1
        edited.sql += "\n"
        #expect(metadataError { try tmp.open(migrations: [edited]) }?.code == .migrationChecksumMismatch)
    }

    @Test("a database with a migration newer than the code is refused at open")
    func newerSchema() throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open(migrations: [Self.m1])
        try store.withConnection { db in
            try db.run(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, '9999_future', 'x', 0)")
        }
        store.close()
        let error = metadataError { try tmp.open(migrations: [Self.m1, Self.m2]) }
        #expect(error?.code == .schemaNewerThanCode)
        #expect(error?.migration == "9999_future")
        #expect(error?.path == tmp.path)
        // Refused before anything ran: m2 is still pending.
        let check = try TemporaryDatabaseInspector(path: tmp.path)
        #expect(try check.db.scalarInt64("SELECT count(*) FROM log") == 0)
    }

    @Test("a database with an applied version the code does not ship (a gap) is refused")
    func unknownVersion() throws {
        let tmp = TemporaryDatabase()
        try tmp.open(migrations: [Self.m1, Self.m2, Self.m3]).close()
        let error = metadataError { try tmp.open(migrations: [Self.m1, Self.m3]) }
        #expect(error?.code == .unknownMigration)
        #expect(error?.migration == "0002_two")
    }

    @Test("a migration numbered below an applied one is refused rather than run out of order")
    func outOfOrder() throws {
        let tmp = TemporaryDatabase()
        try tmp.open(migrations: [Self.m1, Self.m3]).close()
        let error = metadataError { try tmp.open(migrations: [Self.m1, Self.m2, Self.m3]) }
        #expect(error?.code == .migrationOutOfOrder)
        #expect(error?.migration == "0002_two")
    }

    @Test("a failing migration rolls back entirely, is not recorded, and names itself in the error")
    func failingMigration() throws {
        let tmp = TemporaryDatabase()
        let bad = Migration(
            version: 2, name: "0002_bad", sql: "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);")
        let error = metadataError { try tmp.open(migrations: [Self.m1, bad]) }
        #expect(error?.code == .sqlite)
        #expect(error?.migration == "0002_bad")
        #expect(error?.resultCode == SQLITE_ERROR)
        #expect(error?.sql == bad.sql)
        let check = try tmp.open(migrations: [Self.m1])
        #expect(try appliedVersions(check) == [1])
        #expect(try check.withConnection { try $0.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 'half'") } == 0)
    }

    @Test("a file of garbage bytes is refused at open as not a database")
    func garbageFile() throws {
        let tmp = TemporaryDatabase()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let garbage: [UInt8] = (0..<8192).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        tmp.write(garbage)
        let error = metadataError { try tmp.open() }
        #expect(error?.code == .notADatabase)
        #expect(error?.resultCode == SQLITE_NOTADB)
        #expect(error?.path == tmp.path)
    }

    @Test("a text file is refused at open as not a database")
    func textFile() throws {
        let tmp = TemporaryDatabase()
        tmp.write(Array(String(repeating: "topic=orders partitions=6\n", count: 100).utf8))
        #expect(metadataError { try tmp.open() }?.code == .notADatabase)
    }

    @Test("a truncated database file is refused at open as corrupt", arguments: [2, 4, 50])
    func truncated(divisorOrBytes: Int) throws {
        let tmp = TemporaryDatabase()
        let store = try tmp.open()
        let rows = (0..<3_000).map {
            OffsetCommitRow(group: "group-\($0)", topic: "orders", partition: 0, nextOffset: Int64($0), commitTime: 0)
        }
        try store.commitOffsets(rows)
        store.close()
        #expect(!tmp.exists("-wal"))  // the last close checkpointed everything into the main file
        let full = tmp.size()
        #expect(full > 64 * 1024)
        tmp.truncate(to: divisorOrBytes < 10 ? full / divisorOrBytes : divisorOrBytes)
        let error = metadataError { try tmp.open() }
        #expect(error?.code == .corrupt)
        #expect(error?.resultCode == SQLITE_CORRUPT)
    }

    @Test("a SQLite database of another application is refused as foreign")
    func foreignDatabase() throws {
        let tmp = TemporaryDatabase()
        do {
            let db = try SQLiteConnection(path: tmp.path)
            try db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        }
        let error = metadataError { try tmp.open() }
        #expect(error?.code == .foreignDatabase)
    }

    @Test("a database with another application_id is refused as foreign even if empty")
    func foreignApplicationID() throws {
        let tmp = TemporaryDatabase()
        do {
            let db = try SQLiteConnection(path: tmp.path)
            try db.execute("PRAGMA application_id = 42")
        }
        #expect(metadataError { try tmp.open() }?.code == .foreignDatabase)
    }

    @Test("the embedded migrations are byte-for-byte the files in Migrations/")
    func embeddedMatchFiles() throws {
        let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3)
            .joined(separator: "/"))
        // SwiftPM keeps a build-tool plugin's command until the package structure
        // changes; a migration added since then and edited in place can be embedded stale.
        let hint = "stale embedded migrations: run `touch Package.swift` and rebuild"
        let files = sqlFiles(in: root + "/Migrations")
        #expect(files == Migration.embedded.map { $0.name + ".sql" }, "\(hint)")
        for migration in Migration.embedded {
            let file = root + "/Migrations/" + migration.name + ".sql"
            let bytes = try #require(readAll(file), "cannot read \(file)")
            #expect(MigrationChecksum.fnv1a64(bytes) == MigrationChecksum.fnv1a64(migration.sql.utf8), "\(file): \(hint)")
        }
        let first = try #require(Migration.embedded.first)
        #expect(first.version == 1 && first.name == "0001_initial")
    }

    func sqlFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".sql") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    @Test("FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        #expect(MigrationChecksum.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(MigrationChecksum.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(MigrationChecksum.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
        #expect(MigrationChecksum.of("a") == "fnv1a64:af63dc4c8601ec8c")
        #expect(MigrationChecksum.of("") == "fnv1a64:cbf29ce484222325")
    }

    func readAll(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            out += buf[0..<n]
            if n < buf.count { break }
        }
        return out
    }
}

/// A raw connection to inspect a database without running the migrator.
struct TemporaryDatabaseInspector {
    let db: SQLiteConnection
    init(path: String) throws { db = try SQLiteConnection(path: path) }
}
