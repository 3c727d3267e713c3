// SPDX-License-Identifier: Apache-2.0
// The run's scratch root: a fresh mkdtemp directory under the chosen parent,
// so a benchmark never writes into (or deletes) anything it did not create.
import FileIO
#if canImport(Glibc)
import Glibc
#endif

enum ScratchRoot {
    static func create(parent: String) throws -> String {
        var template = Array((parent.hasSuffix("/") ? parent : parent + "/").utf8CString.dropLast())
        template += Array("spool-bench-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<CChar>? in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        guard made != nil else {
            throw BenchError("cannot create a scratch directory under \(parent): errno \(errno)")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func remove(_ root: String) {
        do { try PosixFileSystem().removeDirectoryRecursively(root) } catch {
            Progress.line("warning: could not remove \(root): \(error)")
        }
    }
}
