// SPDX-License-Identifier: Apache-2.0
// The error every subcommand throws: one human-readable line (printed after
// `spool: error: `) and whether it is the user's invocation or the run that
// failed, which decides the exit code.
import FileIO
import LogStorage
import Spool

/// A failure of a `spool` subcommand.
struct CLIError: Error, Equatable, CustomStringConvertible {
    enum Kind: Equatable {
        /// The command line itself is wrong (exit 2).
        case usage
        /// The command could not do its work: I/O, damaged data (exit 1).
        case runtime
    }

    var kind: Kind
    /// One line, no trailing newline, no `spool: error:` prefix.
    var message: String
    /// The Spool error code, when a Spool call failed.
    var spoolCode: SpoolError.Code?

    static func usage(_ message: String) -> CLIError { CLIError(kind: .usage, message: message) }
    static func runtime(_ message: String) -> CLIError { CLIError(kind: .runtime, message: message) }

    var exitCode: Int32 { kind == .usage ? 2 : 1 }
    var description: String { message }
}

// MARK: - From lower layers

extension CLIError {
    /// `cannot open FILE: no such file or directory`, etc.
    static func io(_ error: IOError, _ action: String) -> CLIError {
        .runtime("\(action) \(error.path): \(reason(error))")
    }

    /// A problem found while scanning `file`; `batchPosition` is where the
    /// offending batch starts, `error.position` (absolute) where the problem is.
    static func batch(_ error: StorageError, file: String, batchPosition: Int64) -> CLIError {
        switch error.code {
        case .io:
            if let cause = error.cause { return .io(cause, "cannot read") }
            return .runtime("cannot read \(file): \(error.message)")
        case .unsupportedFormat:
            return .runtime("\(file): unsupported batch at byte position \(batchPosition): \(error.message)")
        default:
            var text = "\(file): corrupt batch at byte position \(batchPosition): \(error.message)"
            if let position = error.position, position != batchPosition {
                text += " (at byte \(position))"
            }
            return .runtime(text)
        }
    }

    /// Any other storage error, with its file and position when known.
    static func storage(_ error: StorageError) -> CLIError {
        if error.code == .io, let cause = error.cause { return .io(cause, error.message + ":") }
        var text = error.message
        if let path = error.path {
            text = "\(path): " + text + (error.position.map { " at byte position \($0)" } ?? "")
        }
        return .runtime(text)
    }

    private static func reason(_ error: IOError) -> String {
        switch error.code {
        case .notFound: "no such file or directory"
        case .permissionDenied: "permission denied"
        case .isADirectory: "is a directory"
        case .notADirectory: "a path component is not a directory"
        case .noSpace: "no space left on device"
        default: "\(error.operation) failed" + (error.errno != 0 ? " (errno \(error.errno))" : "")
        }
    }
}
