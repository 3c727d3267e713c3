// SPDX-License-Identifier: Apache-2.0
// Transactions: the outermost call is BEGIN IMMEDIATE … COMMIT (the write lock
// is taken up front, so a commit never fails on lock upgrade); nested calls are
// SAVEPOINTs so helpers that open their own transaction compose.
import CSQLite

extension SQLiteConnection {
    /// Runs `body(self)` in a transaction and commits; on any error rolls back and rethrows it.
    ///
    /// Errors from BEGIN / COMMIT are `MetadataError`; errors thrown by `body`
    /// are rethrown unchanged after the rollback. If COMMIT fails the
    /// transaction is rolled back, so the database never holds half of `body`.
    /// Callers that mirror the database in memory must apply their change only
    /// after this returns.
    @discardableResult
    package func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        if savepointDepth > 0 || isInTransaction {
            return try savepoint(body)
        }
        try execute("BEGIN IMMEDIATE")
        savepointDepth = 1
        defer { savepointDepth = 0 }
        let result: T
        do {
            result = try body(self)
        } catch {
            rollbackIfOpen()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    private func savepoint<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let name = "spool_sp\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let result: T
        do {
            result = try body(self)
        } catch {
            // ROLLBACK TO keeps the savepoint open; RELEASE closes it. Both are
            // no-ops that fail if SQLite already rolled back the whole transaction.
            if isInTransaction {
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
            }
            throw error
        }
        try execute("RELEASE \(name)")
        return result
    }

    /// SQLite rolls back by itself after some errors (SQLITE_FULL, IOERR, NOMEM,
    /// BUSY on commit); ROLLBACK then would fail with "no transaction is active".
    private func rollbackIfOpen() {
        if isInTransaction { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
    }
}
