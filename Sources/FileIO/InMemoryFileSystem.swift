// SPDX-License-Identifier: Apache-2.0
// A complete `FileSystem` held in memory, shipped like LevelDB's memenv so
// that embedders and our own tests can run storage code without a disk.
import Synchronization

// MARK: Invariants
// I1 An inode is in `inodes` while a name links it or a handle has it open;
//    an unlinked inode keeps working for its open handles (POSIX unlink) and
//    is dropped when the last of them closes.
// I2 `handles` maps every open handle id to an inode that is in `inodes`.
// I3 `locks` holds exactly the normalised paths of unreleased locks.

/// A thread-safe in-memory file system with POSIX semantics and errors:
/// `notFound`, `alreadyExists`, `notADirectory`, `isADirectory`, rename
/// replacing its target, unlinked files staying readable through open
/// handles, and `lockExclusive` exclusive within this instance.
///
/// Paths are normalised lexically (see `VirtualPath`). `sync` and
/// `syncDirectory` do nothing: everything written is immediately "durable";
/// use `CrashSimulatingFileSystem` to model power loss.
package final class InMemoryFileSystem: FileSystem {
    /// Writes or truncations past this many bytes fail with `.noSpace`
    /// instead of trying to allocate absurd amounts of memory.
    package static let maximumFileSize: Int64 = 1 << 36

    struct Inode {
        var content = FileContent()
        var openCount = 0
        var linked = true
    }

    struct State {
        var namespace = InMemoryNamespace()
        var inodes: [Int: Inode] = [:]
        var nextInode = 1
        var handles: [Int: Int] = [:]  // handle id → inode
        var nextHandle = 1
        var locks: Set<String> = []
    }

    private let state = Mutex(State())

    package init() {}

    // MARK: - FileSystem

    package func open(_ path: String, mode: OpenMode) throws(IOError) -> any FileHandle {
        let normalized = VirtualPath.normalize(path)
        let id = try state.withLock { (s) throws(IOError) -> Int in
            let inode: Int
            switch (mode, s.namespace.entry(normalized)) {
            case (.createNew, _?):
                throw IOError(.alreadyExists, operation: "open", path: path)
            case (.createNew, nil), (.createOrOpen, nil):
                inode = s.nextInode
                try s.namespace.createFile(normalized, inode: inode)
                s.nextInode += 1
                s.inodes[inode] = Inode()
            default:
                inode = try s.namespace.fileInode(normalized, operation: "open")
            }
            s.inodes[inode]?.openCount += 1
            let handle = s.nextHandle
            s.nextHandle += 1
            s.handles[handle] = inode
            return handle
        }
        return InMemoryFileHandle(fileSystem: self, id: id, path: path, writable: mode != .readOnly)
    }

    package func exists(_ path: String) -> Bool {
        let normalized = VirtualPath.normalize(path)
        return state.withLock { $0.namespace.entry(normalized) != nil }
    }

    package func isDirectory(_ path: String) -> Bool {
        let normalized = VirtualPath.normalize(path)
        return state.withLock { $0.namespace.entry(normalized) == .directory }
    }

    package func listDirectory(_ path: String) throws(IOError) -> [String] {
        let normalized = VirtualPath.normalize(path)
        return try state.withLock { (s) throws(IOError) in try s.namespace.list(normalized) }
    }

    package func createDirectory(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try state.withLock { (s) throws(IOError) in _ = try s.namespace.makeDirectories(normalized) }
    }

    package func removeFile(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try state.withLock { (s) throws(IOError) in
            let inode = try s.namespace.removeFile(normalized)
            Self.unlinked(inode, in: &s)
        }
    }

    /// Removes `path` and everything below it; `notFound` if absent,
    /// `notADirectory` if it is a file.
    package func removeDirectoryRecursively(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try state.withLock { (s) throws(IOError) in
            for inode in try s.namespace.removeTree(normalized) { Self.unlinked(inode, in: &s) }
        }
    }

    package func rename(_ from: String, to: String) throws(IOError) {
        let source = VirtualPath.normalize(from)
        let target = VirtualPath.normalize(to)
        try state.withLock { (s) throws(IOError) in
            if let displaced = try s.namespace.rename(source, to: target) { Self.unlinked(displaced, in: &s) }
        }
    }

    package func syncDirectory(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try state.withLock { (s) throws(IOError) in
            switch s.namespace.entry(normalized) {
            case .directory?: return
            case .file?: throw IOError(.notADirectory, operation: "open(dir)", path: path)
            case nil: throw IOError(.notFound, operation: "open(dir)", path: path)
            }
        }
    }

    package func fileSize(_ path: String) throws(IOError) -> Int64 {
        let normalized = VirtualPath.normalize(path)
        return try state.withLock { (s) throws(IOError) in
            let inode = try s.namespace.fileInode(normalized, operation: "stat")
            return s.inodes[inode]?.content.count ?? 0
        }
    }

    package func lockExclusive(_ path: String) throws(IOError) -> any FileLock {
        let normalized = VirtualPath.normalize(path)
        try state.withLock { (s) throws(IOError) in
            switch s.namespace.entry(normalized) {
            case .directory?: throw IOError(.isADirectory, operation: "open(lock)", path: path)
            case .file?: break
            case nil:
                let inode = s.nextInode
                try s.namespace.createFile(normalized, inode: inode, operation: "open(lock)")
                s.nextInode += 1
                s.inodes[inode] = Inode()
            }
            guard s.locks.insert(normalized).inserted else {
                throw IOError(.locked, operation: "flock", path: path)
            }
        }
        return InMemoryFileLock(path: normalized) { [self] in
            _ = state.withLock { $0.locks.remove(normalized) }
        }
    }

    // MARK: - Images

    /// A whole disk as values: the name space and the content of each file
    /// inode it links. Used to copy file systems and to build the disk a
    /// simulated crash leaves behind.
    package struct Image: Sendable, Equatable {
        package var namespace: InMemoryNamespace
        /// Content by inode number; a linked inode without an entry is empty.
        package var contents: [Int: FileContent]

        package init(namespace: InMemoryNamespace = InMemoryNamespace(), contents: [Int: FileContent] = [:]) {
            self.namespace = namespace
            self.contents = contents
        }
    }

    /// A file system holding exactly `image` (no open handles, no locks).
    package convenience init(image: Image) {
        self.init()
        state.withLock { s in
            s.namespace = image.namespace
            for case .file(let inode) in image.namespace.entries.values {
                s.inodes[inode] = Inode(content: image.contents[inode] ?? FileContent())
                s.nextInode = max(s.nextInode, inode + 1)
            }
        }
    }

    /// The current directories and files as an `Image` (linked files only).
    package func image() -> Image {
        state.withLock { s in
            var contents: [Int: FileContent] = [:]
            for case .file(let inode) in s.namespace.entries.values {
                contents[inode] = s.inodes[inode]?.content ?? FileContent()
            }
            return Image(namespace: s.namespace, contents: contents)
        }
    }

    /// A deep copy of every directory and file (open handles and locks are
    /// not copied): the disk as a process that died right now would leave it.
    package func snapshot() -> InMemoryFileSystem {
        InMemoryFileSystem(image: image())
    }

    /// Every file path and its content, for comparing whole images in tests.
    package func allFiles() -> [String: [UInt8]] {
        state.withLock { s in
            var files: [String: [UInt8]] = [:]
            for case (let path, .file(let inode)) in s.namespace.entries {
                files[path] = s.inodes[inode]?.content.bytes ?? []
            }
            return files
        }
    }

    /// Every directory path (the root included).
    package func allDirectories() -> Set<String> {
        state.withLock { s in Set(s.namespace.entries.compactMap { $0.value == .directory ? $0.key : nil }) }
    }

    // MARK: - Handle operations (called by InMemoryFileHandle)

    func withInode<R>(
        handle: Int, path: String, operation: String,
        _ body: (inout Inode) throws(IOError) -> R
    ) throws(IOError) -> R {
        try state.withLock { (s) throws(IOError) -> R in
            // Moved out and back so the bytes stay uniquely referenced and
            // are mutated in place, never copied.
            guard let inode = s.handles[handle], var node = s.inodes.removeValue(forKey: inode) else {
                throw IOError(.closed, operation: operation, path: path)
            }
            defer { s.inodes[inode] = node }
            return try body(&node)
        }
    }

    func closeHandle(_ handle: Int, path: String) throws(IOError) {
        try state.withLock { (s) throws(IOError) in
            guard let inode = s.handles.removeValue(forKey: handle) else {
                throw IOError(.closed, operation: "close", path: path)
            }
            s.inodes[inode]?.openCount -= 1
            if let node = s.inodes[inode], node.openCount == 0, !node.linked { s.inodes[inode] = nil }  // keeps I1
        }
    }

    private static func unlinked(_ inode: Int, in s: inout State) {
        guard let node = s.inodes[inode] else { return }
        if node.openCount == 0 { s.inodes[inode] = nil } else { s.inodes[inode]?.linked = false }  // keeps I1
    }
}
