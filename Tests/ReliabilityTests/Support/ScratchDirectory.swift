// SPDX-License-Identifier: Apache-2.0
// A temporary directory on tmpfs (/dev/shm) when there is one: the crash
// loops create a fresh SQLite file per run, and an fsync there costs nothing,
// while SQLite's commit semantics (what survives) are the same.
#if canImport(Glibc)
import Glibc
#endif
import FileIO

final class ScratchDirectory: Sendable {
    let path: String

    init(_ prefix: String) throws {
        let parent = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(parent)/spool-rel-\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw IOError(errno: errno, operation: "mkdtemp", path: parent) }
        path = template.withUnsafeBufferPointer { b in
            String(decoding: b.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    deinit { try? PosixFileSystem().removeDirectoryRecursively(path) }

    func appending(_ name: String) -> String { path + "/" + name }

    /// Copies a SQLite database (with its -wal and -shm, when present) to `destination`.
    static func copyDatabase(_ source: String, to destination: String) throws {
        let fs = PosixFileSystem()
        for suffix in ["", "-wal", "-shm"] where fs.exists(source + suffix) {
            try fs.writeFile(destination + suffix, try fs.readFile(source + suffix))
        }
    }
}
