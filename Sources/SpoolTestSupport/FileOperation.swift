// SPDX-License-Identifier: Apache-2.0
// The kinds of file-system operation a test double counts and can fail.

/// Every `FileSystem` and `FileHandle` call that can throw. (`exists` and
/// `isDirectory` cannot fail and are not counted; neither is
/// `FileLock.release`.)
package enum FileOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    // FileSystem
    case open
    case list
    case createDirectory
    case removeFile
    case removeDirectory
    case rename
    case syncDirectory
    case fileSize
    case lock
    // FileHandle
    case read
    case write
    case size
    case truncate
    case sync
    case close

    package var description: String { rawValue }

    /// The operations that make something durable (file and directory fsync).
    package static let syncs: Set<FileOperation> = [.sync, .syncDirectory]
}
