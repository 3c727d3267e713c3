// SPDX-License-Identifier: Apache-2.0
// A fresh temp directory per test holding one database path; removed on deinit.
// Also small file helpers (write garbage, truncate) for damage tests.
#if canImport(Glibc)
import Glibc
#endif
import Logging
import MetadataStore

final class TemporaryDatabase {
    let directory: String
    var path: String { directory + "/spool.sqlite" }

    init() {
        var template = Array("/tmp/spool-meta-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { fatalError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        rmdir(directory)
    }

    func open(
        synchronous: SynchronousMode = .full, migrations: [Migration] = Migration.embedded
    ) throws(MetadataError) -> MetadataStore {
        try MetadataStore.open(path: path, synchronous: synchronous, logger: quietLogger, migrations: migrations)
    }

    func write(_ bytes: [UInt8]) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func size() -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : -1
    }

    func truncate(to length: Int) {
        precondition(Glibc.truncate(path, off_t(length)) == 0)
    }

    func exists(_ suffix: String) -> Bool { access(path + suffix, F_OK) == 0 }
}

let quietLogger = Logger(label: "spool.metadata.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` and returns the MetadataError it threw, or nil if it did not throw one.
func metadataError<T>(_ body: () throws -> T) -> MetadataError? {
    do {
        _ = try body()
        return nil
    } catch let error as MetadataError {
        return error
    } catch {
        return nil
    }
}
