// SPDX-License-Identifier: Apache-2.0
// A `FileSystem` wrapper that counts every operation and fails a chosen one
// (EIO, ENOSPC, ...), once or for good, optionally tearing the failing write.
import FileIO
import Synchronization

// MARK: Invariants
// I1 `operationCount` is the number of counted calls started so far, failed
//    or not; the k-th call (1-based) sees `operationCount == k` once counted.
// I2 At most one fault is armed; it fires at most once, then is disarmed
//    (a sticky fault keeps failing through `stickyFault` instead).
// I3 Once `stickyFault` is set, every counted call fails with it until
//    `disarm()`.

/// Wraps any `FileSystem` and injects failures, for the "fail at operation k,
/// for every k" loops of fault tests (SQLite's `*fault.test`, LevelDB's
/// fault-injection env).
///
/// Usage: run a workload once unarmed and read `operationCount`; then, for
/// each k in 1...count, run it again on a fresh wrapper armed with
/// `failOperation(k)` and check the workload fails cleanly.
///
/// What is counted: every `FileSystem` and `FileHandle` call that can throw
/// (see `FileOperation`). A failed call does not reach the wrapped file
/// system, except that (a) a torn write first writes its prefix, and (b) an
/// injected `close` failure still closes the wrapped handle (close(2) frees
/// the descriptor even when it reports an error). Thread-safe.
package final class FaultInjectingFileSystem: FileSystem {
    /// What an armed failure looks like.
    package struct Fault: Sendable, Equatable {
        /// The code of the thrown `IOError`.
        package var code: IOError.Code
        /// The errno of the thrown `IOError`.
        package var errno: Int32
        /// Whether every later operation fails too (a dead device), rather
        /// than only the chosen one.
        package var sticky: Bool
        /// When the failing operation is a write: write this many leading
        /// bytes (capped at the write's length) before throwing, leaving a
        /// torn write behind. Ignored for other operations.
        package var tornWritePrefix: Int?

        package init(code: IOError.Code = .io, errno: Int32? = nil, sticky: Bool = false, tornWritePrefix: Int? = nil) {
            self.code = code
            self.errno = errno ?? code.representativeErrno
            self.sticky = sticky
            self.tornWritePrefix = tornWritePrefix
        }

        /// EIO once.
        package static let io = Fault(code: .io)
        /// ENOSPC once.
        package static let noSpace = Fault(code: .noSpace)
    }

    /// One failure that was injected.
    package struct InjectedFailure: Sendable, Equatable {
        package var operation: FileOperation
        package var path: String
        /// The failing call's number among all counted calls (1-based).
        package var ordinal: Int
        package var error: IOError
    }

    private struct Armed {
        var remaining: Int
        var kinds: Set<FileOperation>?
        var paths: (@Sendable (String) -> Bool)?
        var fault: Fault
    }

    private struct State {
        var total = 0
        var perKind: [FileOperation: Int] = [:]
        var armed: Armed?
        var stickyFault: Fault?
        var failures: [InjectedFailure] = []
    }

    /// What a counted call must do.
    enum Decision {
        case proceed
        case fail(IOError)
        case tear(prefix: Int, IOError)
    }

    /// The wrapped file system.
    package let base: any FileSystem
    private let state = Mutex(State())

    package init(wrapping base: any FileSystem) {
        self.base = base
    }

    // MARK: - Arming

    /// Arms a failure of the `n`-th counted call from now (1 = the next one)
    /// among those whose kind is in `kinds` (nil: any kind) and whose path
    /// satisfies `paths` (nil: any path). Replaces an earlier armed fault.
    package func failOperation(
        _ n: Int,
        of kinds: Set<FileOperation>? = nil,
        paths: (@Sendable (String) -> Bool)? = nil,
        with fault: Fault = .io
    ) {
        precondition(n >= 1, "operations are numbered from 1")
        state.withLock { $0.armed = Armed(remaining: n, kinds: kinds, paths: paths, fault: fault) }
    }

    /// Cancels an armed fault and ends a sticky failure (the device "comes
    /// back"); counters are kept.
    package func disarm() {
        state.withLock {
            $0.armed = nil
            $0.stickyFault = nil
        }
    }

    // MARK: - Observation

    /// The number of counted calls so far (I1).
    package var operationCount: Int { state.withLock { $0.total } }

    /// The number of counted calls of one kind so far.
    package func count(of kind: FileOperation) -> Int { state.withLock { $0.perKind[kind, default: 0] } }

    /// Every failure injected so far, in order.
    package var injectedFailures: [InjectedFailure] { state.withLock { $0.failures } }

    /// Whether an armed fault is still waiting to fire.
    package var isArmed: Bool { state.withLock { $0.armed != nil } }

    /// Whether a sticky fault has fired and is failing everything.
    package var isFailingPermanently: Bool { state.withLock { $0.stickyFault != nil } }

    // MARK: - FileSystem

    package func open(_ path: String, mode: OpenMode) throws(IOError) -> any FileHandle {
        try check(.open, path)
        return FaultInjectingFileHandle(try base.open(path, mode: mode), owner: self)
    }

    package func exists(_ path: String) -> Bool { base.exists(path) }

    package func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }

    package func listDirectory(_ path: String) throws(IOError) -> [String] {
        try check(.list, path)
        return try base.listDirectory(path)
    }

    package func createDirectory(_ path: String) throws(IOError) {
        try check(.createDirectory, path)
        try base.createDirectory(path)
    }

    package func removeFile(_ path: String) throws(IOError) {
        try check(.removeFile, path)
        try base.removeFile(path)
    }

    package func removeDirectoryRecursively(_ path: String) throws(IOError) {
        try check(.removeDirectory, path)
        try base.removeDirectoryRecursively(path)
    }

    package func rename(_ from: String, to: String) throws(IOError) {
        try check(.rename, from)
        try base.rename(from, to: to)
    }

    package func syncDirectory(_ path: String) throws(IOError) {
        try check(.syncDirectory, path)
        try base.syncDirectory(path)
    }

    package func fileSize(_ path: String) throws(IOError) -> Int64 {
        try check(.fileSize, path)
        return try base.fileSize(path)
    }

    package func lockExclusive(_ path: String) throws(IOError) -> any FileLock {
        try check(.lock, path)
        return try base.lockExclusive(path)
    }

    // MARK: - Counting

    /// Counts one call and throws if it is chosen to fail.
    func check(_ operation: FileOperation, _ path: String) throws(IOError) {
        switch decide(operation, path, byteCount: 0) {
        case .proceed: return
        case .fail(let error), .tear(_, let error): throw error
        }
    }

    /// Counts one call and says whether it proceeds, fails, or tears.
    func decide(_ operation: FileOperation, _ path: String, byteCount: Int) -> Decision {
        state.withLock { s in
            s.total += 1  // keeps I1
            s.perKind[operation, default: 0] += 1
            let fault: Fault
            if let sticky = s.stickyFault {
                fault = sticky  // keeps I3
            } else if var armed = s.armed,
                armed.kinds?.contains(operation) ?? true,
                armed.paths?(path) ?? true
            {
                armed.remaining -= 1
                guard armed.remaining == 0 else {
                    s.armed = armed
                    return .proceed
                }
                s.armed = nil  // keeps I2
                if armed.fault.sticky { s.stickyFault = armed.fault }
                fault = armed.fault
            } else {
                return .proceed
            }
            let error = IOError(code: fault.code, operation: "\(operation) [injected]", path: path, errno: fault.errno)
            s.failures.append(InjectedFailure(operation: operation, path: path, ordinal: s.total, error: error))
            if operation == .write, let prefix = fault.tornWritePrefix {
                return .tear(prefix: max(0, min(prefix, byteCount)), error)
            }
            return .fail(error)
        }
    }
}
