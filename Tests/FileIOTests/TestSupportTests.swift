// SPDX-License-Identifier: Apache-2.0
// The small test tools: seeded randomness, the manual clock, temporary
// directories and byte surgery.
import FileIO
import SpoolTestSupport
import Testing

@Suite("Test support tools")
struct TestSupportTests {
    @Test("the same seed gives the same sequence; different seeds differ")
    func seededRandomIsReproducible() {
        var a = SeededRandom(seed: 1234)
        var b = SeededRandom(seed: 1234)
        var c = SeededRandom(seed: 1235)
        let sa = (0..<16).map { _ in a.next() }
        #expect(sa == (0..<16).map { _ in b.next() })
        #expect(sa != (0..<16).map { _ in c.next() })
        #expect(a.seed == 1234)
        #expect(a.description.contains("1234"))
        var d = SeededRandom(seed: 7)
        #expect(d.bytes(13).count == 13)
        let values = (0..<1000).map { _ in Int.random(in: 0..<10, using: &d) }
        #expect(Set(values) == Set(0..<10))
    }

    @Test("the manual clock moves only when advanced")
    func manualClock() {
        let clock = ManualClock(start: 1_000)
        #expect(clock.now == 1_000)
        #expect(clock.advance(by: 250) == 1_250)
        #expect(clock.now == 1_250)
        clock.set(to: 5_000)
        #expect(clock.now == 5_000)
    }

    @Test("a temporary directory exists until removed, and removal is idempotent")
    func temporaryDirectory() throws {
        let fs = PosixFileSystem()
        let temp = try TemporaryDirectory(prefix: "spool-tools")
        #expect(temp.path.hasPrefix("/tmp/spool-tools."))
        #expect(fs.isDirectory(temp.path))
        try fs.createDirectory(temp.appending("a/b"))
        try fs.writeFile(temp.appending("a/b/c"), [1])
        try temp.remove()
        #expect(!fs.exists(temp.path))
        try temp.remove()
        let other = try TemporaryDirectory(prefix: "spool-tools")
        #expect(other.path != temp.path)
    }

    @Test("byte surgery flips, sets, truncates, chops and appends", arguments: [Backend.inMemory, .posix])
    func byteSurgery(backend: Backend) throws {
        let f = try Fixture(backend)
        try f.makeFile("seg", [0, 1, 2, 3, 4, 5])
        let file = ByteSurgery(f.fileSystem, path: f.path("seg"))
        try file.flipByte(at: 1)
        #expect(try file.readAll() == [0, 0xFE, 2, 3, 4, 5])
        try file.flipByte(at: 1, mask: 0x01)
        #expect(try file.readAll() == [0, 0xFF, 2, 3, 4, 5])
        try file.setBytes(at: 4, to: [9, 9])
        #expect(try file.readAll() == [0, 0xFF, 2, 3, 9, 9])
        try file.chopTail(2)
        #expect(try file.size() == 4)
        try file.append([7])
        var random = SeededRandom(seed: 3)
        try file.appendGarbage(3, using: &random)
        #expect(try file.size() == 8)
        try file.truncate(to: 2)
        #expect(try file.readAll() == [0, 0xFF])
        #expect(errorCode { try file.flipByte(at: 2) } == .other)
        #expect(errorCode { try file.setBytes(at: 1, to: [1, 2]) } == .other)
        #expect(errorCode { try file.chopTail(3) } == .other)
        #expect(try file.readAll() == [0, 0xFF], "failed surgery changes nothing")
    }
}
