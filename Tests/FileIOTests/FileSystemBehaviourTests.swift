// SPDX-License-Identifier: Apache-2.0
// One behavioural contract for every `FileSystem` backend: what the storage
// layer may rely on, checked against the kernel and against the doubles.
import FileIO
import SpoolTestSupport
import Testing

@Suite("FileSystem behaviour (every backend)")
struct FileSystemBehaviourTests {
    @Test("written bytes are read back and the size follows the highest write", arguments: Backend.allCases)
    func writeReadRoundTrip(backend: Backend) throws {
        let f = try Fixture(backend)
        let handle = try f.fileSystem.open(f.path("a.log"), mode: .createNew)
        try handle.write([UInt8]("hello "), at: 0)
        try handle.write([UInt8]("world"), at: 6)
        #expect(try handle.size() == 11)
        #expect(try handle.read(count: 11, at: 0) == [UInt8]("hello world"))
        #expect(try handle.read(count: 5, at: 6) == [UInt8]("world"))
        try handle.close()
        #expect(try f.fileSystem.fileSize(f.path("a.log")) == 11)
        #expect(try f.fileSystem.readFile(f.path("a.log")) == [UInt8]("hello world"))
    }

    @Test("a read is short only at the end of the file", arguments: Backend.allCases)
    func shortReadAtEnd(backend: Backend) throws {
        let f = try Fixture(backend)
        try f.makeFile("a", [UInt8]("abcdef"))
        let handle = try f.fileSystem.open(f.path("a"), mode: .readOnly)
        defer { try? handle.close() }
        #expect(try handle.read(count: 100, at: 4) == [UInt8]("ef"))
        #expect(try handle.read(count: 10, at: 6) == [])
        #expect(try handle.read(count: 10, at: 1000) == [])
    }

    @Test("a write past the end leaves a hole of zeros", arguments: Backend.allCases)
    func writePastEndZeroFills(backend: Backend) throws {
        let f = try Fixture(backend)
        let handle = try f.fileSystem.open(f.path("a"), mode: .createOrOpen)
        defer { try? handle.close() }
        try handle.write([7, 7], at: 4)
        #expect(try handle.read(count: 10, at: 0) == [0, 0, 0, 0, 7, 7])
    }

    @Test("truncate shrinks, and extends with zeros", arguments: Backend.allCases)
    func truncateShrinksAndExtends(backend: Backend) throws {
        let f = try Fixture(backend)
        let handle = try f.fileSystem.open(f.path("a"), mode: .createNew)
        defer { try? handle.close() }
        try handle.write([1, 2, 3, 4, 5], at: 0)
        try handle.truncate(to: 2)
        #expect(try handle.readAll() == [1, 2])
        try handle.truncate(to: 4)
        #expect(try handle.readAll() == [1, 2, 0, 0])
        try handle.sync()
    }

    @Test("open modes: missing files are not found, createNew refuses an existing file", arguments: Backend.allCases)
    func openModes(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        #expect(errorCode { try fs.open(f.path("missing"), mode: .readOnly) } == .notFound)
        #expect(errorCode { try fs.open(f.path("missing"), mode: .readWrite) } == .notFound)
        try f.makeFile("a", [1, 2, 3])
        #expect(errorCode { try fs.open(f.path("a"), mode: .createNew) } == .alreadyExists)
        // createOrOpen keeps existing content.
        let handle = try fs.open(f.path("a"), mode: .createOrOpen)
        #expect(try handle.readAll() == [1, 2, 3])
        try handle.close()
    }

    @Test("opening under a missing directory or a file fails with the kernel's codes", arguments: Backend.allCases)
    func openWithBadParent(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        #expect(errorCode { try fs.open(f.path("no/such/file"), mode: .createOrOpen) } == .notFound)
        try f.makeFile("plain", [])
        #expect(errorCode { try fs.open(f.path("plain/child"), mode: .createOrOpen) } == .notADirectory)
        try fs.createDirectory(f.path("dir"))
        #expect(errorCode { try fs.open(f.path("dir"), mode: .readOnly) } == .isADirectory)
        #expect(errorCode { try fs.open(f.path("dir"), mode: .readWrite) } == .isADirectory)
    }

    @Test("a handle opened read-only cannot write", arguments: Backend.allCases)
    func readOnlyHandleRefusesWrites(backend: Backend) throws {
        let f = try Fixture(backend)
        try f.makeFile("a", [1])
        let handle = try f.fileSystem.open(f.path("a"), mode: .readOnly)
        defer { try? handle.close() }
        let code = errorCode { try handle.write([2], at: 0) }
        #expect(code != nil && code != .closed)
        #expect(try handle.readAll() == [1])
    }

    @Test("rename replaces the target, and the old target stays readable through its open handle", arguments: Backend.allCases)
    func renameReplaces(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try f.makeFile("old", [UInt8]("old"))
        try f.makeFile("new.tmp", [UInt8]("new"))
        let oldHandle = try fs.open(f.path("old"), mode: .readOnly)
        try fs.rename(f.path("new.tmp"), to: f.path("old"))
        try fs.syncDirectory(f.root)
        #expect(!fs.exists(f.path("new.tmp")))
        #expect(try fs.readFile(f.path("old")) == [UInt8]("new"))
        #expect(try oldHandle.readAll() == [UInt8]("old"))
        try oldHandle.close()
        #expect(try fs.listDirectory(f.root) == ["old"])
        #expect(errorCode { try fs.rename(f.path("missing"), to: f.path("x")) } == .notFound)
    }

    @Test("a directory can be renamed with its contents", arguments: Backend.allCases)
    func renameDirectory(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try fs.createDirectory(f.path("d1/sub"))
        try f.makeFile("d1/sub/x", [9])
        try fs.rename(f.path("d1"), to: f.path("d2"))
        #expect(!fs.exists(f.path("d1")))
        #expect(try fs.readFile(f.path("d2/sub/x")) == [9])
    }

    @Test("listing is sorted by bytes and excludes . and ..", arguments: Backend.allCases)
    func listSorted(backend: Backend) throws {
        let f = try Fixture(backend)
        for name in ["b", "a10", "a2", "B", "00000000000000000010.log", "00000000000000000002.log"] {
            try f.makeFile(name, [])
        }
        try f.fileSystem.createDirectory(f.path("sub"))
        #expect(try f.fileSystem.listDirectory(f.root) == [
            "00000000000000000002.log", "00000000000000000010.log", "B", "a10", "a2", "b", "sub",
        ])
        #expect(try f.fileSystem.listDirectory(f.path("sub")) == [])
        #expect(errorCode { try f.fileSystem.listDirectory(f.path("missing")) } == .notFound)
        #expect(errorCode { try f.fileSystem.listDirectory(f.path("b")) } == .notADirectory)
    }

    @Test("createDirectory makes parents, is idempotent, and refuses files in the way", arguments: Backend.allCases)
    func createDirectory(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try fs.createDirectory(f.path("a/b/c"))
        try fs.createDirectory(f.path("a/b/c"))
        #expect(fs.isDirectory(f.path("a/b")))
        #expect(fs.isDirectory(f.path("a/b/c")))
        try f.makeFile("file", [])
        #expect(!fs.isDirectory(f.path("file")))
        #expect(fs.exists(f.path("file")))
        #expect(errorCode { try fs.createDirectory(f.path("file")) } == .alreadyExists)
        #expect(errorCode { try fs.createDirectory(f.path("file/x")) } == .notADirectory)
    }

    @Test("removeFile removes files only and reports what is missing", arguments: Backend.allCases)
    func removeFile(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try f.makeFile("a", [1])
        try fs.removeFile(f.path("a"))
        #expect(!fs.exists(f.path("a")))
        #expect(errorCode { try fs.removeFile(f.path("a")) } == .notFound)
        try fs.createDirectory(f.path("d"))
        try f.makeFile("d/x", [])
        #expect(errorCode { try fs.removeFile(f.path("d")) } == .isADirectory)
        #expect(fs.exists(f.path("d/x")))
    }

    @Test("removeDirectoryRecursively removes a whole tree", arguments: Backend.allCases)
    func removeTree(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try fs.createDirectory(f.path("t/a/b"))
        try f.makeFile("t/x", [1])
        try f.makeFile("t/a/b/y", [2])
        try f.makeFile("keep", [3])
        try fs.removeDirectoryRecursively(f.path("t"))
        #expect(!fs.exists(f.path("t")))
        #expect(try fs.listDirectory(f.root) == ["keep"])
        #expect(errorCode { try fs.removeDirectoryRecursively(f.path("t")) } == .notFound)
        #expect(errorCode { try fs.removeDirectoryRecursively(f.path("keep")) } == .notADirectory)
    }

    @Test("an unlinked file stays readable and writable through an open handle", arguments: Backend.allCases)
    func unlinkedFileKeepsWorking(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        try f.makeFile("a", [1, 2])
        let handle = try fs.open(f.path("a"), mode: .readWrite)
        try fs.removeFile(f.path("a"))
        try handle.write([3], at: 2)
        #expect(try handle.readAll() == [1, 2, 3])
        try handle.close()
        #expect(!fs.exists(f.path("a")))
        // A new file of the same name is a different file.
        try f.makeFile("a", [9])
        #expect(try fs.readFile(f.path("a")) == [9])
    }

    @Test("fileSize and syncDirectory report missing paths", arguments: Backend.allCases)
    func missingPaths(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        #expect(errorCode { try fs.fileSize(f.path("missing")) } == .notFound)
        #expect(errorCode { try fs.syncDirectory(f.path("missing")) } == .notFound)
        try fs.syncDirectory(f.root)
        try fs.createDirectory(f.path("d"))
        #expect(errorCode { try fs.fileSize(f.path("d")) } == .isADirectory)
    }

    @Test("a second lockExclusive of the same path is refused until the first is released", arguments: Backend.allCases)
    func lockConflict(backend: Backend) throws {
        let f = try Fixture(backend)
        let fs = f.fileSystem
        let lock = try fs.lockExclusive(f.path(".lock"))
        #expect(fs.exists(f.path(".lock")))
        #expect(errorCode { try fs.lockExclusive(f.path(".lock")) } == .locked)
        let other = try fs.lockExclusive(f.path("other.lock"))
        lock.release()
        lock.release()  // idempotent
        let again = try fs.lockExclusive(f.path(".lock"))
        #expect(errorCode { try fs.lockExclusive(f.path(".lock")) } == .locked)
        again.release()
        other.release()
    }

    @Test("every call on a closed handle throws .closed", arguments: Backend.allCases)
    func useAfterClose(backend: Backend) throws {
        let f = try Fixture(backend)
        let handle = try f.fileSystem.open(f.path("a"), mode: .createNew)
        try handle.write([1], at: 0)
        try handle.close()
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(errorCode { try buffer.withUnsafeMutableBytes { try handle.read(into: $0, at: 0) } } == .closed)
        #expect(errorCode { try handle.write([2], at: 0) } == .closed)
        #expect(errorCode { try handle.size() } == .closed)
        #expect(errorCode { try handle.truncate(to: 0) } == .closed)
        #expect(errorCode { try handle.sync() } == .closed)
        #expect(errorCode { try handle.close() } == .closed)
        #expect(try f.fileSystem.readFile(f.path("a")) == [1])
    }

    @Test("a megabyte-scale file is written and read back in pieces", arguments: Backend.allCases)
    func largerFile(backend: Backend) throws {
        let f = try Fixture(backend)
        var random = SeededRandom(seed: 42)
        let chunk = random.bytes(64 * 1024)
        let handle = try f.fileSystem.open(f.path("big"), mode: .createNew)
        for i in 0..<32 { try handle.write(chunk, at: Int64(i * chunk.count)) }
        try handle.sync()
        #expect(try handle.size() == Int64(32 * chunk.count))
        #expect(try handle.read(count: chunk.count, at: Int64(17 * chunk.count)) == chunk)
        try handle.close()
    }
}
