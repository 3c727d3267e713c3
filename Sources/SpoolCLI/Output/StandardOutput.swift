// SPDX-License-Identifier: Apache-2.0
// Buffered line output to stdout for the dump and read commands: one
// write(2) per 64 KiB rather than per line (commands that stream, like
// consume and produce --print-offsets, also flush after each batch).
#if canImport(Glibc)
import Glibc
#endif

// MARK: Invariants
// I1. `buffer` holds bytes not yet written to fd 1, in order; it is flushed
//     before it exceeds `flushThreshold` and whenever `flush()` is called.

/// Owned by the running command (not Sendable; one per process run).
final class StandardOutput {
    private static let flushThreshold = 1 << 16
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends `text` and a newline.
    func line(_ text: String) throws(CLIError) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends raw bytes (a record value, not necessarily UTF-8) and a newline.
    func line(bytes: UnsafeRawBufferPointer) throws(CLIError) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Writes everything buffered so far.
    func flush() throws(CLIError) {
        guard !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBytes { FileDescriptorWrite.writeAll(STDOUT_FILENO, $0) }
        buffer.removeAll(keepingCapacity: true)
        if failure != 0 {
            throw CLIError.runtime("cannot write to standard output (errno \(failure))")
        }
    }

    /// Writes `text` (plus a newline unless it ends in one) straight to fd 1:
    /// help screens printed just before exiting.
    static func writeUnbuffered(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        _ = bytes.withUnsafeBytes { FileDescriptorWrite.writeAll(STDOUT_FILENO, $0) }
    }
}
