// SPDX-License-Identifier: Apache-2.0
// A `FileSystem` that models a disk behind a page cache, so a test can cut
// the power at any fsync and get back the disk image a real machine could
// wake up to (SQLite's test6.c crash VFS, LevelDB's fault-injection env).
import FileIO
import Synchronization

// MARK: Invariants
// I1 For every inode, applying `pending` in order to `durable` gives `current`.
// I2 Applying the not-yet-applied `pendingDirectory` operations in order to
//    `durableNames` gives `currentNames` (modulo operations that were made
//    durable out of order, which touch other directories).
// I3 Once `crashed` is true nothing changes any more: every throwing call
//    throws `.crashed`, so the frozen state is exactly the state at the crash.
// I4 Inodes are never dropped (a durable or pending name may still refer to
//    an unlinked one), so memory grows with everything ever written.

/// A simulated disk with a volatile page cache and a power switch.
///
/// ## The model
/// - **File data.** Each file (inode) has *durable* content plus an ordered
///   list of *pending* writes and truncations made since its last sync.
///   Reads see everything (durable + pending), as a page cache would.
///   `FileHandle.sync()` (fdatasync) makes that file's pending list durable.
/// - **Names.** Creating a file, `createDirectory`, `removeFile`,
///   `removeDirectoryRecursively` and `rename` change the visible name space
///   at once but are *pending* until `syncDirectory` of the directory they
///   change: the parent of the created/removed name, and for a rename the
///   parent of the *destination* (a rename is one atomic operation). An
///   operation made durable in a directory that is itself not yet durable
///   waits until that directory's own entry is; this is stricter than ext4's
///   journal, so code that relies on fdatasync alone to persist a new name is
///   caught.
/// - **Syncs are counted** (file and directory alike, from 1). Armed with
///   `crashAtSync: k`, the k-th sync call does not take effect: the power
///   goes out *before* it. The device freezes and every later throwing call
///   (the k-th sync included) throws `IOError` with code `.crashed`.
/// - **After the power loss** (`crashImage(seed:)`): durable state survives;
///   each pending write is independently *kept*, *dropped* or *torn* (a
///   random non-empty proper prefix of its bytes is kept; bytes are never
///   garbled), and each pending truncation kept or dropped, applied in order
///   (so a dropped extending write followed by a kept later one leaves a hole
///   of zeros); of the pending name operations a random *prefix* (in issue
///   order) survives. All choices come from the seed: the same seed and the
///   same workload give the same image.
/// - `currentImage()` is the disk after a *process* crash without power
///   loss: everything written is there.
///
/// Locks are per instance and not part of any image. Thread-safe.
package final class CrashSimulatingFileSystem: FileSystem {
    enum PendingWrite: Sendable {
        case write(offset: Int64, bytes: [UInt8])
        case truncate(size: Int64)
    }

    struct Inode: Sendable {
        var durable = FileContent()
        var current = FileContent()
        var pending: [PendingWrite] = []
    }

    enum NameOperation: Sendable {
        case createFile(path: String, inode: Int)
        case makeDirectory(path: String)
        case removeFile(path: String)
        case removeTree(path: String)
        case rename(from: String, to: String)

        /// The directory whose fsync makes this operation durable.
        var directory: String {
            switch self {
            case .createFile(let p, _), .makeDirectory(let p), .removeFile(let p), .removeTree(let p):
                return VirtualPath.parent(p)
            case .rename(_, let to):
                return VirtualPath.parent(to)
            }
        }
    }

    struct PendingName: Sendable {
        var operation: NameOperation
        /// Its directory was synced; waiting only for a parent to become durable.
        var syncRequested = false
    }

    struct State: Sendable {
        var currentNames = InMemoryNamespace()
        var durableNames = InMemoryNamespace()
        var pendingDirectory: [PendingName] = []
        var inodes: [Int: Inode] = [:]
        var nextInode = 1
        var handles: [Int: Int] = [:]  // handle id → inode
        var nextHandle = 1
        var locks: Set<String> = []
        var syncCount = 0
        var crashAtSync: Int?
        var crashed = false
    }

    /// The seed `crashImage()` uses.
    package let seed: UInt64
    private let state: Mutex<State>

    /// An empty disk. - Parameters: crashAtSync: the sync call (1-based)
    /// before which the power fails; nil: never. seed: for `crashImage()`.
    package init(crashAtSync: Int? = nil, seed: UInt64 = 0) {
        self.seed = seed
        var s = State()
        s.crashAtSync = crashAtSync
        state = Mutex(s)
    }

    /// A disk whose durable (and current) content is `image`, e.g. the image
    /// of an earlier crash, to crash again during recovery.
    package convenience init(startingFrom image: InMemoryFileSystem.Image, crashAtSync: Int? = nil, seed: UInt64 = 0) {
        self.init(crashAtSync: crashAtSync, seed: seed)
        state.withLock { s in
            s.currentNames = image.namespace
            s.durableNames = image.namespace
            for case .file(let inode) in image.namespace.entries.values {
                let content = image.contents[inode] ?? FileContent()
                s.inodes[inode] = Inode(durable: content, current: content)
                s.nextInode = max(s.nextInode, inode + 1)
            }
        }
    }

    // MARK: - Power switch

    /// The number of sync calls (file and directory) made so far, including
    /// the one the crash happened at.
    package var syncCount: Int { state.withLock { $0.syncCount } }

    /// Whether the power has failed.
    package var isCrashed: Bool { state.withLock { $0.crashed } }

    /// Arms (or, with nil, disarms) the crash before sync call number `k`
    /// (counted from the creation of this file system).
    package func setCrash(atSync k: Int?) {
        state.withLock { $0.crashAtSync = k }
    }

    /// Cuts the power now.
    package func crash() {
        state.withLock { $0.crashed = true }
    }

    /// How many writes/truncations are not yet durable, over all files.
    package var pendingWriteCount: Int {
        state.withLock { $0.inodes.values.reduce(0) { $0 + $1.pending.count } }
    }

    /// How many name operations are not yet durable.
    package var pendingNameOperationCount: Int { state.withLock { $0.pendingDirectory.count } }

    // MARK: - Images

    /// The disk after a power loss at the current point (the crash point if
    /// crashed), with this file system's `seed`. Does not change this file system.
    package func crashImage() -> InMemoryFileSystem {
        crashImage(seed: seed)
    }

    /// The disk after a power loss, choices drawn from `seed`.
    package func crashImage(seed: UInt64) -> InMemoryFileSystem {
        InMemoryFileSystem(image: state.withLock { Self.powerLossImage(of: $0, seed: seed) })
    }

    /// The disk with only what is durable (every pending operation lost).
    package func durableImage() -> InMemoryFileSystem {
        InMemoryFileSystem(image: state.withLock { s in
            Self.image(of: s.durableNames, s.inodes) { $0.durable }
        })
    }

    /// The disk after a process crash without power loss: everything written.
    package func currentImage() -> InMemoryFileSystem {
        InMemoryFileSystem(image: state.withLock { s in
            Self.image(of: s.currentNames, s.inodes) { $0.current }
        })
    }

    private static func image(
        of names: InMemoryNamespace, _ inodes: [Int: Inode], content: (Inode) -> FileContent
    ) -> InMemoryFileSystem.Image {
        var contents: [Int: FileContent] = [:]
        for case .file(let inode) in names.entries.values {
            contents[inode] = inodes[inode].map(content) ?? FileContent()
        }
        return InMemoryFileSystem.Image(namespace: names, contents: contents)
    }

    private static func powerLossImage(of s: State, seed: UInt64) -> InMemoryFileSystem.Image {
        var random = SeededRandom(seed: seed)
        var names = s.durableNames
        let survivors = Int.random(in: 0...s.pendingDirectory.count, using: &random)
        for pending in s.pendingDirectory.prefix(survivors) {
            _ = apply(pending.operation, to: &names)  // one that cannot apply is simply lost
        }
        var contents: [Int: FileContent] = [:]
        let files = names.entries.compactMap { entry -> (String, Int)? in
            if case .file(let inode) = entry.value { return (entry.key, inode) }
            return nil
        }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for (_, inode) in files {
            guard let node = s.inodes[inode] else { continue }
            contents[inode] = settle(node, using: &random)
        }
        return InMemoryFileSystem.Image(namespace: names, contents: contents)
    }

    /// Durable content plus each pending operation kept, dropped or torn.
    private static func settle(_ node: Inode, using random: inout SeededRandom) -> FileContent {
        var content = node.durable
        for operation in node.pending {
            switch operation {
            case .write(let offset, let bytes):
                var kept = bytes.count
                switch random.next() % 3 {
                case 0: break  // kept
                case 1: kept = 0  // dropped
                default: if bytes.count > 1 { kept = Int.random(in: 1..<bytes.count, using: &random) }  // torn
                }
                guard kept > 0 else { continue }
                bytes.withUnsafeBytes { raw in
                    try? content.write(UnsafeRawBufferPointer(rebasing: raw[0..<kept]), at: offset, path: "")
                }
            case .truncate(let size):
                if random.next() % 2 == 0 { try? content.truncate(to: size, path: "") }
            }
        }
        return content
    }

    /// Applies a name operation to a durable name space; false if it cannot
    /// apply (yet), e.g. because its directory is not durable itself.
    fileprivate static func apply(_ operation: NameOperation, to names: inout InMemoryNamespace) -> Bool {
        switch operation {
        case .createFile(let path, let inode):
            return (try? names.createFile(path, inode: inode)) != nil
        case .makeDirectory(let path):
            if names.entry(path) == .directory { return true }
            return (try? names.makeDirectory(path)) != nil
        case .removeFile(let path):
            guard case .file? = names.entry(path) else { return names.entry(path) == nil }
            return (try? names.removeFile(path)) != nil
        case .removeTree(let path):
            guard names.entry(path) == .directory else { return names.entry(path) == nil }
            return (try? names.removeTree(path)) != nil
        case .rename(let from, let to):
            return (try? names.rename(from, to: to)) != nil
        }
    }

    // MARK: - FileSystem

    package func open(_ path: String, mode: OpenMode) throws(IOError) -> any FileHandle {
        let normalized = VirtualPath.normalize(path)
        let id = try live("open", path) { (s) throws(IOError) -> Int in
            let inode: Int
            switch (mode, s.currentNames.entry(normalized)) {
            case (.createNew, _?):
                throw IOError(.alreadyExists, operation: "open", path: path)
            case (.createNew, nil), (.createOrOpen, nil):
                inode = try Self.createFile(normalized, operation: "open", in: &s)
            default:
                inode = try s.currentNames.fileInode(normalized, operation: "open")
            }
            let handle = s.nextHandle
            s.nextHandle += 1
            s.handles[handle] = inode
            return handle
        }
        return CrashSimulatingFileHandle(fileSystem: self, id: id, path: path, writable: mode != .readOnly)
    }

    package func exists(_ path: String) -> Bool {
        let normalized = VirtualPath.normalize(path)
        return state.withLock { $0.currentNames.entry(normalized) != nil }
    }

    package func isDirectory(_ path: String) -> Bool {
        let normalized = VirtualPath.normalize(path)
        return state.withLock { $0.currentNames.entry(normalized) == .directory }
    }

    package func listDirectory(_ path: String) throws(IOError) -> [String] {
        let normalized = VirtualPath.normalize(path)
        return try live("opendir", path) { (s) throws(IOError) in try s.currentNames.list(normalized) }
    }

    package func createDirectory(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try live("mkdir", path) { (s) throws(IOError) in
            for created in try s.currentNames.makeDirectories(normalized) {
                s.pendingDirectory.append(PendingName(operation: .makeDirectory(path: created)))
            }
        }
    }

    package func removeFile(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try live("unlink", path) { (s) throws(IOError) in
            try s.currentNames.removeFile(normalized)
            s.pendingDirectory.append(PendingName(operation: .removeFile(path: normalized)))
        }
    }

    package func removeDirectoryRecursively(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try live("rmdir", path) { (s) throws(IOError) in
            try s.currentNames.removeTree(normalized)
            s.pendingDirectory.append(PendingName(operation: .removeTree(path: normalized)))
        }
    }

    package func rename(_ from: String, to: String) throws(IOError) {
        let source = VirtualPath.normalize(from)
        let target = VirtualPath.normalize(to)
        try live("rename", from) { (s) throws(IOError) in
            try s.currentNames.rename(source, to: target)
            if source != target { s.pendingDirectory.append(PendingName(operation: .rename(from: source, to: target))) }
        }
    }

    package func syncDirectory(_ path: String) throws(IOError) {
        let normalized = VirtualPath.normalize(path)
        try live("fsync(dir)", path) { (s) throws(IOError) in
            switch s.currentNames.entry(normalized) {
            case .directory?: break
            case .file?: throw IOError(.notADirectory, operation: "open(dir)", path: path)
            case nil: throw IOError(.notFound, operation: "open(dir)", path: path)
            }
            try Self.countSync("fsync(dir)", path, in: &s)
            for index in s.pendingDirectory.indices where s.pendingDirectory[index].operation.directory == normalized {
                s.pendingDirectory[index].syncRequested = true
            }
            // Apply requested operations in order; one that waits for its own
            // directory to become durable is retried after each success.
            var progress = true
            while progress {
                progress = false
                var index = 0
                while index < s.pendingDirectory.count {
                    let pending = s.pendingDirectory[index]
                    if pending.syncRequested, Self.apply(pending.operation, to: &s.durableNames) {
                        s.pendingDirectory.remove(at: index)
                        progress = true
                    } else {
                        index += 1
                    }
                }
            }
        }
    }

    package func fileSize(_ path: String) throws(IOError) -> Int64 {
        let normalized = VirtualPath.normalize(path)
        return try live("stat", path) { (s) throws(IOError) in
            let inode = try s.currentNames.fileInode(normalized, operation: "stat")
            return s.inodes[inode]?.current.count ?? 0
        }
    }

    package func lockExclusive(_ path: String) throws(IOError) -> any FileLock {
        let normalized = VirtualPath.normalize(path)
        try live("flock", path) { (s) throws(IOError) in
            switch s.currentNames.entry(normalized) {
            case .directory?: throw IOError(.isADirectory, operation: "open(lock)", path: path)
            case .file?: break
            case nil: _ = try Self.createFile(normalized, operation: "open(lock)", in: &s)
            }
            guard s.locks.insert(normalized).inserted else { throw IOError(.locked, operation: "flock", path: path) }
        }
        return InMemoryFileLock(path: normalized) { [self] in
            _ = state.withLock { $0.locks.remove(normalized) }
        }
    }

    // MARK: - Handle operations (called by CrashSimulatingFileHandle)

    func withInode<R>(
        handle: Int, path: String, operation: String,
        _ body: (inout Inode, inout State) throws(IOError) -> R
    ) throws(IOError) -> R {
        try live(operation, path) { (s) throws(IOError) -> R in
            // Moved out and back so the bytes are mutated in place, not copied.
            guard let inode = s.handles[handle], var node = s.inodes.removeValue(forKey: inode) else {
                throw IOError(.closed, operation: operation, path: path)
            }
            defer { s.inodes[inode] = node }
            return try body(&node, &s)
        }
    }

    func closeHandle(_ handle: Int, path: String) throws(IOError) {
        try live("close", path) { (s) throws(IOError) in
            guard s.handles.removeValue(forKey: handle) != nil else { throw IOError(.closed, operation: "close", path: path) }
        }
    }

    /// Drops a handle without the crash check (deinit after a crash).
    func forgetHandle(_ handle: Int) {
        _ = state.withLock { $0.handles.removeValue(forKey: handle) }
    }

    // MARK: - Helpers

    /// Runs `body` on the state unless the power has failed (keeps I3).
    private func live<R>(_ operation: String, _ path: String, _ body: (inout State) throws(IOError) -> R) throws(IOError) -> R {
        try state.withLock { (s) throws(IOError) -> R in
            guard !s.crashed else { throw IOError(code: .crashed, operation: operation, path: path, errno: 0) }
            return try body(&s)
        }
    }

    /// Counts a sync; cuts the power instead if it is the armed one.
    static func countSync(_ operation: String, _ path: String, in s: inout State) throws(IOError) {
        s.syncCount += 1
        if let k = s.crashAtSync, s.syncCount >= k {
            s.crashed = true  // the power fails before this sync takes effect
            throw IOError(code: .crashed, operation: operation, path: path, errno: 0)
        }
    }

    private static func createFile(_ path: String, operation: String, in s: inout State) throws(IOError) -> Int {
        let inode = s.nextInode
        try s.currentNames.createFile(path, inode: inode, operation: operation)
        s.nextInode += 1
        s.inodes[inode] = Inode()
        s.pendingDirectory.append(PendingName(operation: .createFile(path: path, inode: inode)))
        return inode
    }
}
