// SPDX-License-Identifier: Apache-2.0
// The sparse time index of one segment (Kafka `TimeIndex`). This file owns the
// `.timeindex` byte layout.
//
//   OFFSET  SIZE  FIELD           NOTES
//   0       8     timestamp       int64 BE: largest timestamp seen up to the offset
//   8       4     relativeOffset  int32 BE: offset − segment base offset of the batch
//                                  (its last offset) holding that timestamp
//   (12-byte entries back to back, no header, no checksum)
//
// An entry is appended alongside an offset-index entry, but only when the
// segment's max timestamp so far is strictly greater than the last entry's.
// When the segment is sealed (roll or close) one final entry with the
// segment's max timestamp is appended, so a sealed segment's largest
// timestamp is its last entry (used by time-based retention). The last slot is
// reserved for that final entry (`isFull` is `entries >= maxEntries - 1`).
import FileIO

// MARK: Invariants
// I1. `entryCount * entrySize` == the file's logical length.
// I2. Entry timestamps strictly increase; entry offsets never decrease.
// I3. Mutations happen only under the owning partition's lock; lookups pass a
//     captured `entryCount`.

/// One `(timestamp, offset)` pair of the time index.
package struct TimestampOffset: Equatable, Sendable {
    package var timestamp: Int64
    package var offset: Int64
}

// Safety of @unchecked Sendable: as for OffsetIndex, mutable state changes only
// under the owning Partition's lock (I3).
package final class TimeIndex: @unchecked Sendable {
    package static let entrySize = 12

    package let handle: any FileHandle
    package let baseOffset: Int64
    package let maxEntries: Int
    package private(set) var entryCount: Int
    package private(set) var lastEntry: TimestampOffset?

    package var path: String { handle.path }
    /// Full when only the reserved final slot is left.
    package var isFull: Bool { entryCount >= maxEntries - 1 }

    package init(handle: any FileHandle, baseOffset: Int64, maxBytes: Int = OffsetIndex.defaultMaxBytes) throws(StorageError) {
        self.handle = handle
        self.baseOffset = baseOffset
        self.maxEntries = max(2, maxBytes / Self.entrySize)
        let size: Int64
        do { size = try handle.size() } catch { throw .io(error, "cannot stat time index") }
        self.entryCount = Int(size / Int64(Self.entrySize))
        self.lastEntry = nil
        if entryCount > 0 { lastEntry = try entry(at: entryCount - 1) }
    }

    /// Appends `(timestamp, offset)` if `timestamp` is greater than the last
    /// entry's (keeps I2). `final` may use the reserved last slot.
    package func maybeAppend(timestamp: Int64, offset: Int64, final: Bool = false) throws(StorageError) {
        if let last = lastEntry, timestamp <= last.timestamp { return }
        guard entryCount < (final ? maxEntries : maxEntries - 1) else { return }
        let relative = offset - baseOffset
        precondition(relative >= 0 && relative <= Int64(Int32.max))
        let bytes: (UInt64, UInt32) = (UInt64(bitPattern: timestamp).bigEndian, UInt32(relative).bigEndian)
        do {
            // The tuple has 4 bytes of tail padding; write exactly 12.
            try handle.write(rawValue: bytes, count: Self.entrySize, at: Int64(entryCount * Self.entrySize))
        } catch {
            throw .io(error, "cannot append to time index")
        }
        entryCount += 1
        lastEntry = TimestampOffset(timestamp: timestamp, offset: offset)
    }

    package func entry(at i: Int) throws(StorageError) -> TimestampOffset {
        var raw: (UInt64, UInt32) = (0, 0)
        let n: Int
        do {
            n = try handle.read(into: &raw, count: Self.entrySize, at: Int64(i * Self.entrySize))
        } catch {
            throw .io(error, "cannot read time index")
        }
        guard n == Self.entrySize else {
            throw StorageError(.corruption, "time index entry \(i) is short (\(n) bytes)",
                               path: path, position: Int64(i * Self.entrySize))
        }
        let (offset, overflow) = baseOffset.addingReportingOverflow(Int64(UInt32(bigEndian: raw.1)))
        guard !overflow else {
            throw StorageError(.corruption, "time index entry \(i) overflows the base offset \(baseOffset)",
                               path: path, position: Int64(i * Self.entrySize))
        }
        return TimestampOffset(timestamp: Int64(bitPattern: UInt64(bigEndian: raw.0)), offset: offset)
    }

    /// The largest entry with timestamp <= `target`, or `(-1, baseOffset)` when none.
    package func lookup(_ target: Int64, entryCount count: Int) throws(StorageError) -> TimestampOffset {
        var low = 0, high = count - 1, best = TimestampOffset(timestamp: -1, offset: baseOffset)
        while low <= high {
            let mid = (low + high) / 2
            let e = try entry(at: mid)
            if e.timestamp <= target { best = e; low = mid + 1 } else { high = mid - 1 }
        }
        return best
    }

    /// Drops every entry whose offset is >= `offset`.
    package func truncate(toEntriesBelow offset: Int64) throws(StorageError) {
        var keep = 0
        for i in 0..<entryCount {
            if try entry(at: i).offset < offset { keep = i + 1 } else { break }
        }
        do { try handle.truncate(to: Int64(keep * Self.entrySize)) } catch { throw .io(error, "cannot truncate time index") }
        entryCount = keep
        lastEntry = keep > 0 ? try entry(at: keep - 1) : nil
    }

    /// Checks I1, and with `full` I2 and that offsets stay below `nextOffset`.
    package func sanityCheck(nextOffset: Int64, full: Bool) throws(StorageError) -> String? {
        let size: Int64
        do { size = try handle.size() } catch { throw .io(error, "cannot stat time index") }
        if size % Int64(Self.entrySize) != 0 { return "length \(size) is not a multiple of \(Self.entrySize)" }
        if let last = lastEntry, last.offset >= nextOffset {
            return "last entry offset \(last.offset) is not below the segment's next offset \(nextOffset)"
        }
        guard full else { return nil }
        var previous: TimestampOffset?
        for i in 0..<entryCount {
            let e = try entry(at: i)
            if let p = previous, e.timestamp <= p.timestamp || e.offset < p.offset {
                return "entry \(i) (\(e.timestamp)→\(e.offset)) does not increase after (\(p.timestamp)→\(p.offset))"
            }
            previous = e
        }
        return nil
    }
}
