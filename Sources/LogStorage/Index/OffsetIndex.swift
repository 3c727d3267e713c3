// SPDX-License-Identifier: Apache-2.0
// The sparse offset index of one segment (Kafka `OffsetIndex`). This file owns
// the `.index` byte layout.
//
//   OFFSET  SIZE  FIELD           NOTES
//   0       4     relativeOffset  int32 BE: batch LAST offset − segment base offset
//   4       4     position        int32 BE: byte position of that batch's start in `.log`
//   (8-byte entries back to back, no header, no checksum)
//
// An entry is added when more than `indexIntervalBytes` bytes were appended to
// the log since the previous entry, counted BEFORE the current batch, so the
// first batch of a segment is never indexed. Lookup finds the largest entry
// whose offset is <= the target (or the segment start) and the caller scans
// forward from its position to the first batch whose last offset >= target.
//
// Entries are written with one pwrite each as they are added, so the file
// length is always `entryCount * 8` (no preallocation, nothing to trim). The
// index is never fsynced on its own before a roll: after a crash, recovery
// rebuilds the index of every segment it re-validates.
import FileIO

// MARK: Invariants
// I1. `entryCount * entrySize` == the file's logical length.
// I2. Entry offsets strictly increase and are >= baseOffset; positions strictly increase.
// I3. Every entry points at the start of a batch whose last offset is the entry's offset.
// I4. Mutations (`append`, `truncate`) happen only under the owning partition's lock;
//     concurrent lookups pass an `entryCount` they captured under that lock.

/// One `(offset, position)` pair of the offset index.
package struct OffsetPosition: Equatable, Sendable {
    package var offset: Int64
    package var position: Int64
}

// Safety of @unchecked Sendable: the only mutable state (`entryCount`, `last`)
// is changed under the owning Partition's lock (I4); lookups from other threads
// read only the immutable handle and base offset plus a count passed in.
package final class OffsetIndex: @unchecked Sendable {
    package static let entrySize = 8
    /// Default maximum index size (Kafka `segment.index.bytes`): 10 MiB.
    package static let defaultMaxBytes = 10 << 20

    package let handle: any FileHandle
    package let baseOffset: Int64
    package let maxEntries: Int
    package private(set) var entryCount: Int
    package private(set) var lastEntry: OffsetPosition?

    package var path: String { handle.path }
    package var isFull: Bool { entryCount >= maxEntries }

    /// Opens an index file; its current length is taken as-is (trimmed down
    /// to whole entries). Use `sanityCheck` before trusting it.
    package init(handle: any FileHandle, baseOffset: Int64, maxBytes: Int = defaultMaxBytes) throws(StorageError) {
        self.handle = handle
        self.baseOffset = baseOffset
        self.maxEntries = max(1, maxBytes / Self.entrySize)
        let size: Int64
        do { size = try handle.size() } catch { throw .io(error, "cannot stat offset index") }
        self.entryCount = Int(size / Int64(Self.entrySize))
        self.lastEntry = nil
        if entryCount > 0 { lastEntry = try entry(at: entryCount - 1) }
    }

    /// Appends an entry (keeps I1, I2).
    package func append(offset: Int64, position: Int64) throws(StorageError) {
        precondition(!isFull, "caller must roll the segment before the offset index is full")
        if let last = lastEntry {
            precondition(offset > last.offset && position > last.position, "offset index entries must increase")
        }
        let relative = offset - baseOffset
        precondition(relative >= 0 && relative <= Int64(Int32.max) && position <= Int64(Int32.max))
        let bytes: (UInt32, UInt32) = (UInt32(relative).bigEndian, UInt32(position).bigEndian)
        do {
            try handle.write(rawValue: bytes, count: Self.entrySize, at: Int64(entryCount * Self.entrySize))
        } catch {
            throw .io(error, "cannot append to offset index")
        }
        entryCount += 1
        lastEntry = OffsetPosition(offset: offset, position: position)
    }

    /// Reads entry `i` (0-based).
    package func entry(at i: Int) throws(StorageError) -> OffsetPosition {
        var raw: (UInt32, UInt32) = (0, 0)
        let n: Int
        do {
            n = try handle.read(into: &raw, count: Self.entrySize, at: Int64(i * Self.entrySize))
        } catch {
            throw .io(error, "cannot read offset index")
        }
        guard n == Self.entrySize else {
            throw StorageError(.corruption, "offset index entry \(i) is short (\(n) bytes)",
                               path: path, position: Int64(i * Self.entrySize))
        }
        let (offset, overflow) = baseOffset.addingReportingOverflow(Int64(UInt32(bigEndian: raw.0)))
        guard !overflow else {
            throw StorageError(.corruption, "offset index entry \(i) overflows the base offset \(baseOffset)",
                               path: path, position: Int64(i * Self.entrySize))
        }
        return OffsetPosition(offset: offset, position: Int64(UInt32(bigEndian: raw.1)))
    }

    /// The largest entry with offset <= `target` among the first `entryCount`
    /// entries, or `(baseOffset, 0)` when there is none.
    package func lookup(_ target: Int64, entryCount count: Int) throws(StorageError) -> OffsetPosition {
        var low = 0, high = count - 1, best = OffsetPosition(offset: baseOffset, position: 0)
        while low <= high {
            let mid = (low + high) / 2
            let e = try entry(at: mid)
            if e.offset <= target { best = e; low = mid + 1 } else { high = mid - 1 }
        }
        return best
    }

    /// Drops every entry whose offset is >= `offset` (used when the log is truncated).
    package func truncate(toEntriesBelow offset: Int64) throws(StorageError) {
        var keep = 0
        var low = 0, high = entryCount - 1
        while low <= high {
            let mid = (low + high) / 2
            if try entry(at: mid).offset < offset { keep = mid + 1; low = mid + 1 } else { high = mid - 1 }
        }
        try truncate(toCount: keep)
    }

    /// Keeps only the first `count` entries.
    package func truncate(toCount count: Int) throws(StorageError) {
        do { try handle.truncate(to: Int64(count * Self.entrySize)) } catch { throw .io(error, "cannot truncate offset index") }
        entryCount = count
        lastEntry = count > 0 ? try entry(at: count - 1) : nil
    }

    /// Checks I1 and that the last entry lies inside a log of `logSize` bytes
    /// (Kafka's cheap open-time check); with `full`, checks I2 for every entry.
    /// Returns a description of the first problem, or nil.
    package func sanityCheck(logSize: Int64, full: Bool) throws(StorageError) -> String? {
        let size: Int64
        do { size = try handle.size() } catch { throw .io(error, "cannot stat offset index") }
        if size % Int64(Self.entrySize) != 0 { return "length \(size) is not a multiple of \(Self.entrySize)" }
        if let last = lastEntry, last.position >= logSize {
            return "last entry points at position \(last.position), past the log end \(logSize)"
        }
        guard full else { return nil }
        var previous: OffsetPosition?
        for i in 0..<entryCount {
            let e = try entry(at: i)
            if e.position >= logSize { return "entry \(i) points at position \(e.position), past the log end \(logSize)" }
            if let p = previous, e.offset <= p.offset || e.position <= p.position {
                return "entry \(i) (\(e.offset)@\(e.position)) does not increase after (\(p.offset)@\(p.position))"
            }
            previous = e
        }
        return nil
    }
}
