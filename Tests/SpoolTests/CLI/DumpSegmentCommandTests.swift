// SPDX-License-Identifier: Apache-2.0
// `spool dump-segment`: exact text and JSON lines, and how damage is reported.
import FileIO
import LogStorage
import SpoolTestSupport
import Testing

@Suite("spool dump-segment")
struct DumpSegmentCommandTests {
    @Test("prints one text line per record with batch, position, offset, timestamp, key, value and headers")
    func textOutput() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "")
        #expect(run.stdoutLines == [
            #"batchBaseOffset: 100 position: 0 offset: 100 timestamp: 1700000000000 key: "order-1" value: "hello" headers: ["trace": "abc"]"#,
            #"batchBaseOffset: 100 position: 0 offset: 101 timestamp: 1700000000005 key: null value: "say \"hi\"\\\n\t\u0001é" headers: []"#,
            #"batchBaseOffset: 102 position: \#(p[1]) offset: 102 timestamp: 1700000000010 key: base64:/wAB value: base64:AAEC/g== headers: ["bin": base64:ww==, "none": null]"#,
            #"batchBaseOffset: 103 position: \#(p[2]) offset: 103 timestamp: 1700000000020 key: "" value: null headers: []"#,
        ])
    }

    @Test("--json prints one object per record; binary bytes become keyBase64/valueBase64, null stays null")
    func jsonOutput() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath, "--json"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "")
        #expect(run.stdoutLines == [
            #"{"batchBaseOffset":100,"position":0,"offset":100,"timestamp":1700000000000,"key":"order-1","value":"hello","headers":[{"key":"trace","value":"abc"}]}"#,
            #"{"batchBaseOffset":100,"position":0,"offset":101,"timestamp":1700000000005,"key":null,"value":"say \"hi\"\\\n\t\u0001é","headers":[]}"#,
            #"{"batchBaseOffset":102,"position":\#(p[1]),"offset":102,"timestamp":1700000000010,"keyBase64":"/wAB","valueBase64":"AAEC/g==","headers":[{"key":"bin","valueBase64":"ww=="},{"key":"none","value":null}]}"#,
            #"{"batchBaseOffset":103,"position":\#(p[2]),"offset":103,"timestamp":1700000000020,"key":"","value":null,"headers":[]}"#,
        ])
    }

    @Test("a flipped byte fails the batch CRC: good records printed, then exit 1 naming file and batch position")
    func flippedByte() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        try segment.surgery(.log).flipByte(at: p[1] + Int64(segment.batchSizes[1]) - 1)
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 2)
        #expect(run.stdoutLines.allSatisfy { $0.hasPrefix("batchBaseOffset: 100 ") })
        #expect(run.stderrLines == [
            "spool: error: \(segment.logPath): corrupt batch at byte position \(p[1]): batch CRC-32C mismatch",
        ])
    }

    @Test("a bad header field is reported at its batch with the exact byte of the problem")
    func badMagic() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        try segment.surgery(.log).setBytes(at: p[1] + 16, to: [1])
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath, "--json"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 2)
        #expect(run.stderrLines == [
            "spool: error: \(segment.logPath): corrupt batch at byte position \(p[1]): "
                + "magic byte is 1, expected 2 (RecordBatch v2) (byte 16 of the batch)",
        ])
    }

    @Test("a batch length running past the end of the file is reported as a truncated batch")
    func inflatedLength() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let size = segment.batchSizes[2]
        let inflated = Int32(size - 12 + 100)
        try segment.surgery(.log).setBytes(
            at: p[2] + 8, to: withUnsafeBytes(of: inflated.bigEndian) { Array($0) })
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 3)
        #expect(run.stderrLines == [
            "spool: error: \(segment.logPath): corrupt batch at byte position \(p[2]): "
                + "truncated batch: length \(size + 100) but \(size) bytes left",
        ])
    }

    @Test("a torn tail (file cut inside the last batch) is reported at that batch")
    func truncatedTail() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        try segment.surgery(.log).chopTail(5)
        let run = try await SpoolProcess.run(["dump-segment", segment.logPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 3)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("spool: error: \(segment.logPath): corrupt batch at byte position \(p[2]): truncated batch"))
    }

    @Test("an empty segment prints nothing and succeeds")
    func emptySegment() async throws {
        let directory = try TemporaryDirectory(prefix: "spool-cli-empty")
        let path = directory.appending("00000000000000000000.log")
        try PosixFileSystem().open(path, mode: .createNew).close()
        let run = try await SpoolProcess.run(["dump-segment", path])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "")
        #expect(run.stderr == "")
    }

    @Test("a missing file is a runtime error (exit 1) with one clear line")
    func missingFile() async throws {
        let directory = try TemporaryDirectory(prefix: "spool-cli-missing")
        let path = directory.appending("00000000000000000000.log")
        let run = try await SpoolProcess.run(["dump-segment", path])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout == "")
        #expect(run.stderrLines == ["spool: error: cannot open \(path): no such file or directory"])
    }
}

extension DumpSegmentCommandTests {
    @Test("a malformed record inside a batch with a valid CRC is reported at its batch, nothing of it printed")
    func malformedRecordWithValidCRC() async throws {
        let segment = try CLITestData.segment()
        let p = segment.batchPositions
        let surgery = segment.surgery(.log)
        let end = p[2] + Int64(segment.batchSizes[2])
        // The last record's headers count (its last byte) becomes 1 header that is not there.
        try surgery.setBytes(at: end - 1, to: [0x02])
        let batch = Array(try surgery.readAll()[Int(p[2])..<Int(end)])
        let crc = batch.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        try surgery.setBytes(at: p[2] + 17, to: withUnsafeBytes(of: crc.bigEndian) { Array($0) })

        let run = try await SpoolProcess.run(["dump-segment", segment.logPath])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.count == 3)
        #expect(!run.stdout.contains("offset: 103"))
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("spool: error: \(segment.logPath): corrupt batch at byte position \(p[2]): "))
        #expect(run.stderr.contains(" of the batch)"))
    }
}
