// SPDX-License-Identifier: Apache-2.0
// The production `FileSystem`: thin Glibc calls, EINTR retried, errno kept.
//
// Every descriptor is opened O_CLOEXEC so a child process (exit tests, a
// future server spawning tools) never inherits a segment or the data lock.
#if canImport(Glibc)
import Glibc
#endif

/// `FileSystem` over the real kernel. Stateless apart from the process-wide
/// lock registry (see `PosixFileLock`), so any number of copies may be used
/// from any thread.
package struct PosixFileSystem: FileSystem {
    /// Permission bits for new files (before the umask).
    package static let fileMode: mode_t = 0o644
    /// Permission bits for new directories (before the umask).
    package static let directoryMode: mode_t = 0o755

    package init() {}

    // MARK: - Files

    package func open(_ path: String, mode: OpenMode) throws(IOError) -> any FileHandle {
        var flags: Int32 = O_CLOEXEC
        switch mode {
        case .readOnly: flags |= O_RDONLY
        case .readWrite: flags |= O_RDWR
        case .createOrOpen: flags |= O_RDWR | O_CREAT
        case .createNew: flags |= O_RDWR | O_CREAT | O_EXCL
        }
        let fd = try Self.openDescriptor(path, flags: flags, operation: "open")
        // A read-only open of a directory succeeds on Linux; refuse it here so
        // every backend reports `.isADirectory` at open, not at the first read.
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            _ = Glibc.close(fd)
            throw IOError(errno: EISDIR, operation: "open", path: path)
        }
        return PosixFileHandle(descriptor: fd, path: path)
    }

    package func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    package func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package func fileSize(_ path: String) throws(IOError) -> Int64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw IOError(errno: errno, operation: "stat", path: path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw IOError(errno: EISDIR, operation: "stat", path: path) }
        return Int64(st.st_size)
    }

    package func removeFile(_ path: String) throws(IOError) {
        guard unlink(path) == 0 else { throw IOError(errno: errno, operation: "unlink", path: path) }
    }

    package func rename(_ from: String, to: String) throws(IOError) {
        guard Glibc.rename(from, to) == 0 else { throw IOError(errno: errno, operation: "rename", path: from) }
    }

    // MARK: - Directories

    package func listDirectory(_ path: String) throws(IOError) -> [String] {
        guard let dir = opendir(path) else { throw IOError(errno: errno, operation: "opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            // readdir returns nil both at the end and on error; only errno tells them apart.
            errno = 0
            guard let entry = readdir(dir) else {
                let e = errno
                if e != 0 { throw IOError(errno: e, operation: "readdir", path: path) }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    package func createDirectory(_ path: String) throws(IOError) {
        guard !path.isEmpty else { throw IOError(errno: ENOENT, operation: "mkdir", path: path) }
        // Build each prefix in turn, like `mkdir -p`.
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        var prefix = path.hasPrefix("/") ? "" : "."
        for (index, component) in components.enumerated() {
            prefix += "/" + component
            if mkdir(prefix, Self.directoryMode) == 0 { continue }
            let e = errno
            guard e == EEXIST else { throw IOError(errno: e, operation: "mkdir", path: prefix) }
            if isDirectory(prefix) { continue }
            let isLast = index == components.count - 1
            throw IOError(errno: isLast ? EEXIST : ENOTDIR, operation: "mkdir", path: prefix)
        }
    }

    /// Removes `path` and everything below it without following symbolic
    /// links. `notFound` if absent, `notADirectory` if it is not a directory.
    package func removeDirectoryRecursively(_ path: String) throws(IOError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw IOError(errno: errno, operation: "lstat", path: path) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw IOError(errno: ENOTDIR, operation: "rmdir", path: path) }
        try removeTree(path)
    }

    private func removeTree(_ path: String) throws(IOError) {
        for name in try listDirectory(path) {
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            var st = stat()
            guard lstat(child, &st) == 0 else {
                if errno == ENOENT { continue }
                throw IOError(errno: errno, operation: "lstat", path: child)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try removeTree(child)
            } else if unlink(child) != 0, errno != ENOENT {
                throw IOError(errno: errno, operation: "unlink", path: child)
            }
        }
        guard rmdir(path) == 0 else { throw IOError(errno: errno, operation: "rmdir", path: path) }
    }

    package func syncDirectory(_ path: String) throws(IOError) {
        let fd = try Self.openDescriptor(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, operation: "open(dir)")
        defer { _ = Glibc.close(fd) }
        while fsync(fd) != 0 {
            let e = errno
            if e == EINTR { continue }
            // EINVAL: the file system does not support syncing directories
            // (some tmpfs-like mounts); there is nothing to make durable.
            if e == EINVAL { return }
            throw IOError(errno: e, operation: "fsync(dir)", path: path)
        }
    }

    // MARK: - Locks

    package func lockExclusive(_ path: String) throws(IOError) -> any FileLock {
        try PosixFileLock.acquire(path)
    }

    // MARK: - Helpers

    /// open(2) retried on EINTR.
    static func openDescriptor(_ path: String, flags: Int32, operation: String) throws(IOError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags, fileMode)
            if fd >= 0 { return fd }
            let e = errno
            if e == EINTR { continue }
            throw IOError(errno: e, operation: operation, path: path)
        }
    }
}
