// SPDX-License-Identifier: Apache-2.0
// The one error type of the FileIO layer.

/// A failed file operation, with everything needed to diagnose it: which
/// operation, on which path, and the errno the kernel (or a test double) gave.
package struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable classification of the failure.
    package enum Code: Sendable, Equatable {
        case notFound          // ENOENT
        case alreadyExists     // EEXIST
        case noSpace           // ENOSPC, EDQUOT
        case io                // EIO and anything unclassified
        case permissionDenied  // EACCES, EPERM
        case locked            // EWOULDBLOCK on flock
        case notADirectory     // ENOTDIR
        case isADirectory      // EISDIR
        case closed            // use of a closed handle
        case crashed           // simulated power loss: the device is gone
        case other
    }

    package var code: Code
    /// The operation, e.g. "pwrite", "fdatasync", "rename".
    package var operation: String
    /// The path operated on (the source path for a rename).
    package var path: String
    /// The errno, or 0 when there is none (e.g. a simulated crash).
    package var errno: Int32

    package init(code: Code, operation: String, path: String, errno: Int32) {
        self.code = code
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    package var description: String {
        "\(operation)(\(path)) failed: \(code)" + (errno != 0 ? " (errno \(errno))" : "")
    }
}
