// SPDX-License-Identifier: Apache-2.0
// Progress lines on stderr, so stdout carries only the environment and the
// table (and can be redirected to a file).
#if canImport(Glibc)
import Glibc
#endif

enum Progress {
    static let started = Stopwatch()

    static func line(_ text: String) {
        let stamp = formatFixed(started.seconds, decimals: 1)
        writeStandardError("[\(stamp)s] \(text)\n")
    }

    static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { all in
                write(2, UnsafeRawBufferPointer(rebasing: all[done...]).baseAddress, all.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            done += n
        }
    }

    static func writeStandardOutput(_ text: String) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { all in
                write(1, UnsafeRawBufferPointer(rebasing: all[done...]).baseAddress, all.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            done += n
        }
    }
}
