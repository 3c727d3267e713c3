// SPDX-License-Identifier: Apache-2.0
// Turns a `SpoolError` into the CLI's one-line message.
import Spool

extension CLIError {
    /// Every Spool failure is a runtime error (exit 1): the command line was
    /// well-formed, the data directory or its contents said no.
    static func spool(_ error: SpoolError, directory: String) -> CLIError {
        var cli: CLIError
        switch error.code {
        case .directoryLocked:
            cli = .runtime("data directory \(directory) is in use by another process (it is locked); "
                + "stop that process or use another --data directory")
        default:
            cli = .runtime(spoolMessage(error))
        }
        cli.spoolCode = error.code
        return cli
    }

    /// The readable part of a Spool error's message.
    static func spoolMessage(_ error: SpoolError) -> String {
        error.message
    }
}
