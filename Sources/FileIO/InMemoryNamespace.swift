// SPDX-License-Identifier: Apache-2.0
// The name space (directories and file entries) of an in-memory file system,
// with POSIX semantics and errors; file contents live elsewhere, by inode.

// MARK: Invariants
// I1 `entries["/"] == .directory` always.
// I2 Every entry except the root has a parent entry that is a directory, and
//    its name is in `children[parent]`; `children` has a key exactly for each
//    directory entry.
// I3 Each inode number is referenced by at most one entry (no hard links).

/// A tree of normalised paths (see `VirtualPath`) mapping to directories or
/// file inode numbers. A value type: not thread-safe by itself, its owner
/// guards it. Errors carry the normalised path.
package struct InMemoryNamespace: Sendable, Equatable {
    package enum Entry: Sendable, Equatable {
        case directory
        case file(inode: Int)
    }

    package private(set) var entries: [String: Entry] = [VirtualPath.root: .directory]
    private var children: [String: Set<String>] = [VirtualPath.root: []]

    package init() {}

    package func entry(_ path: String) -> Entry? { entries[path] }

    /// The inode of the file at `path`, or the error open(2) would give.
    package func fileInode(_ path: String, operation: String) throws(IOError) -> Int {
        switch entries[path] {
        case .file(let inode): return inode
        case .directory: throw IOError(.isADirectory, operation: operation, path: path)
        case nil:
            try checkParent(of: path, operation: operation)
            throw IOError(.notFound, operation: operation, path: path)
        }
    }

    /// Sorted (byte order) names in directory `path`.
    package func list(_ path: String) throws(IOError) -> [String] {
        switch entries[path] {
        case .directory:
            return (children[path] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        case .file: throw IOError(.notADirectory, operation: "opendir", path: path)
        case nil: throw IOError(.notFound, operation: "opendir", path: path)
        }
    }

    /// Every path strictly below directory `path`, parents before children.
    package func descendants(of path: String) -> [String] {
        entries.keys.filter { VirtualPath.isDescendant($0, of: path) }.sorted(by: Self.parentsFirst)
    }

    /// Orders paths so that every directory comes before what it contains.
    package static func parentsFirst(_ a: String, _ b: String) -> Bool {
        let da = a.utf8.count(where: { $0 == UInt8(ascii: "/") })
        let db = b.utf8.count(where: { $0 == UInt8(ascii: "/") })
        return da != db ? da < db : a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    // MARK: - Mutations

    /// Links a new file entry; `alreadyExists` if the name is taken.
    package mutating func createFile(_ path: String, inode: Int, operation: String = "open") throws(IOError) {
        guard entries[path] == nil else { throw IOError(.alreadyExists, operation: operation, path: path) }
        try checkParent(of: path, operation: operation)
        link(path, .file(inode: inode))
    }

    /// mkdir(2) of one directory: the parent must exist.
    package mutating func makeDirectory(_ path: String) throws(IOError) {
        guard entries[path] == nil else { throw IOError(.alreadyExists, operation: "mkdir", path: path) }
        try checkParent(of: path, operation: "mkdir")
        link(path, .directory)
        children[path] = []
    }

    /// `mkdir -p`; returns the directories actually created, parents first.
    @discardableResult
    package mutating func makeDirectories(_ path: String) throws(IOError) -> [String] {
        var missing: [String] = []
        var cursor = path
        while true {
            switch entries[cursor] {
            case .directory?:
                for directory in missing.reversed() { try makeDirectory(directory) }
                return missing.reversed()
            case .file?:
                throw IOError(cursor == path ? .alreadyExists : .notADirectory, operation: "mkdir", path: cursor)
            case nil:
                missing.append(cursor)
                cursor = VirtualPath.parent(cursor)
            }
        }
    }

    /// unlink(2); returns the inode that lost its name.
    @discardableResult
    package mutating func removeFile(_ path: String) throws(IOError) -> Int {
        let inode = try fileInode(path, operation: "unlink")
        unlink(path)
        return inode
    }

    /// Removes directory `path` and everything below it; returns the inodes
    /// of the files removed.
    @discardableResult
    package mutating func removeTree(_ path: String) throws(IOError) -> [Int] {
        switch entries[path] {
        case .directory?: break
        case .file?: throw IOError(.notADirectory, operation: "rmdir", path: path)
        case nil:
            try checkParent(of: path, operation: "rmdir")
            throw IOError(.notFound, operation: "rmdir", path: path)
        }
        guard path != VirtualPath.root else { throw IOError(.other, operation: "rmdir", path: path) }
        var inodes: [Int] = []
        for descendant in descendants(of: path) {
            if case .file(let inode)? = entries.removeValue(forKey: descendant) { inodes.append(inode) }
            children[descendant] = nil
        }
        unlink(path)
        children[path] = nil
        return inodes
    }

    /// rename(2): replaces a file or an empty directory at `to`. Returns the
    /// inode of a file that `to` named before, which has now lost its name.
    @discardableResult
    package mutating func rename(_ from: String, to: String) throws(IOError) -> Int? {
        guard let source = entries[from] else {
            try checkParent(of: from, operation: "rename")
            throw IOError(.notFound, operation: "rename", path: from)
        }
        if from == to { return nil }
        guard from != VirtualPath.root, to != VirtualPath.root, !VirtualPath.isDescendant(to, of: from) else {
            throw IOError(.other, operation: "rename", path: from)
        }
        try checkParent(of: to, operation: "rename")
        var displaced: Int?
        switch (source, entries[to]) {
        case (_, nil): break
        case (.file, .file(let inode)?): displaced = inode
        case (.file, .directory?): throw IOError(.isADirectory, operation: "rename", path: to)
        case (.directory, .file?): throw IOError(.notADirectory, operation: "rename", path: to)
        case (.directory, .directory?):
            guard children[to]?.isEmpty ?? true else { throw IOError(.alreadyExists, operation: "rename", path: to) }
            children[to] = nil
        }
        if entries[to] != nil { unlink(to) }
        if case .directory = source {
            // Re-key the whole subtree under its new name.
            for descendant in descendants(of: from) {
                let moved = to + descendant.dropFirst(from.count)
                entries[moved] = entries.removeValue(forKey: descendant)
                if let names = children.removeValue(forKey: descendant) { children[moved] = names }
            }
            children[to] = children.removeValue(forKey: from) ?? []
        }
        unlink(from)
        link(to, source)
        return displaced
    }

    // MARK: - Helpers

    /// Throws what the kernel would when `path`'s parent is not a directory.
    package func checkParent(of path: String, operation: String) throws(IOError) {
        var cursor = VirtualPath.parent(path)
        var isImmediateParent = true
        while true {
            switch entries[cursor] {
            case .directory?:
                if isImmediateParent { return }
                throw IOError(.notFound, operation: operation, path: path)
            case .file?:
                throw IOError(.notADirectory, operation: operation, path: path)
            case nil:
                isImmediateParent = false
                cursor = VirtualPath.parent(cursor)
            }
        }
    }

    private mutating func link(_ path: String, _ entry: Entry) {
        entries[path] = entry
        children[VirtualPath.parent(path), default: []].insert(VirtualPath.name(path))
    }

    private mutating func unlink(_ path: String) {
        entries[path] = nil
        children[VirtualPath.parent(path)]?.remove(VirtualPath.name(path))
    }
}
