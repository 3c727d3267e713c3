// SPDX-License-Identifier: Apache-2.0
// How every data-directory command treats a directory it cannot use:
// locked by another process, not a Spool directory, missing.
import FileIO
import Spool
import SpoolTestSupport
import Testing

@Suite("spool data directory errors")
struct DataDirectoryTests {
    @Test("a directory held open by another process (this test) is refused with exit 1 and an 'in use' message")
    func locked() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        let spool = try Spool.open(at: data.path)
        defer { try? spool.close() }
        for command in [["topics", "list"], ["consume", "orders"], ["verify"], ["groups", "list"]] {
            let run = try await data.run(command)
            #expect(run.status == 1, "\(command): \(run)")
            #expect(run.stdout == "")
            #expect(run.stderrLines == [
                "spool: error: data directory \(data.path) is in use by another process (it is locked); "
                    + "stop that process or use another --data directory",
            ], "\(command)")
        }
        let produce = try await data.run(["produce", "orders"], stdin: "a\n")
        #expect(produce.status == 1, "\(produce)")
        try spool.close()
        // Released: the record was never written.
        #expect(try await data.succeed(["topics", "describe", "orders"]).stdoutLines.last
            == "partition: 0 start: 0 end: 0 size: 0 segments: 1")
    }

    @Test("a non-empty directory that is not a Spool directory is refused and left alone")
    func notASpoolDirectory() async throws {
        let directory = try TemporaryDirectory(prefix: "spool-cli-foreign")
        let fs = PosixFileSystem()
        try fs.writeFile(directory.appending("notes.txt"), Array("mine".utf8))
        let run = try await SpoolProcess.run(["topics", "create", "t", "--partitions", "1", "--data", directory.path])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines == [
            "spool: error: \(directory.path) is not empty and is not a Spool data directory (no spool.sqlite)",
        ])
        #expect(try fs.listDirectory(directory.path) == ["notes.txt"])
    }

    @Test("read commands refuse a missing directory instead of creating it")
    func missing() async throws {
        let data = try CLIDataDirectory()
        let run = try await data.run(["topics", "list"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: data directory \(data.path) does not exist") == true)
        #expect(!PosixFileSystem().exists(data.path))
    }

    @Test("$SPOOL_DATA names the directory when --data is absent")
    func environment() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        let run = try await SpoolProcess.run(["topics", "list"], environment: ["SPOOL_DATA=\(data.path)"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdoutLines == ["topic: orders partitions: 1"])
    }
}
