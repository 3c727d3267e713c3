// SPDX-License-Identifier: Apache-2.0
// Array conveniences over the raw-buffer `FileHandle` and `FileSystem` calls,
// for cold paths (checkpoint files, tests, tools). Hot paths use the raw calls.

extension FileHandle {
    /// Writes all of `bytes` at `offset`.
    package func write(_ bytes: [UInt8], at offset: Int64) throws(IOError) {
        // Array.withUnsafeBytes is untyped `rethrows`; carry the typed error out in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(IOError) in try write(raw, at: offset) }
        }
        try result.get()
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    package func read(count: Int, at offset: Int64) throws(IOError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { raw in
            Result { () throws(IOError) in try read(into: raw, at: offset) }
        }.get()
        bytes.removeSubrange(n...)
        return bytes
    }

    /// Reads the whole file as it is now.
    package func readAll() throws(IOError) -> [UInt8] {
        let size = try size()
        guard size <= Int64(Int.max) else {
            throw IOError(.other, operation: "readAll", path: path)
        }
        return try read(count: Int(size), at: 0)
    }
}

extension FileSystem {
    /// The whole content of the file at `path`.
    package func readFile(_ path: String) throws(IOError) -> [UInt8] {
        let handle = try open(path, mode: .readOnly)
        let bytes: [UInt8]
        do {
            bytes = try handle.readAll()
        } catch {
            try? handle.close()
            throw error
        }
        try handle.close()
        return bytes
    }

    /// Replaces the content of the file at `path` (created if absent) with
    /// `bytes`, optionally fsyncing it. Not atomic: callers wanting an atomic
    /// replace write a temporary file and `rename` it.
    package func writeFile(_ path: String, _ bytes: [UInt8], sync: Bool = false) throws(IOError) {
        let handle = try open(path, mode: .createOrOpen)
        do {
            try handle.truncate(to: 0)
            try handle.write(bytes, at: 0)
            if sync { try handle.sync() }
        } catch {
            try? handle.close()
            throw error
        }
        try handle.close()
    }
}
