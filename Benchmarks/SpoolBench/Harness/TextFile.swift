// SPDX-License-Identifier: Apache-2.0
// Reading small text files (/proc, /sys) and writing whole files, with Glibc
// only; failures return nil / false (environment facts are best effort).
#if canImport(Glibc)
import Glibc
#endif

enum TextFile {
    /// The whole file as UTF-8 (repaired), or nil when it cannot be read.
    static func read(_ path: String, limit: Int = 4 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` (create or truncate); the errno on failure.
    @discardableResult
    static func write(_ text: String, to path: String) -> Int32? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let utf8 = Array(text.utf8)
        var done = 0
        while done < utf8.count {
            let n = utf8.withUnsafeBytes { all in
                Glibc.write(fd, UnsafeRawBufferPointer(rebasing: all[done...]).baseAddress, all.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return errno }
            done += n
        }
        return nil
    }
}
