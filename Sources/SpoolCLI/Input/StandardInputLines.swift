// SPDX-License-Identifier: Apache-2.0
// Lines from standard input (fd 0) read in large chunks with read(2): the
// CLI links no Foundation, and Glibc's `stdin` FILE global is not usable
// under Swift 6 strict concurrency. A line is the bytes before "\n" (kept
// byte-exact: a "\r" stays part of it); a last line without "\n" counts.
#if canImport(Glibc)
import Glibc
#endif

// MARK: Invariants
// I1. buffer[head..<tail] holds the bytes read but not yet handed out;
//     buffer[head..<scanned] is known to contain no "\n".
// I2. The buffer never grows beyond `maxLineBytes` plus one read chunk.

/// Owned by the running command (one per process).
final class StandardInputLines {
    /// Longest accepted line; anything longer cannot be one record anyway
    /// (a batch is at most about 1 MiB).
    static let maxLineBytes = 16 << 20
    private static let chunk = 1 << 20

    private var buffer: [UInt8]
    private var head = 0
    private var scanned = 0
    private var tail = 0
    private var eof = false
    /// 1-based number of the last line handed out.
    private(set) var lineNumber = 0

    init() {
        buffer = [UInt8](repeating: 0, count: Self.chunk)
    }

    /// The next complete line already read, without its "\n"; nil when
    /// none is buffered (call `fill()`, which may block).
    func nextBufferedLine() -> [UInt8]? {
        guard let newline = buffer[scanned..<tail].firstIndex(of: 0x0A) else {
            scanned = tail
            return nil
        }
        let line = Array(buffer[head..<newline])
        head = newline + 1
        scanned = head
        lineNumber += 1
        return line
    }

    /// After `fill()` returned false: the final line when the input did not
    /// end with "\n", once.
    func finalLine() -> [UInt8]? {
        guard eof, head < tail else { return nil }
        let line = Array(buffer[head..<tail])
        head = tail
        scanned = tail
        lineNumber += 1
        return line
    }

    /// Reads more input. Returns false at end of input.
    func fill() throws(CLIError) -> Bool {
        if eof { return false }
        if head > 0 {
            // Keep the partial line at the front (I1).
            let pending = tail - head
            if pending > 0 {
                buffer.withUnsafeMutableBytes { b in
                    guard let base = b.baseAddress else { return }
                    memmove(base, base + head, pending)
                }
            }
            scanned -= head
            tail = pending
            head = 0
        }
        if buffer.count - tail < Self.chunk / 2 {
            guard tail <= Self.maxLineBytes else {
                throw CLIError.runtime("line \(lineNumber + 1) of standard input is longer than \(Self.maxLineBytes) bytes")
            }
            buffer += [UInt8](repeating: 0, count: Self.chunk)
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { b in
                b.baseAddress.map { Glibc.read(STDIN_FILENO, $0 + tail, b.count - tail) } ?? 0
            }
            if n > 0 {
                tail += n
                return true
            }
            if n == 0 {
                eof = true
                return false
            }
            if errno == EINTR { continue }
            throw CLIError.runtime("cannot read standard input (errno \(errno))")
        }
    }
}
