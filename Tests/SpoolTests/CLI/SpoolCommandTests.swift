// SPDX-License-Identifier: Apache-2.0
// The `spool` command line as a whole: exit codes 0/1/2 and the one-line
// `spool: error:` convention for usage mistakes.
import Testing

@Suite("spool command line")
struct SpoolCommandTests {
    @Test("a missing argument is a usage error: exit 2, first stderr line names it")
    func missingArgument() async throws {
        let run = try await SpoolProcess.run(["dump-segment"])
        #expect(run.status == 2, "\(run)")
        #expect(run.stdout == "")
        #expect(run.stderrLines.first == "spool: error: Missing expected argument '<file>'")
        #expect(run.stderr.contains("Usage: spool dump-segment <file> [--json]"))
    }

    @Test("an unknown option or subcommand is a usage error (exit 2)",
          arguments: [["dump-index", "--bogus", "x.index"], ["no-such-command"], ["topics", "frobnicate"],
                      ["groups", "describe"], ["consume"]])
    func unknownInput(arguments: [String]) async throws {
        let run = try await SpoolProcess.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: ") == true)
    }

    @Test("spool without a subcommand is a usage error (exit 2)")
    func noSubcommand() async throws {
        let run = try await SpoolProcess.run([])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines == ["spool: error: missing subcommand (see 'spool --help')"])
    }

    @Test("a command group without its subcommand is a usage error (exit 2)", arguments: ["topics", "groups"])
    func groupWithoutSubcommand(group: String) async throws {
        let run = try await SpoolProcess.run([group])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines == ["spool: error: missing subcommand (see 'spool \(group) --help')"])
    }

    @Test("--help prints the subcommands to stdout and exits 0")
    func help() async throws {
        let run = try await SpoolProcess.run(["--help"])
        #expect(run.status == 0, "\(run)")
        for command in ["topics", "produce", "consume", "groups", "verify", "dump-segment", "dump-index"] {
            #expect(run.stdout.contains(command), "\(command)")
        }
        #expect(run.stderr == "")
    }
}
