// SPDX-License-Identifier: Apache-2.0
// The `spool` executable's root command: the subcommand list and the one
// place that turns errors into stderr lines and exit codes
// (0 success, 1 runtime error, 2 usage error; architecture.md §8).
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `spool <subcommand> ...`. Async because the data-directory commands await
/// the Spool API; the dump tools are synchronous.
@main
struct SpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "Operate and inspect a Spool data directory.",
        discussion: """
            Exit codes: 0 success, 1 runtime error (I/O failure, damaged data), \
            2 usage error. Errors are printed to stderr as one line starting with 'spool: error:'.
            """,
        subcommands: [
            TopicsCommand.self,
            ProduceCommand.self,
            ConsumeCommand.self,
            GroupsCommand.self,
            VerifyCommand.self,
            DumpSegmentCommand.self,
            DumpIndexCommand.self,
        ])

    /// `spool` alone names no subcommand: a usage error.
    func run() async throws {
        throw CLIError.usage("missing subcommand (see 'spool --help')")
    }

    /// Replaces ArgumentParser's entry point, whose exit code for usage errors
    /// is 64 (EX_USAGE) and whose runtime errors are not one-line.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            exitForRuntimeError(error)
        }
        Glibc.exit(0)
    }

    /// Help and version requests print to stdout and succeed; anything else
    /// from parsing (unknown option, missing argument, failed `validate()`) is
    /// a usage error: the one-line message, then ArgumentParser's usage lines.
    private static func exitForParseError(_ error: any Error) -> Never {
        if exitCode(for: error) == .success {
            StandardOutput.writeUnbuffered(fullMessage(for: error))
            Glibc.exit(0)
        }
        var lines = ["spool: error: " + message(for: error)]
        let details = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
        lines += details.drop(while: { $0.hasPrefix("Error:") }).filter { !$0.isEmpty }.map(String.init)
        StandardError.write(lines.joined(separator: "\n"))
        Glibc.exit(2)
    }

    private static func exitForRuntimeError(_ error: any Error) -> Never {
        switch error {
        case let error as CLIError:
            StandardError.write("spool: error: " + error.message)
            Glibc.exit(error.exitCode)
        case let error as ExitCode:
            Glibc.exit(error.rawValue)
        default:
            let code = exitCode(for: error)
            if code == .success {
                StandardOutput.writeUnbuffered(fullMessage(for: error))
                Glibc.exit(0)
            }
            // A ValidationError thrown from run() is still the user's mistake.
            let isUsage = error is ValidationError
            StandardError.write("spool: error: " + message(for: error))
            Glibc.exit(isUsage ? 2 : 1)
        }
    }
}
