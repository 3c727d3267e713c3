// SPDX-License-Identifier: Apache-2.0
// Classification of errno values into `IOError.Code`, shared by every backend
// so that a simulated failure and a real one look the same to callers.
#if canImport(Glibc)
import Glibc
#endif

extension IOError.Code {
    /// The stable code for an errno value. Unknown values map to `.io`: an
    /// unclassified failure of a storage call must be treated as an I/O fault.
    package init(errno value: Int32) {
        switch value {
        case ENOENT: self = .notFound
        // POSIX allows either EEXIST or ENOTEMPTY for "the target directory is not empty".
        case EEXIST, ENOTEMPTY: self = .alreadyExists
        case ENOSPC, EDQUOT: self = .noSpace
        case EACCES, EPERM, EROFS: self = .permissionDenied
        case EWOULDBLOCK: self = .locked
        case ENOTDIR: self = .notADirectory
        case EISDIR: self = .isADirectory
        case EBADF, EINVAL, ENAMETOOLONG, ELOOP, EXDEV, EBUSY: self = .other
        default: self = .io
        }
    }

    /// The errno a test double reports for this code (the inverse of
    /// `init(errno:)` for the common cases).
    package var representativeErrno: Int32 {
        switch self {
        case .notFound: return ENOENT
        case .alreadyExists: return EEXIST
        case .noSpace: return ENOSPC
        case .io: return EIO
        case .permissionDenied: return EACCES
        case .locked: return EWOULDBLOCK
        case .notADirectory: return ENOTDIR
        case .isADirectory: return EISDIR
        case .closed: return EBADF
        case .crashed: return 0
        case .other: return EINVAL
        }
    }
}

extension IOError {
    /// An error for a failed syscall, classified from its errno.
    package init(errno value: Int32, operation: String, path: String) {
        self.init(code: Code(errno: value), operation: operation, path: path, errno: value)
    }

    /// An error produced without a syscall (in-memory backends, test doubles),
    /// carrying the errno the kernel would have reported.
    package init(_ code: Code, operation: String, path: String) {
        self.init(code: code, operation: operation, path: path, errno: code.representativeErrno)
    }
}
