// SPDX-License-Identifier: Apache-2.0
// Retention: whole sealed segments are dropped by age or by total size; the
// active segment never is. Dropping advances the log start offset.
//
// Order (crash-safe): (1) remove the segments from the in-memory list and
// advance logStartOffset, (2) the LogManager writes the log-start checkpoint,
// (3) only then are the files unlinked. A crash between (2) and (3) leaves
// files below the checkpointed log start, which the next open deletes.
import FileIO

extension Partition {
    /// Detaches the segments that retention removes and advances the log start.
    /// Returns the detached segments; the caller checkpoints, then calls
    /// `deleteFiles(of:)`.
    package func detachExpiredSegments(now: Int64) -> [LogSegment] {
        state.withLock { s in
            guard s.failure == nil, !s.closed else { return [] }
            var drop = 0
            let sealed = s.segments.count - 1
            if let ms = config.retentionMs {
                while drop < sealed, s.segments[drop].maxTimestamp >= 0, s.segments[drop].maxTimestamp < now - ms {
                    drop += 1
                }
            }
            if let limit = config.retentionBytes {
                var excess = s.segments.reduce(0) { $0 + $1.size } - limit
                for i in 0..<drop { excess -= s.segments[i].size }
                while drop < sealed, excess - s.segments[drop].size >= 0 {
                    excess -= s.segments[drop].size
                    drop += 1
                }
            }
            guard drop > 0 else { return [] }
            let removed = Array(s.segments[0..<drop])
            s.segments.removeFirst(drop)
            s.logStartOffset = max(s.logStartOffset, s.segments[0].baseOffset)
            return removed
        }
    }

    /// Unlinks the files of segments detached by retention. Readers that still
    /// hold a segment keep reading through their open handles.
    package func deleteFiles(of removed: [LogSegment]) throws(StorageError) {
        for segment in removed {
            let p = LogSegment.paths(directory: directory, baseOffset: segment.baseOffset)
            for path in [p.log, p.index, p.timeIndex] where fs.exists(path) {
                do { try fs.removeFile(path) } catch { throw .io(error, "cannot delete expired segment file") }
            }
            logger.info("retention deleted segment", metadata: [
                "partition": "\(topicPartition)", "baseOffset": "\(segment.baseOffset)", "bytes": "\(segment.size)"])
        }
    }
}
