// SPDX-License-Identifier: Apache-2.0
// The one error type of the LogStorage layer.
import FileIO

/// A storage failure, with its cause and where it happened.
///
/// `code` is the stable classification callers switch on; the other fields
/// are context for the message and for diagnosis.
package struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        /// An I/O call failed; `cause` holds the `IOError`.
        case io
        /// Bytes on disk are damaged where they cannot be a torn tail.
        case corruption
        /// A read below the log start or above the log end.
        case offsetOutOfRange(requested: Int64, logStart: Int64, logEnd: Int64)
        /// A batch uses a feature Spool does not implement (e.g. compression).
        case unsupportedFormat
        /// The caller passed something invalid (e.g. an oversized batch).
        case invalidArgument
        /// The partition hit an ambiguous fsync or rename failure earlier and
        /// refuses work until it is reopened.
        case failed
        /// The partition or log was closed.
        case closed
        /// Another opener holds the directory lock.
        case directoryLocked
    }

    package var code: Code
    /// Human-readable detail ("batch CRC mismatch", "index not monotonic", …).
    package var message: String
    /// The file concerned, when there is one.
    package var path: String?
    /// Byte position in `path`, when there is one.
    package var position: Int64?
    /// The underlying I/O error, when there is one.
    package var cause: IOError?

    package init(_ code: Code, _ message: String, path: String? = nil, position: Int64? = nil, cause: IOError? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.position = position
        self.cause = cause
    }

    package var description: String {
        var s = "\(code): \(message)"
        if let path { s += " [\(path)" + (position.map { " @\($0)" } ?? "") + "]" }
        if let cause { s += " (cause: \(cause))" }
        return s
    }

    /// Wraps an I/O failure.
    package static func io(_ error: IOError, _ message: String) -> StorageError {
        StorageError(.io, message, path: error.path, cause: error)
    }
}
