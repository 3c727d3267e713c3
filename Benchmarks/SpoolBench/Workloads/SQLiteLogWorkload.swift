// SPDX-License-Identifier: Apache-2.0
// sqlite-log (reference): the log a user would build instead of Spool, on
// the same data in the same run. A SQLite table (offset INTEGER PRIMARY KEY,
// key, value, timestamp) in WAL mode; inserts in transactions of
// --batch-size with prepared statements and zero-copy blob binding, with
// synchronous=NORMAL and =FULL; reading back by offset range (every value
// visited, checksum compared); and an offsets table with one UPSERT per
// commit (autocommit), NORMAL and FULL, time-bounded like `commit`.
import CSQLite

struct SQLiteLogWorkload: Workload {
    let name = WorkloadName.sqliteLog
    let summary = "SQLite WAL table as a log: inserts (NORMAL, FULL), range reads, offset UPSERTs"

    static let insertSQL: StaticString = "INSERT INTO log(offset, key, value, timestamp) VALUES (?1, ?2, ?3, ?4)"
    static let selectSQL = "SELECT offset, value FROM log WHERE offset >= ?1 AND offset < ?2 ORDER BY offset"
    static let upsertSQL: StaticString = """
        INSERT INTO offsets(group_id, topic, partition, next_offset, metadata, commit_time) VALUES (?1, ?2, ?3, ?4, '', ?5)
        ON CONFLICT(group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset,
        metadata = excluded.metadata, commit_time = excluded.commit_time
        """

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        let dir = try context.createdDirectory("sqlite-log")
        defer { context.discard(dir) }
        for size in settings.recordSizes {
            let source = RecordBatches(recordSize: size, batchSize: settings.batchSize)
            let records = settings.sqliteRecords(forSize: size)
            for synchronous in ["NORMAL", "FULL"] {
                let path = dir + "/log-\(size)-\(synchronous).sqlite"
                // Rows are written twice (WAL, then the checkpoint into the table).
                let volume = 2 * BenchSettings.diskBytes(records: records, size: size + 16)
                results.append(try await context.measure("sqlite-log \(size) B insert \(synchronous)", primeBytes: volume) {
                    try insert(path: path, synchronous: synchronous, source: source, records: records)
                })
            }
            results.append(try await context.measure("sqlite-log \(size) B read") {
                try read(path: dir + "/log-\(size)-NORMAL.sqlite", source: source, records: records)
            })
        }
        for synchronous in ["NORMAL", "FULL"] {
            results.append(try await context.measure("sqlite-log commit \(synchronous)") {
                try commits(path: dir + "/offsets-\(synchronous).sqlite", synchronous: synchronous, seconds: settings.seconds)
            })
        }
        return results
    }

    private func insert(path: String, synchronous: String, source: RecordBatches, records: Int) throws -> BenchResult {
        let db = try SQLiteDatabase(path: path, synchronous: synchronous)
        try db.execute("CREATE TABLE log(offset INTEGER PRIMARY KEY, key BLOB, value BLOB, timestamp INTEGER NOT NULL)")
        let begin = try db.prepare("BEGIN")
        let commit = try db.prepare("COMMIT")
        let insert = try db.prepare("\(Self.insertSQL)")
        defer {
            sqlite3_finalize(begin)
            sqlite3_finalize(commit)
            sqlite3_finalize(insert)
        }
        sqlite3_bind_null(insert, 2)  // keys are null, as in the produce workload
        var latencies = LatencyHistogram()
        var offset: Int64 = 0
        let watch = Stopwatch()
        for (index, count) in source.plan(records: records) {
            let t0 = Stopwatch.nanos()
            try db.run(begin, "BEGIN")
            let batch = source.batch(index)
            for j in 0..<count {
                sqlite3_bind_int64(insert, 1, offset)
                try bindBlob(insert, 3, batch[j].value ?? [])
                sqlite3_bind_int64(insert, 4, 1_700_000_000_000 + offset)
                try db.run(insert, Self.insertSQL)
                offset += 1
            }
            try db.run(commit, "COMMIT")
            latencies.record(nanos: Stopwatch.nanos() &- t0)
        }
        let seconds = watch.seconds
        var result = BenchResult(workload: name, variant: synchronous == "FULL" ? "insert-full" : "insert-normal",
                                 recordSize: source.recordSize, durability: .notApplicable, records: records,
                                 seconds: seconds, bytes: Int64(records) * Int64(source.recordSize))
        result.setLatencies(latencies)
        result.notes.append("synchronous=\(synchronous), WAL, transactions of \(source.batchSize); latency per transaction; MB/s counts value bytes")
        return result
    }

    /// Binds without copying: SQLite reads the array's bytes during step.
    @inline(__always)
    private func bindBlob(_ statement: OpaquePointer, _ index: Int32, _ value: [UInt8]) throws {
        let rc = value.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(statement, index, 0) }
            // nil destructor = SQLITE_STATIC: the bytes outlive the step (the
            // arrays are the workload's shared, immutable values).
            return sqlite3_bind_blob(statement, index, base, Int32(bytes.count), nil)
        }
        guard rc == SQLITE_OK else { throw BenchError("sqlite3_bind_blob: code \(rc)") }
    }

    private func read(path: String, source: RecordBatches, records: Int) throws -> BenchResult {
        let db = try SQLiteDatabase(path: path, synchronous: "NORMAL")
        let select = try db.prepare(Self.selectSQL)
        defer { sqlite3_finalize(select) }
        let expected = source.expectedChecksum(records: records)
        var checksum = RecordChecksum()
        var contiguous = true
        var next: Int64 = 0
        let step = Int64(source.batchSize)
        let watch = Stopwatch()
        while next < Int64(records) {
            sqlite3_bind_int64(select, 1, next)
            sqlite3_bind_int64(select, 2, next + step)
            var rc = sqlite3_step(select)
            while rc == SQLITE_ROW {
                if sqlite3_column_int64(select, 0) != next { contiguous = false }
                let n = Int(sqlite3_column_bytes(select, 1))
                checksum.add(UnsafeRawBufferPointer(start: sqlite3_column_blob(select, 1), count: n))
                next += 1
                rc = sqlite3_step(select)
            }
            sqlite3_reset(select)
            guard rc == SQLITE_DONE else { throw db.error(rc, Self.selectSQL) }
            if checksum.count < Int(next) || next % step != 0 && next < Int64(records) { break }
        }
        let seconds = watch.seconds
        var result = BenchResult(workload: name, variant: "read", recordSize: source.recordSize, durability: .notApplicable,
                                 records: checksum.count, seconds: seconds, bytes: Int64(checksum.count) * Int64(source.recordSize))
        result.checksumOK = contiguous && checksum == expected
        result.notes.append("ranges of \(source.batchSize) offsets by primary key, every value visited")
        return result
    }

    private func commits(path: String, synchronous: String, seconds: Double) throws -> BenchResult {
        let db = try SQLiteDatabase(path: path, synchronous: synchronous)
        try db.execute("""
            CREATE TABLE offsets(group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
            next_offset INTEGER NOT NULL, metadata TEXT NOT NULL, commit_time INTEGER NOT NULL,
            PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID
            """)
        let upsert = try db.prepare("\(Self.upsertSQL)")
        defer { sqlite3_finalize(upsert) }
        _ = csqlite_bind_text_transient(upsert, 1, "bench-group", -1)
        _ = csqlite_bind_text_transient(upsert, 2, "commits", -1)
        var latencies = LatencyHistogram()
        var count = 0
        let deadline = Stopwatch.nanos() &+ UInt64(seconds * 1e9)
        let watch = Stopwatch()
        while Stopwatch.nanos() < deadline {
            let t0 = Stopwatch.nanos()
            sqlite3_bind_int64(upsert, 3, Int64(count % 16))
            sqlite3_bind_int64(upsert, 4, Int64(count / 16 + 1))
            sqlite3_bind_int64(upsert, 5, Int64(t0 / 1_000_000))
            try db.run(upsert, Self.upsertSQL)
            latencies.record(nanos: Stopwatch.nanos() &- t0)
            count += 1
        }
        let elapsed = watch.seconds
        var result = BenchResult(workload: name, variant: synchronous == "FULL" ? "commit-full" : "commit-normal",
                                 recordSize: 0, durability: .notApplicable, records: count, seconds: elapsed, bytes: 0)
        result.setLatencies(latencies)
        result.notes.append("one UPSERT per commit in its own (autocommit) transaction, synchronous=\(synchronous), 1 connection")
        return result
    }
}
