// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 4, metadata half: a damaged, truncated or missing SQLite file
// must stop `Spool.open` with a clear `.metadataUnusable` error, and must not
// cost the log a single byte (no partition folder is "reconciled" away).
import FileIO
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("A damaged or truncated metadata database at open")
struct MetadataDamageTests {
    enum Damage: String, CaseIterable, Sendable {
        case garbageHeader, garbagePage, truncatedToHalf, truncatedTo100Bytes, truncatedToZero, deleted
    }

    /// A data directory with a topic, records and a committed group offset, closed cleanly.
    static func makeDirectory() async throws -> ScratchDirectory {
        let scratch = try ScratchDirectory("metadata")
        let dir = scratch.appending("data")
        let spool = try Spool.open(at: dir, configuration: SpoolHarness.configuration(), fileSystem: PosixFileSystem(),
                                   clock: SpoolHarness.clock, metadataPath: nil)
        try spool.createTopic("orders", partitions: 2)
        for i in 0..<200 { _ = try await spool.producer().send(Record(value: "record \(i) " + String(repeating: "x", count: 40), partition: i % 2), to: "orders") }
        let c = try await spool.consumer(group: "g", topics: ["orders"], options: SpoolHarness.manualMember)
        try await c.commit(offsets: [TopicPartitionID(topic: "orders", partition: 0): 50])
        try await c.close()
        try spool.close()
        return scratch
    }

    static func damage(_ path: String, _ kind: Damage) throws {
        let fs = PosixFileSystem()
        let surgery = ByteSurgery(fs, path: path)
        let size = try surgery.size()
        var random = SeededRandom(seed: 4)
        switch kind {
        case .garbageHeader: try surgery.setBytes(at: 0, to: random.bytes(100))
        case .garbagePage: try surgery.setBytes(at: min(4096, size / 2), to: random.bytes(Int(min(4096, size / 2))))
        case .truncatedToHalf: try surgery.truncate(to: size / 2)
        case .truncatedTo100Bytes: try surgery.truncate(to: 100)
        case .truncatedToZero: try surgery.truncate(to: 0)
        case .deleted: try fs.removeFile(path)
        }
    }

    @Test("a damaged database fails the open with .metadataUnusable naming the file; the log is untouched",
          arguments: [Damage.garbageHeader, .garbagePage, .truncatedToHalf, .truncatedTo100Bytes])
    func damagedDatabase(_ kind: Damage) async throws {
        let scratch = try await Self.makeDirectory()
        let dir = scratch.appending("data")
        let db = dir + "/" + Spool.metadataFileName
        try Self.damage(db, kind)
        let before = try PosixFileSystem().listDirectory(dir)
        #expect(throws: SpoolError.self) {
            do { _ = try Spool.open(at: dir, configuration: SpoolHarness.configuration()) } catch let e as SpoolError {
                #expect(e.code == .metadataUnusable, "\(kind): \(e.code) \(e)")
                #expect(e.description.contains(Spool.metadataFileName), "\(kind): the error names the file: \(e)")
                throw e
            }
        }
        #expect(try PosixFileSystem().listDirectory(dir).filter { $0.hasPrefix("orders-") } == before.filter { $0.hasPrefix("orders-") })
    }

    @Test("an emptied or deleted database next to existing partitions is refused, not silently recreated",
          arguments: [Damage.truncatedToZero, .deleted])
    func emptiedDatabase(_ kind: Damage) async throws {
        let scratch = try await Self.makeDirectory()
        let dir = scratch.appending("data")
        try Self.damage(dir + "/" + Spool.metadataFileName, kind)
        var opened: Spool?
        do { opened = try Spool.open(at: dir, configuration: SpoolHarness.configuration()) } catch let e as SpoolError {
            #expect(e.code == .metadataUnusable, "\(kind): \(e)")
        }
        try opened?.close()
        #expect(opened == nil, "\(kind): the open succeeded with an empty catalog")
        let left = try PosixFileSystem().listDirectory(dir).filter { $0.hasPrefix("orders-") }
        #expect(left.count == 2, "\(kind): partition folders left: \(left)")
    }
}
