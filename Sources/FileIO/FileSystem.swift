// SPDX-License-Identifier: Apache-2.0
// The one seam through which LogStorage touches the disk.
//
// Every file operation Spool's storage layer performs goes through a
// `FileSystem` and the `FileHandle`s it opens. Production uses
// `PosixFileSystem`; tests swap in `InMemoryFileSystem` or the fault-injecting
// and crash-simulating file systems of `SpoolTestSupport`, so EIO, ENOSPC,
// torn writes and power loss can be produced at any single operation.
//
// Paths are plain `String`s, absolute or relative to the process's working
// directory; the seam does no path normalisation of its own.

/// How `FileSystem.open` treats an existing or missing file.
package enum OpenMode: Sendable, Equatable {
    /// Open an existing file for reading only; `notFound` if absent.
    case readOnly
    /// Open an existing file for reading and writing; `notFound` if absent.
    case readWrite
    /// Open for reading and writing, creating an empty file if absent.
    case createOrOpen
    /// Create a new empty file for reading and writing; `alreadyExists` if present.
    case createNew
}

/// A file system: the operations on names (directories, renames, locks).
///
/// Implementations are thread-safe.
package protocol FileSystem: Sendable {
    /// Opens (or creates) the file at `path`.
    func open(_ path: String, mode: OpenMode) throws(IOError) -> any FileHandle

    /// Whether anything (file or directory) exists at `path`.
    func exists(_ path: String) -> Bool

    /// Whether a directory exists at `path`.
    func isDirectory(_ path: String) -> Bool

    /// The names (not paths) of the entries of directory `path`, sorted by byte order.
    func listDirectory(_ path: String) throws(IOError) -> [String]

    /// Creates directory `path` and any missing parents. No error if it exists.
    func createDirectory(_ path: String) throws(IOError)

    /// Removes the file at `path`; `notFound` if absent.
    func removeFile(_ path: String) throws(IOError)

    /// Removes directory `path` and everything below it.
    func removeDirectoryRecursively(_ path: String) throws(IOError)

    /// Atomically renames `from` to `to`, replacing `to` if it exists.
    /// Durable only after `syncDirectory` of the parent directory.
    func rename(_ from: String, to: String) throws(IOError)

    /// fsync(2) of a directory: makes creations, removals and renames in it durable.
    func syncDirectory(_ path: String) throws(IOError)

    /// The size in bytes of the file at `path`.
    func fileSize(_ path: String) throws(IOError) -> Int64

    /// Takes an exclusive, non-blocking lock on `path` (created if absent),
    /// held until the returned lock is released or the process exits.
    /// Throws `IOError` with code `.locked` when another holder has it.
    func lockExclusive(_ path: String) throws(IOError) -> any FileLock
}

/// An open file. Positional reads and writes only: there is no shared cursor,
/// so concurrent readers never disturb each other or the appender.
///
/// Implementations are thread-safe; ordering between a write and a
/// concurrent read of the same range is the caller's business.
package protocol FileHandle: AnyObject, Sendable {
    /// The path this handle was opened with.
    var path: String { get }

    /// pread(2): reads up to `buffer.count` bytes at `offset`. Returns the
    /// number read, which is short only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int

    /// pwrite(2) of all of `bytes` at `offset` (loops over short writes).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError)

    /// The current size of the file.
    func size() throws(IOError) -> Int64

    /// ftruncate(2): shrinks or extends (with zeros) the file to `size` bytes.
    func truncate(to size: Int64) throws(IOError)

    /// fdatasync(2): makes the file's data (and the size) durable.
    ///
    /// A failure is *ambiguous*: some, all or none of the unsynced writes may
    /// be on disk, and the kernel may have dropped the dirty pages. Callers
    /// must never retry and report success (see docs/durability.md).
    func sync() throws(IOError)

    /// Closes the handle. Further calls throw `.closed`.
    func close() throws(IOError)
}

/// A held exclusive lock; `release()` is idempotent.
package protocol FileLock: AnyObject, Sendable {
    func release()
}
