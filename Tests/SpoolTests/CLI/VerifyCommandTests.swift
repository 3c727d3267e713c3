// SPDX-License-Identifier: Apache-2.0
// `spool verify`: a summary and exit 0 on a healthy directory, the problem
// and exit 1 after a byte of a segment was flipped.
import FileIO
import SpoolTestSupport
import Testing

@Suite("spool verify")
struct VerifyCommandTests {
    private func populated() async throws -> CLIDataDirectory {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "a\nb\nc\n")
        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "d\n")
        try await data.succeed(["produce", "orders", "--partition", "1"], stdin: "e\n")
        return data
    }

    @Test("a healthy directory: summary line, exit 0, JSON with healthy true")
    func healthy() async throws {
        let data = try await populated()
        let text = try await data.succeed(["verify"])
        #expect(text.stdoutLines.count == 1)
        let summary = text.stdoutLines.first ?? ""
        #expect(summary.hasPrefix("checked 2 partitions, 2 segments, 3 batches, 5 records, "))
        #expect(summary.hasSuffix(" bytes: ok"))
        let json = try await data.succeed(["verify", "--json"])
        #expect(json.stdoutLines.count == 1)
        #expect(json.stdoutLines.first?.hasPrefix(
            #"{"healthy":true,"opened":true,"partitions":2,"segments":2,"batches":3,"records":5,"bytes":"#) == true)
        #expect(json.stdoutLines.first?.hasSuffix(#","problems":[]}"#) == true)
    }

    @Test("a flipped byte in a segment: the problem names the file, exit 1")
    func flippedByte() async throws {
        let data = try await populated()
        let log = data.path + "/orders-0/00000000000000000000.log"
        let surgery = ByteSurgery(PosixFileSystem(), path: log)
        // The last byte of the first batch's records (inside its CRC coverage).
        let size = try surgery.size()
        try surgery.flipByte(at: size / 3)
        let run = try await data.run(["verify"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines.contains { $0.hasPrefix("problem: ") && $0.contains(log) })
        // One error line; recovery may log (as a warning) that it re-validated the segment first.
        #expect(run.stderrLines.filter { $0.hasPrefix("spool: error: ") }.count == 1)
        #expect(run.stderrLines.last?.hasPrefix("spool: error: ") == true)

        let json = try await data.run(["verify", "--json"])
        #expect(json.status == 1, "\(json)")
        #expect(json.stdoutLines.first?.hasPrefix(#"{"healthy":false,"#) == true)
    }
}
