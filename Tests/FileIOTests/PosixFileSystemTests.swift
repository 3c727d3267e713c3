// SPDX-License-Identifier: Apache-2.0
// What only the real backend can show: errno classification, the in-process
// lock registry, and that a close racing with I/O never touches a reused fd.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
import SpoolTestSupport
import Testing

@Suite("PosixFileSystem")
struct PosixFileSystemTests {
    @Test(
        "errno values map to stable codes",
        arguments: [
            (ENOENT, IOError.Code.notFound), (EEXIST, .alreadyExists), (ENOSPC, .noSpace), (EDQUOT, .noSpace),
            (EIO, .io), (EACCES, .permissionDenied), (EPERM, .permissionDenied), (EWOULDBLOCK, .locked),
            (ENOTDIR, .notADirectory), (EISDIR, .isADirectory), (EINVAL, .other), (ENXIO, .io),
        ])
    func errnoMapping(value: Int32, code: IOError.Code) {
        let error = IOError(errno: value, operation: "op", path: "/p")
        #expect(error.code == code)
        #expect(error.errno == value)
    }

    @Test("errors keep the operation, the path and the errno")
    func errorContext() throws {
        let temp = try TemporaryDirectory()
        let missing = temp.appending("missing")
        do {
            _ = try PosixFileSystem().open(missing, mode: .readOnly)
            Issue.record("open of a missing file succeeded")
        } catch {
            #expect(error == IOError(code: .notFound, operation: "open", path: missing, errno: ENOENT))
        }
    }

    @Test("the lock registry refuses a second lock in this process however the path is spelled")
    func lockRegistryCanonicalisesPaths() throws {
        let temp = try TemporaryDirectory()
        let fs = PosixFileSystem()
        try fs.createDirectory(temp.appending("d"))
        let lock = try fs.lockExclusive(temp.appending("d/LOCK"))
        #expect(errorCode { try fs.lockExclusive(temp.appending("d/./LOCK")) } == .locked)
        #expect(errorCode { try fs.lockExclusive(temp.appending("d/../d//LOCK")) } == .locked)
        #expect(errorCode { try PosixFileSystem().lockExclusive(temp.appending("d/LOCK")) } == .locked)
        lock.release()
        try fs.lockExclusive(temp.appending("d/./LOCK")).release()
    }

    @Test("dropping the last reference to a lock releases it")
    func lockReleasedOnDeinit() throws {
        let temp = try TemporaryDirectory()
        let fs = PosixFileSystem()
        do {
            let lock = try fs.lockExclusive(temp.appending("LOCK"))
            _ = lock
        }
        try fs.lockExclusive(temp.appending("LOCK")).release()
    }

    @Test("the lock is an flock that another open file description cannot take")
    func lockIsKernelLevel() throws {
        let temp = try TemporaryDirectory()
        let path = temp.appending("LOCK")
        let lock = try PosixFileSystem().lockExclusive(path)
        let fd = open(path, O_RDWR | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) != 0)
        #expect(errno == EWOULDBLOCK)
        lock.release()
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
    }

    @Test("closing a handle while other threads read it yields data or .closed, never another file's bytes")
    func closeRacingReads() async throws {
        let temp = try TemporaryDirectory()
        let fs = PosixFileSystem()
        try fs.writeFile(temp.appending("a"), [UInt8](repeating: 0xAA, count: 4096))
        for round in 0..<20 {
            let handle = try fs.open(temp.appending("a"), mode: .readOnly)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<200 {
                            do {
                                let bytes = try handle.read(count: 64, at: 0)
                                #expect(bytes == [UInt8](repeating: 0xAA, count: 64))
                            } catch {
                                #expect((error as? IOError)?.code == .closed)
                                return
                            }
                        }
                    }
                }
                group.addTask {
                    // Reopen other files so a reused descriptor number would be visible.
                    try handle.close()
                    try fs.writeFile(temp.appending("b\(round)"), [UInt8](repeating: 0xBB, count: 64))
                }
                try await group.waitForAll()
            }
        }
    }
}
