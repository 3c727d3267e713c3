// SPDX-License-Identifier: Apache-2.0
// A unique real directory under /tmp for tests that need the kernel's file
// system, removed with everything in it when the test is done.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
import Synchronization

/// A directory created with mkdtemp(3). Removed recursively by `remove()`
/// or, failing that, when the last reference goes away. Thread-safe.
package final class TemporaryDirectory: Sendable {
    /// The absolute path of the directory.
    package let path: String
    private let removed = Mutex(false)

    /// Creates `/tmp/<prefix>.XXXXXX`.
    package init(prefix: String = "spool-test") throws(IOError) {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else { throw IOError(errno: errno, operation: "mkdtemp", path: "/tmp/\(prefix).XXXXXX") }
        path = template.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    deinit { try? remove() }

    /// `path` joined with a relative `component` (which may contain slashes).
    package func appending(_ component: String) -> String {
        path + "/" + component
    }

    /// Removes the directory and its contents. Idempotent.
    package func remove() throws(IOError) {
        let alreadyRemoved = removed.withLock { done -> Bool in
            defer { done = true }
            return done
        }
        guard !alreadyRemoved else { return }
        do {
            try PosixFileSystem().removeDirectoryRecursively(path)
        } catch where error.code == .notFound {
            return
        }
    }
}
