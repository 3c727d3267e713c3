// SPDX-License-Identifier: Apache-2.0
// Writes a small real segment (`.log`, `.index`, `.timeindex`) with
// LogStorage's own encoder and segment code, for the CLI tests to dump.
import FileIO
import LogStorage
import SpoolTestSupport

/// One record to encode.
struct FixtureRecord {
    var key: [UInt8]?
    var value: [UInt8]?
    var timestamp: Int64
    var headers: [RecordHeaderInput] = []
}

/// A sealed segment in a temporary directory and where its batches landed.
struct SegmentFixture {
    let directory: TemporaryDirectory
    let baseOffset: Int64
    /// Byte position of each batch in the `.log`.
    let batchPositions: [Int64]
    /// Size in bytes of each batch.
    let batchSizes: [Int]

    var logPath: String { path(.log) }
    var indexPath: String { path(.index) }
    var timeIndexPath: String { path(.timeIndex) }

    func path(_ kind: SegmentFileKind) -> String {
        directory.appending(LogFileNames.segmentFile(baseOffset: baseOffset, kind: kind))
    }

    /// Writes `batches` (each a non-empty list of records) as one segment.
    /// `indexIntervalBytes` 0 indexes every batch after the first.
    init(baseOffset: Int64, batches: [[FixtureRecord]], indexIntervalBytes: Int = 0) throws {
        directory = try TemporaryDirectory(prefix: "spool-cli-segment")
        self.baseOffset = baseOffset
        let segment = try LogSegment.create(fs: PosixFileSystem(), directory: directory.path,
                                            baseOffset: baseOffset, maxIndexBytes: 1 << 20)
        segment.indexIntervalBytes = indexIntervalBytes
        let builder = RecordBatchBuilder(initialCapacity: 4096)
        var positions: [Int64] = []
        var sizes: [Int] = []
        for records in batches {
            builder.reset()
            for r in records {
                builder.append(key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers)
            }
            let batch = builder.finish()
            RecordBatchBuilder.setBaseOffset(segment.nextOffset, in: batch)
            let header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(batch))
            positions.append(segment.size)
            sizes.append(batch.count)
            try segment.append(UnsafeRawBufferPointer(batch), header: header)
        }
        try segment.seal()
        try segment.log.close()
        try segment.offsetIndex.handle.close()
        try segment.timeIndex.handle.close()
        batchPositions = positions
        batchSizes = sizes
    }

    /// Damages one of the segment's files.
    func surgery(_ kind: SegmentFileKind) -> ByteSurgery {
        ByteSurgery(PosixFileSystem(), path: path(kind))
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
