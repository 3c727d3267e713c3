// SPDX-License-Identifier: Apache-2.0
// The fault injector fails exactly the operation it is armed for, with the
// code asked for, once or for good, and can tear a write.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
import SpoolTestSupport
import Testing

@Suite("FaultInjectingFileSystem")
struct FaultInjectingFileSystemTests {
    /// A small workload touching most operation kinds; stops at the first error.
    static func workload(_ fs: any FileSystem) throws(IOError) {
        try fs.createDirectory("/d")
        let handle = try fs.open("/d/a.tmp", mode: .createNew)
        try handle.write([1, 2, 3], at: 0)
        try handle.write([4, 5], at: 3)
        try handle.sync()
        _ = try handle.size()
        try handle.close()
        try fs.rename("/d/a.tmp", to: "/d/a")
        try fs.syncDirectory("/d")
        _ = try fs.listDirectory("/d")
        _ = try fs.readFile("/d/a")
        try fs.removeFile("/d/a")
    }

    @Test("an unarmed wrapper is transparent and counts every fallible call")
    func countsOperations() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        try Self.workload(fs)
        // mkdir, open, write, write, sync, size, close, rename, fsync(dir), list,
        // readFile (open, size, read, close), unlink
        #expect(fs.operationCount == 15)
        #expect(fs.count(of: .write) == 2)
        #expect(fs.count(of: .open) == 2)
        #expect(fs.injectedFailures.isEmpty)
    }

    @Test("for every k, arming operation k fails exactly that operation with the given code")
    func failsExactlyTheNthOperation() throws {
        let total: Int
        do {
            let probe = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
            try Self.workload(probe)
            total = probe.operationCount
        }
        for k in 1...total {
            let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
            fs.failOperation(k, with: .noSpace)
            let code = errorCode { try Self.workload(fs) }
            #expect(code == .noSpace, "k = \(k)")
            // The workload stops at the failed call; readFile may still close its handle.
            #expect(fs.operationCount - k <= 1, "k = \(k)")
            #expect(fs.injectedFailures.map(\.ordinal) == [k])
            #expect(fs.injectedFailures.first?.error.errno == ENOSPC)
            #expect(!fs.isArmed)
        }
    }

    @Test("a fault limited to some kinds counts only those kinds")
    func kindFilter() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        fs.failOperation(2, of: [.write], with: FaultInjectingFileSystem.Fault(code: .io, errno: EIO))
        let code = errorCode { try Self.workload(fs) }
        #expect(code == .io)
        #expect(fs.injectedFailures.map(\.operation) == [.write])
        #expect(fs.count(of: .write) == 2)
        #expect(fs.count(of: .sync) == 0)
    }

    @Test("a fault can be limited to paths")
    func pathFilter() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        try fs.writeFile("/other", [1])
        fs.failOperation(1, of: [.open], paths: { $0.hasSuffix(".tmp") })
        #expect(errorCode { try fs.writeFile("/x", [1]) } == nil)
        #expect(errorCode { try fs.writeFile("/x.tmp", [1]) } == .io)
    }

    @Test("a fault fires once; the next call succeeds")
    func onceOnly() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        fs.failOperation(1, of: FileOperation.syncs)
        let handle = try fs.open("/a", mode: .createNew)
        #expect(errorCode { try handle.sync() } == .io)
        try handle.sync()
        try handle.close()
    }

    @Test("a sticky fault fails every later operation of every kind until disarmed")
    func stickyFailure() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        let handle = try fs.open("/a", mode: .createNew)
        fs.failOperation(1, of: [.sync], with: .init(code: .io, sticky: true))
        try handle.write([1], at: 0)
        #expect(errorCode { try handle.sync() } == .io)
        #expect(fs.isFailingPermanently)
        #expect(errorCode { try handle.write([2], at: 1) } == .io)
        #expect(errorCode { try handle.size() } == .io)
        #expect(errorCode { try fs.listDirectory("/") } == .io)
        #expect(fs.injectedFailures.count == 4)
        fs.disarm()
        #expect(try handle.readAll() == [1])
        try handle.close()
    }

    @Test("a torn write leaves its prefix on disk and throws")
    func tornWrite() throws {
        let memory = InMemoryFileSystem()
        let fs = FaultInjectingFileSystem(wrapping: memory)
        let handle = try fs.open("/a", mode: .createNew)
        try handle.write([1, 2], at: 0)
        fs.failOperation(1, of: [.write], with: .init(code: .noSpace, tornWritePrefix: 3))
        #expect(errorCode { try handle.write([10, 11, 12, 13, 14], at: 2) } == .noSpace)
        try handle.close()
        #expect(try memory.readFile("/a") == [1, 2, 10, 11, 12])
    }

    @Test("an injected close failure still closes the wrapped handle")
    func closeFailureStillCloses() throws {
        let fs = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        let handle = try fs.open("/a", mode: .createNew)
        fs.failOperation(1, of: [.close])
        #expect(errorCode { try handle.close() } == .io)
        #expect(errorCode { try handle.size() } == .closed)
    }
}
