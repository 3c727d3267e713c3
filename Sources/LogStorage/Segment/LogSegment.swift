// SPDX-License-Identifier: Apache-2.0
// One segment: a `.log` file of batches plus its `.index` and `.timeindex`.
//
// A segment is created empty, receives appends while it is the partition's
// active segment, and is sealed when the partition rolls: its indexes get
// their final entries and all three files are fdatasynced. A sealed segment
// never changes again until retention deletes it.
import FileIO

// MARK: Invariants
// I1. `size` is the byte length of the complete batches in `.log`; a reader
//     never looks past the `size` it captured under the partition lock.
// I2. Batches are contiguous: the first starts at `baseOffset`, each next one
//     starts at the previous `lastOffset + 1`; `nextOffset` is one past the last.
// I3. All mutation happens under the owning Partition's lock. Readers use
//     only the immutable handles and values captured under that lock.
// I4. A sealed segment's files are synced and its time index ends with the
//     segment's max timestamp.

// Safety of @unchecked Sendable: mutable fields are changed only under the
// owning Partition's lock (I3); other threads only read immutable `let`s and
// call thread-safe FileHandle methods with positions captured under the lock.
package final class LogSegment: @unchecked Sendable {
    package let baseOffset: Int64
    package let log: any FileHandle
    package let offsetIndex: OffsetIndex
    package let timeIndex: TimeIndex

    package private(set) var size: Int64
    package private(set) var nextOffset: Int64
    /// Largest batch max timestamp seen (−1 when none).
    package private(set) var maxTimestamp: Int64
    /// Last offset of the batch that holds `maxTimestamp`.
    package private(set) var offsetOfMaxTimestamp: Int64
    package private(set) var bytesSinceLastIndexEntry: Int64 = 0
    /// Clock time of the first append into this segment (for `segmentMs` rolls).
    package var firstAppendMillis: Int64?
    package private(set) var isSealed = false
    /// Set at open when an index file did not exist (it must be rebuilt).
    package var indexesWereMissing = false

    package var logPath: String { log.path }

    package init(baseOffset: Int64, log: any FileHandle, offsetIndex: OffsetIndex, timeIndex: TimeIndex,
                 size: Int64, nextOffset: Int64, maxTimestamp: Int64, offsetOfMaxTimestamp: Int64) {
        self.baseOffset = baseOffset
        self.log = log
        self.offsetIndex = offsetIndex
        self.timeIndex = timeIndex
        self.size = size
        self.nextOffset = nextOffset
        self.maxTimestamp = maxTimestamp
        self.offsetOfMaxTimestamp = offsetOfMaxTimestamp
    }

    deinit {
        // Handles close when the last reader lets go, so retention can unlink
        // files that a concurrent reader is still reading.
        try? log.close()
        try? offsetIndex.handle.close()
        try? timeIndex.handle.close()
    }

    /// Closes the three handles now (at partition close), instead of when
    /// the last reference goes away. Later reads of this segment throw `.io`.
    package func closeHandles() {
        try? log.close()
        try? offsetIndex.handle.close()
        try? timeIndex.handle.close()
    }

    // MARK: - Files

    package static func paths(directory: String, baseOffset: Int64) -> (log: String, index: String, timeIndex: String) {
        (LogFileNames.join(directory, LogFileNames.segmentFile(baseOffset: baseOffset, kind: .log)),
         LogFileNames.join(directory, LogFileNames.segmentFile(baseOffset: baseOffset, kind: .index)),
         LogFileNames.join(directory, LogFileNames.segmentFile(baseOffset: baseOffset, kind: .timeIndex)))
    }

    /// Creates a new, empty segment's three files. The caller syncs the directory.
    package static func create(fs: any FileSystem, directory: String, baseOffset: Int64,
                               maxIndexBytes: Int) throws(StorageError) -> LogSegment {
        let p = paths(directory: directory, baseOffset: baseOffset)
        let handles: (any FileHandle, any FileHandle, any FileHandle)
        do throws(IOError) {
            let log = try fs.open(p.log, mode: .createNew)
            // Index files may survive from a segment that a torn roll left
            // without its log; they describe nothing, so start them empty.
            let index = try fs.open(p.index, mode: .createOrOpen)
            try index.truncate(to: 0)
            let time = try fs.open(p.timeIndex, mode: .createOrOpen)
            try time.truncate(to: 0)
            handles = (log, index, time)
        } catch {
            throw .io(error, "cannot create segment \(p.log)")
        }
        return LogSegment(baseOffset: baseOffset, log: handles.0,
                          offsetIndex: try OffsetIndex(handle: handles.1, baseOffset: baseOffset, maxBytes: maxIndexBytes),
                          timeIndex: try TimeIndex(handle: handles.2, baseOffset: baseOffset, maxBytes: maxIndexBytes),
                          size: 0, nextOffset: baseOffset, maxTimestamp: -1, offsetOfMaxTimestamp: baseOffset)
    }

    // MARK: - Append

    /// Writes one complete batch at the end of the log and maintains the
    /// indexes (keeps I1, I2). The caller checked sizes and rolled if needed.
    package func append(_ batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(StorageError) {
        precondition(header.baseOffset == nextOffset, "batches must be contiguous (I2)")
        let position = size
        do { try log.write(batch, at: position) } catch { throw .io(error, "cannot append to segment") }
        // Index entries are written after the batch bytes so an entry never
        // points at bytes that were not written (they may still be unsynced;
        // recovery rebuilds the index of every unsynced segment).
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            offsetOfMaxTimestamp = header.lastOffset
        }
        if bytesSinceLastIndexEntry > Int64(indexIntervalBytes) {
            try offsetIndex.append(offset: header.lastOffset, position: position)
            try timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
            bytesSinceLastIndexEntry = 0
        }
        bytesSinceLastIndexEntry += Int64(batch.count)
        size = position + Int64(batch.count)
        nextOffset = header.lastOffset + 1
    }

    /// The index interval in use (set by the partition from its config).
    package var indexIntervalBytes: Int = 4096

    // MARK: - Seal, sync, truncate

    /// Appends the final time-index entry and syncs all three files (I4).
    package func seal() throws(StorageError) {
        try appendFinalTimeIndexEntry()
        try syncAll()
        isSealed = true
    }

    /// The time index's last entry names the segment's max timestamp (I4).
    package func appendFinalTimeIndexEntry() throws(StorageError) {
        if maxTimestamp >= 0 {
            try timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp, final: true)
        }
    }

    /// fdatasync of the log only (the durability step).
    package func syncLog() throws(StorageError) {
        do { try log.sync() } catch { throw .io(error, "fdatasync of segment failed") }
    }

    /// fdatasync of the log and both indexes.
    package func syncAll() throws(StorageError) {
        do throws(IOError) {
            try log.sync()
            try offsetIndex.handle.sync()
            try timeIndex.handle.sync()
        } catch {
            throw .io(error, "fdatasync of segment files failed")
        }
    }

    /// Cuts the log at `position` (a batch boundary whose first offset is
    /// `nextOffset`) and drops index entries past it. Used by recovery.
    package func truncate(toPosition position: Int64, nextOffset: Int64) throws(StorageError) {
        do { try log.truncate(to: position) } catch { throw .io(error, "cannot truncate segment") }
        try offsetIndex.truncate(toEntriesBelow: nextOffset)
        try timeIndex.truncate(toEntriesBelow: nextOffset)
        size = position
        self.nextOffset = nextOffset
    }

    /// Replaces the in-memory summary after recovery re-scanned the segment.
    package func restore(size: Int64, nextOffset: Int64, maxTimestamp: Int64, offsetOfMaxTimestamp: Int64,
                         bytesSinceLastIndexEntry: Int64, sealed: Bool) {
        self.size = size
        self.nextOffset = nextOffset
        self.maxTimestamp = maxTimestamp
        self.offsetOfMaxTimestamp = offsetOfMaxTimestamp
        self.bytesSinceLastIndexEntry = bytesSinceLastIndexEntry
        self.isSealed = sealed
    }
}
