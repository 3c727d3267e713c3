// SPDX-License-Identifier: Apache-2.0
// Kafka's checkpoint text format, used for the recovery-point and log-start
// checkpoints. This file owns the format; reader and writer share it.
//
//   line 1   version            "0"
//   line 2   entry count        decimal, N
//   line 3.. N entries           "<topic> <partition> <offset>", single spaces
//
// Lines end with "\n". Topic names never contain whitespace (they are
// validated to [A-Za-z0-9._-]), so splitting on spaces is unambiguous.
// The file is replaced atomically: write `<name>.tmp`, fdatasync it, rename
// over `<name>`, fsync the directory. A reader therefore sees either the old
// or the new file, never a mix; a leftover `.tmp` is removed at open.
import FileIO

package enum OffsetCheckpointFile {
    package static let version = 0
    /// Upper bound on the file we are willing to parse (guards hostile input).
    package static let maxFileBytes: Int64 = 64 << 20

    /// Renders entries in the checkpoint text format, sorted by topic-partition.
    package static func render(_ entries: [TopicPartition: Int64]) -> [UInt8] {
        var text = "\(version)\n\(entries.count)\n"
        for key in entries.keys.sorted() {
            text += "\(key.topic) \(key.partition) \(entries[key]!)\n"
        }
        return Array(text.utf8)
    }

    /// Parses checkpoint text. Throws `.corruption` naming the line on any deviation.
    package static func parse(_ bytes: [UInt8], path: String) throws(StorageError) -> [TopicPartition: Int64] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // A well-formed file ends with "\n", which leaves one empty trailing piece.
        guard let last = lines.last, last.isEmpty else {
            throw StorageError(.corruption, "checkpoint does not end with a newline", path: path)
        }
        lines.removeLast()
        guard lines.count >= 2 else {
            throw StorageError(.corruption, "checkpoint has \(lines.count) lines, expected at least 2", path: path)
        }
        guard let v = decimal(lines[0]), v == Int64(version) else {
            throw StorageError(.corruption, "checkpoint line 1: unsupported version \"\(text(lines[0]))\"", path: path)
        }
        guard let count = decimal(lines[1]), count == Int64(lines.count - 2) else {
            throw StorageError(.corruption,
                "checkpoint line 2: entry count \"\(text(lines[1]))\" does not match \(lines.count - 2) entry lines",
                path: path)
        }
        var entries: [TopicPartition: Int64] = [:]
        for (i, line) in lines.dropFirst(2).enumerated() {
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].isEmpty,
                  let partition = decimal(fields[1]), partition <= Int64(Int32.max),
                  let offset = decimal(fields[2]) else {
                throw StorageError(.corruption, "checkpoint line \(i + 3): malformed entry \"\(text(line))\"", path: path)
            }
            let key = TopicPartition(text(fields[0]), Int32(partition))
            guard entries.updateValue(offset, forKey: key) == nil else {
                throw StorageError(.corruption, "checkpoint line \(i + 3): duplicate entry for \(key)", path: path)
            }
        }
        return entries
    }

    /// Reads and parses the checkpoint at `path`; an absent file is empty.
    package static func read(_ fs: any FileSystem, path: String) throws(StorageError) -> [TopicPartition: Int64] {
        guard fs.exists(path) else { return [:] }
        var bytes: [UInt8] = []
        var size: Int64 = 0
        do throws(IOError) {
            let handle = try fs.open(path, mode: .readOnly)
            defer { try? handle.close() }
            size = try handle.size()
            if size <= maxFileBytes {
                bytes = try handle.readAll()
            }
        } catch {
            throw StorageError.io(error, "cannot read checkpoint")
        }
        guard size <= maxFileBytes else {
            throw StorageError(.corruption, "checkpoint is \(size) bytes, above the \(maxFileBytes) limit", path: path)
        }
        return try parse(bytes, path: path)
    }

    /// Atomically replaces the checkpoint at `path` (tmp, fdatasync, rename, fsync dir).
    package static func write(_ entries: [TopicPartition: Int64], to path: String, directory: String,
                              fs: any FileSystem) throws(StorageError) {
        let tmp = path + LogFileNames.temporarySuffix
        let bytes = render(entries)
        do throws(IOError) {
            let handle = try fs.open(tmp, mode: .createOrOpen)
            do {
                try handle.truncate(to: 0)
                try handle.write(bytes, at: 0)
                try handle.sync()
            } catch {
                try? handle.close()
                throw error
            }
            try handle.close()
            // Data is durable in the .tmp before the rename makes it visible
            // under the real name; the directory sync makes the rename durable.
            try fs.rename(tmp, to: path)
            try fs.syncDirectory(directory)
        } catch {
            throw StorageError.io(error, "cannot write checkpoint \(path)")
        }
    }

    private static func decimal(_ s: ArraySlice<UInt8>) -> Int64? {
        guard !s.isEmpty, s.count <= 19 else { return nil }
        var value: Int64 = 0
        for c in s {
            guard c >= 0x30, c <= 0x39 else { return nil }
            value = value &* 10 &+ Int64(c - 0x30)
        }
        return value
    }

    private static func text(_ s: ArraySlice<UInt8>) -> String {
        String(decoding: s.prefix(64), as: UTF8.self)
    }
}
