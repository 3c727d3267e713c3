// SPDX-License-Identifier: Apache-2.0
// Error lines to stderr, unbuffered, so they appear even if the process
// exits right after.
#if canImport(Glibc)
import Glibc
#endif

enum StandardError {
    /// Writes `text` and a newline to fd 2 (a failure to do so has nowhere to be reported).
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        _ = bytes.withUnsafeBytes { FileDescriptorWrite.writeAll(STDERR_FILENO, $0) }
    }
}
