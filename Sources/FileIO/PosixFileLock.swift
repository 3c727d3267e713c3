// SPDX-License-Identifier: Apache-2.0
// Exclusive data-directory lock: flock(2) against other processes plus a
// process-wide registry against a second opener in this process.
#if canImport(Glibc)
import Glibc
#endif
import CSpoolShims
import Synchronization

// MARK: Invariants
// I1 A canonical lock path is in `heldLockPaths` exactly while some
//    `PosixFileLock` of this process holds (or is acquiring) its flock.
// I2 The flock is dropped (descriptor closed) before the path leaves the
//    registry, so a racing acquirer in this process never sees a free
//    registry entry while the kernel lock is still held.

/// Canonical paths of the locks this process holds. flock(2) alone would
/// refuse a second descriptor of the same file, but the registry makes the
/// refusal independent of lock flavour and of how the path was spelled.
private let heldLockPaths = Mutex<Set<String>>([])

/// A held `lockExclusive` lock. Released by `release()`, or when the last
/// reference goes away, or when the process exits.
package final class PosixFileLock: FileLock {
    /// The path as given to `lockExclusive`.
    package let path: String
    /// The resolved path used as the registry key.
    package let canonicalPath: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, canonicalPath: String, descriptor: Int32) {
        self.path = path
        self.canonicalPath = canonicalPath
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// Attempts (5 ms apart) before a held lock is reported: 100 ms.
    static let lockRetries = 20

    static func acquire(_ path: String) throws(IOError) -> PosixFileLock {
        let fd = try PosixFileSystem.openDescriptor(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, operation: "open(lock)")
        let canonical = canonicalize(path)
        let registered = heldLockPaths.withLock { $0.insert(canonical).inserted }
        guard registered else {
            _ = Glibc.close(fd)
            throw IOError(errno: EWOULDBLOCK, operation: "flock", path: path)
        }
        // No other opener in this process holds it (the registry says so), so
        // EWOULDBLOCK here means another process, or a short-lived copy of our
        // own released descriptor: a child being spawned by another thread
        // holds copies of every descriptor until its exec closes them
        // (O_CLOEXEC cannot close that window). Retry briefly before
        // reporting the directory as locked.
        var attempts = 0
        while spool_flock_exclusive_nonblocking(fd) != 0 {
            let e = spool_errno()
            attempts += 1
            if (e == EWOULDBLOCK || e == EINTR) && attempts < Self.lockRetries {
                var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
                nanosleep(&pause, nil)
                continue
            }
            _ = Glibc.close(fd)  // keeps I2
            _ = heldLockPaths.withLock { $0.remove(canonical) }
            throw IOError(errno: e, operation: "flock", path: path)
        }
        return PosixFileLock(path: path, canonicalPath: canonical, descriptor: fd)
    }

    package func release() {
        guard let fd = descriptor.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        _ = Glibc.close(fd)  // drops the flock; keeps I2
        _ = heldLockPaths.withLock { $0.remove(canonicalPath) }
    }

    /// realpath(3) of the (now existing) lock file; the literal path if that fails.
    private static func canonicalize(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
