// SPDX-License-Identifier: Apache-2.0
// An open file descriptor behind the `FileHandle` seam: pread/pwrite loops,
// fstat, ftruncate, fdatasync, and a close that cannot race a reused fd.
#if canImport(Glibc)
import Glibc
#endif
import CSpoolShims
import Synchronization

// MARK: Invariants
// I1 `descriptor` is never passed to a syscall after close(2) was called on it:
//    every call registers in `usage.inFlight` first, and close(2) runs only
//    once `usage.closing` is set and `inFlight` has dropped to zero.
// I2 Once `close()` has been called every later call throws `.closed`, even
//    while close(2) itself is still deferred behind in-flight calls.

/// An open POSIX file. Thread-safe: the descriptor is immutable and positional
/// I/O has no shared cursor; only the open/closed state is guarded.
package final class PosixFileHandle: FileHandle {
    package let path: String
    private let descriptor: Int32
    private let usage = Mutex(Usage())

    private struct Usage {
        var inFlight = 0
        var closing = false
        var descriptorClosed = false
    }

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        // Nothing can be in flight once the last reference is gone.
        let needsClose = usage.withLock { !$0.descriptorClosed }
        if needsClose { _ = Glibc.close(descriptor) }
    }

    // MARK: - FileHandle

    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        let fd = try begin("pread")
        defer { end() }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = pread(fd, base + total, buffer.count - total, off_t(offset) + off_t(total))
            if n > 0 { total += n; continue }
            if n == 0 { break }  // end of file
            let e = errno
            if e == EINTR { continue }
            throw IOError(errno: e, operation: "pread", path: path)
        }
        return total
    }

    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        let fd = try begin("pwrite")
        defer { end() }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var total = 0
        while total < bytes.count {
            let n = pwrite(fd, base + total, bytes.count - total, off_t(offset) + off_t(total))
            if n > 0 { total += n; continue }
            let e = n == 0 ? EIO : errno  // pwrite of >0 bytes returning 0 would loop forever
            if e == EINTR { continue }
            throw IOError(errno: e, operation: "pwrite", path: path)
        }
    }

    package func size() throws(IOError) -> Int64 {
        let fd = try begin("fstat")
        defer { end() }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOError(errno: errno, operation: "fstat", path: path) }
        return Int64(st.st_size)
    }

    package func truncate(to size: Int64) throws(IOError) {
        let fd = try begin("ftruncate")
        defer { end() }
        while ftruncate(fd, off_t(size)) != 0 {
            let e = errno
            if e == EINTR { continue }
            throw IOError(errno: e, operation: "ftruncate", path: path)
        }
    }

    package func sync() throws(IOError) {
        let fd = try begin("fdatasync")
        defer { end() }
        // Retrying is safe only for EINTR (the call never started); any other
        // failure is ambiguous and is reported, never retried.
        while spool_fdatasync(fd) != 0 {
            let e = spool_errno()
            if e == EINTR { continue }
            throw IOError(errno: e, operation: "fdatasync", path: path)
        }
    }

    package func close() throws(IOError) {
        let closeNow = try usage.withLock { (u) throws(IOError) -> Bool in
            guard !u.closing else { throw IOError(.closed, operation: "close", path: path) }
            u.closing = true
            if u.inFlight == 0 { u.descriptorClosed = true; return true }
            return false  // the last in-flight call closes it (keeps I1)
        }
        guard closeNow else { return }
        // Not retried on EINTR: Linux releases the descriptor even then.
        if Glibc.close(descriptor) != 0 {
            let e = errno
            if e != EINTR { throw IOError(errno: e, operation: "close", path: path) }
        }
    }

    // MARK: - Usage tracking

    private func begin(_ operation: String) throws(IOError) -> Int32 {
        try usage.withLock { (u) throws(IOError) in
            guard !u.closing else { throw IOError(.closed, operation: operation, path: path) }  // keeps I2
            u.inFlight += 1
        }
        return descriptor
    }

    private func end() {
        let closeNow = usage.withLock { u -> Bool in
            u.inFlight -= 1
            if u.closing && u.inFlight == 0 && !u.descriptorClosed {
                u.descriptorClosed = true
                return true
            }
            return false
        }
        if closeNow { _ = Glibc.close(descriptor) }
    }
}
