// SPDX-License-Identifier: Apache-2.0
// Lexical path arithmetic for the in-memory backends (which have no kernel
// to resolve paths for them).

/// Normalised paths for in-memory file systems: absolute, no empty, `.` or
/// `..` components, no trailing slash. A relative path is taken relative to
/// the root, so `"a/b"`, `"/a//b/"` and `"/a/./c/../b"` all name `"/a/b"`.
package enum VirtualPath {
    package static let root = "/"

    package static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The parent of a normalised path; the root is its own parent.
    package static func parent(_ normalized: String) -> String {
        guard let slash = normalized.utf8.lastIndex(of: UInt8(ascii: "/")), normalized != root else { return root }
        return slash == normalized.utf8.startIndex ? root : String(normalized[..<slash])
    }

    /// The last component of a normalised path (empty for the root).
    package static func name(_ normalized: String) -> String {
        guard let slash = normalized.utf8.lastIndex(of: UInt8(ascii: "/")) else { return normalized }
        return String(normalized[normalized.index(after: slash)...])
    }

    /// `directory` joined with `name` (both already normalised / plain).
    package static func join(_ directory: String, _ name: String) -> String {
        directory == root ? root + name : directory + "/" + name
    }

    /// Whether `path` lies strictly below `ancestor`.
    package static func isDescendant(_ path: String, of ancestor: String) -> Bool {
        ancestor == root ? path != root : path.hasPrefix(ancestor + "/")
    }
}
