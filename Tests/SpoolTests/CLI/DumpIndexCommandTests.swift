// SPDX-License-Identifier: Apache-2.0
// `spool dump-index`: both index kinds in text and JSON, and how a bad
// length or out-of-order entries are reported.
import LogStorage
import SpoolTestSupport
import Testing

@Suite("spool dump-index")
struct DumpIndexCommandTests {
    @Test("an offset index prints absolute offsets (base from the file name) and positions")
    func offsetIndex() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let text = try await SpoolProcess.run(["dump-index", segment.indexPath])
        #expect(text.status == 0, "\(text)")
        #expect(text.stderr == "")
        #expect(text.stdoutLines == ["offset: 102 position: \(p[1])", "offset: 103 position: \(p[2])"])

        let json = try await SpoolProcess.run(["dump-index", "--json", segment.indexPath])
        #expect(json.status == 0, "\(json)")
        #expect(json.stdoutLines == [
            #"{"offset":102,"position":\#(p[1])}"#,
            #"{"offset":103,"position":\#(p[2])}"#,
        ])
    }

    @Test("a time index prints timestamps and absolute offsets")
    func timeIndex() async throws {
        let segment = try CLITestData.segment()
        let text = try await SpoolProcess.run(["dump-index", segment.timeIndexPath])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines == [
            "timestamp: 1700000000010 offset: 102",
            "timestamp: 1700000000020 offset: 103",
        ])

        let json = try await SpoolProcess.run(["dump-index", segment.timeIndexPath, "--json"])
        #expect(json.status == 0, "\(json)")
        #expect(json.stdoutLines == [
            #"{"timestamp":1700000000010,"offset":102}"#,
            #"{"timestamp":1700000000020,"offset":103}"#,
        ])
    }

    @Test("an offset index whose length is not a multiple of 8 prints its whole entries, then exits 1")
    func offsetIndexBadLength() async throws {
        let segment = try CLITestData.segment()
        try segment.surgery(.index).append([0xAA, 0xBB, 0xCC])
        let run = try await SpoolProcess.run(["dump-index", segment.indexPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 2)
        #expect(run.stderrLines == [
            "spool: error: \(segment.indexPath): length 19 is not a multiple of the 8-byte entry size "
                + "(3 trailing bytes at byte position 16)",
        ])
    }

    @Test("a time index whose length is not a multiple of 12 exits 1")
    func timeIndexBadLength() async throws {
        let segment = try CLITestData.segment()
        try segment.surgery(.timeIndex).append([1, 2, 3, 4, 5])
        let run = try await SpoolProcess.run(["dump-index", segment.timeIndexPath, "--json"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 2)
        #expect(run.stderrLines == [
            "spool: error: \(segment.timeIndexPath): length 29 is not a multiple of the 12-byte entry size "
                + "(5 trailing bytes at byte position 24)",
        ])
    }

    @Test("offset index entries that do not increase are reported with the entry and its byte position")
    func offsetIndexNotIncreasing() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let surgery = segment.surgery(.index)
        let first = Array(try surgery.readAll()[0..<8])
        try surgery.setBytes(at: 8, to: first)
        let run = try await SpoolProcess.run(["dump-index", segment.indexPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines == ["offset: 102 position: \(p[1])"])
        #expect(run.stderrLines == [
            "spool: error: \(segment.indexPath): entry 1 at byte position 8 (offset: 102 position: \(p[1])) "
                + "does not increase after entry 0 (offset: 102 position: \(p[1]))",
        ])
    }

    @Test("time index timestamps that go backwards are reported and exit 1")
    func timeIndexNotIncreasing() async throws {
        let segment = try CLITestData.segment()
        // Entry 1's timestamp becomes 5, below entry 0's.
        try segment.surgery(.timeIndex).setBytes(at: 12, to: [0, 0, 0, 0, 0, 0, 0, 5])
        let run = try await SpoolProcess.run(["dump-index", segment.timeIndexPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines == ["timestamp: 1700000000010 offset: 102"])
        #expect(run.stderrLines == [
            "spool: error: \(segment.timeIndexPath): entry 1 at byte position 12 (timestamp: 5 offset: 103) "
                + "does not increase after entry 0 (timestamp: 1700000000010 offset: 102)",
        ])
    }

    @Test("a file not named like an index is a usage error (exit 2)", arguments: ["notes.txt", "00000000000000000000.log"])
    func notAnIndex(name: String) async throws {
        let run = try await SpoolProcess.run(["dump-index", "/tmp/" + name])
        #expect(run.status == 2, "\(run)")
        #expect(run.stdout == "")
        #expect(run.stderrLines.first
            == "spool: error: '/tmp/\(name)' is not an index file: expected <20-digit base offset>.index or .timeindex")
    }
}
