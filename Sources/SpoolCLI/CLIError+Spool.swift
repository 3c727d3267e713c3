// SPDX-License-Identifier: Apache-2.0
// Turns a `SpoolError` into the CLI's one-line message. The public error's
// `message` may embed a lower layer's description ("code: text [path]"), so
// storage errors are re-rendered from their parts and a leading
// "identifier(...): " code prefix is dropped from the others.
import LogStorage
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
        if let storage = error.underlying as? StorageError {
            return CLIError.storage(storage).message
        }
        return withoutCodePrefix(error.message)
    }

    /// "invalidTopicName(reserved): invalid topic name: ..." → "invalid topic name: ...".
    /// Text that does not start with such a prefix is returned unchanged.
    static func withoutCodePrefix(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count, (scalars[i].properties.isAlphabetic && scalars[i].isASCII) || ("0"..."9").contains(scalars[i]) {
            i += 1
        }
        guard i > 0 else { return text }
        if i < scalars.count, scalars[i] == "(" {
            var depth = 0
            while i < scalars.count {
                if scalars[i] == "(" { depth += 1 }
                if scalars[i] == ")" { depth -= 1 }
                i += 1
                if depth == 0 { break }
            }
            guard depth == 0 else { return text }
        }
        guard i + 1 < scalars.count, scalars[i] == ":", scalars[i + 1] == " " else { return text }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[(i + 2)...])
        return String(rest)
    }
}
