// SPDX-License-Identifier: Apache-2.0
// A fresh data directory per test (`<tmp>/data`, created by the first
// `topics create`) and `spool` runs against it with `--data`.
import SpoolTestSupport
import Testing

struct CLIDataDirectory {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory(prefix: "spool-cli-data")
    }

    var path: String { root.appending("data") }

    /// `spool arguments... --data <path>` with `stdin` as standard input.
    func run(_ arguments: [String], stdin: String? = nil) async throws -> SpoolRun {
        try await SpoolProcess.run(arguments + ["--data", path], stdin: stdin.map { Array($0.utf8) })
    }

    /// As `run`, expecting success and an empty stderr.
    @discardableResult
    func succeed(_ arguments: [String], stdin: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> SpoolRun {
        let result = try await run(arguments, stdin: stdin)
        #expect(result.status == 0, "\(arguments): \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr == "", "\(arguments): \(result)", sourceLocation: sourceLocation)
        return result
    }

    func createTopic(_ name: String, partitions: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await succeed(["topics", "create", name, "--partitions", String(partitions)], sourceLocation: sourceLocation)
    }
}
