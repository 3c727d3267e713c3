// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 4: every single-byte flip in a small sealed segment, its
// .index and .timeindex, and the active segment, after a clean and after an
// unclean shutdown. Each flip must be repaired (index rebuilt, tail cut and
// reported) or reported with file and position (open, read or verify()), and
// no read may return a record that differs from what was written.
// (The record-batch decoder alone is fuzzed in
// Tests/LogStorageTests/Format/RecordBatchFuzzTests.swift.)
import FileIO
import Logging
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Every single-byte flip in a segment and its indexes")
struct ByteFlipTests {
    struct Written: Equatable, Sendable {
        var offset: Int64
        var timestamp: Int64
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [[UInt8]]
    }

    static let tp = TopicPartition("flips", 0)
    static let directory = "/data"
    static var partitionDirectory: String { directory + "/" + LogFileNames.partitionDirectory(topic: tp.topic, partition: tp.partition) }
    static var config: PartitionConfig {
        var c = PartitionConfig()
        c.segmentBytes = 1_500
        c.indexIntervalBytes = 100
        return c
    }

    static var logger: Logger {
        var l = Logger(label: "flips")
        l.logLevel = .critical
        return l
    }

    /// A log with one sealed segment of about 1.5 KB and a short active one,
    /// closed cleanly. Returns the image and what was written.
    static func buildLog() async throws -> (InMemoryFileSystem, [Written]) {
        let fs = InMemoryFileSystem()
        let (manager, _) = try LogManager.open(directory: directory, fs: fs, clock: ManualClock(), logger: logger,
                                               configFor: { _ in config })
        let p = try manager.createPartition(tp, config: config)
        var random = SeededRandom(seed: 6)
        var written: [Written] = []
        let builder = RecordBatchBuilder(initialCapacity: 4096)
        while p.segments.count < 2 || p.segments.last!.size < 300 {
            builder.reset()
            let count = 1 + Int(random.next() % 3)
            for _ in 0..<count {
                let offset = Int64(written.count)
                let key: [UInt8]? = offset % 5 == 4 ? nil : Array("k\(offset)".utf8)
                let value: [UInt8]? = offset % 7 == 6 ? nil : random.bytes(10 + Int(random.next() % 50))
                let headers = offset % 3 == 0 ? [RecordHeaderInput(key: Array("h\(offset)".utf8), value: random.bytes(4))] : []
                let ts = 10_000 + offset * 10
                builder.append(key: key, value: value, timestamp: ts, headers: headers)
                written.append(Written(offset: offset, timestamp: ts, key: key, value: value,
                                       headers: headers.map { $0.key + ($0.value ?? []) }))
            }
            _ = try await p.append(builder.finish())
        }
        try manager.close()
        return (fs, written)
    }

    enum Verdict: String, CaseIterable, Sendable {
        case reportedAtOpen, reportedByRead, reportedByVerify, repairedTailCut, repairedIndexRebuilt, harmless
    }

    /// Opens the damaged image and classifies what the engine did; records an
    /// issue for anything that breaks the rule.
    static func judge(_ fs: InMemoryFileSystem, _ written: [Written], context: String, checkTimeLookups: Bool = true)
        -> (Verdict, [String])
    {
        var issues: [String] = []
        let manager: LogManager
        let report: RecoveryReport
        do {
            (manager, report) = try LogManager.open(directory: directory, fs: fs, clock: ManualClock(), logger: logger,
                                                    configFor: { _ in config })
        } catch {
            if error.code == .corruption || error.code == .unsupportedFormat, error.path != nil, error.position != nil {
                return (.reportedAtOpen, [])
            }
            return (.reportedAtOpen, ["open failed without file and position: \(error)"])
        }
        defer { try? manager.close() }
        guard let p = manager.partition(tp) else { return (.harmless, ["the partition vanished"]) }
        // Read everything; every record returned must be exactly what was written.
        var readError: StorageError?
        var next = p.logStartOffset
        let buffer = ReadBuffer(capacity: 8192)
        reading: while next < p.logEndOffset {
            do {
                let result = try p.read(from: next, maxBytes: 512, into: buffer)
                if result.isEmpty {
                    issues.append("read at \(next) returned nothing below the end \(p.logEndOffset)")
                    break
                }
                let before = next
                var cursor = 0
                while cursor < result.bytes.count {
                    let header = try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: result.bytes[cursor...]))
                    let view = try RecordBatchView(UnsafeRawBufferPointer(rebasing: result.bytes[cursor..<(cursor + header.totalSize)]))
                    var records = view.makeRecordIterator()
                    while let r = try records.next() {
                        if r.offset < next { continue }
                        var headers: [[UInt8]] = []
                        var hi = r.makeHeaderIterator()
                        while let h = try hi.next() { headers.append(Array(h.key) + (h.value.map { Array($0) } ?? [])) }
                        let got = Written(offset: r.offset, timestamp: r.timestamp, key: r.key.map { Array($0) },
                                          value: r.value.map { Array($0) }, headers: headers)
                        guard r.offset == next, r.offset < Int64(written.count), got == written[Int(r.offset)] else {
                            issues.append("read returned a record that was never written at \(next): \(got)")
                            break reading
                        }
                        next += 1
                    }
                    cursor += header.totalSize
                }
                if next == before {
                    issues.append("read at \(next) returned \(result.batchCount) batch(es) without that offset")
                    break
                }
            } catch {
                readError = error
                if !Self.isDamageReport(error) || error.position == nil {
                    issues.append("read failed without file and position: \(error)")
                }
                break
            }
        }
        // Time lookups: the first offset at or after each written timestamp.
        for w in written where checkTimeLookups && w.offset >= p.logStartOffset && w.offset < p.logEndOffset && w.offset % 3 == 0 {
            do {
                let found = try p.offset(forTimestamp: w.timestamp)
                if found != w.offset, readError == nil {
                    issues.append("offset(forTimestamp: \(w.timestamp)) = \(String(describing: found)), written at \(w.offset)")
                }
            } catch {
                if !Self.isDamageReport(error) {
                    issues.append("time lookup failed without file: \(error)")
                }
            }
        }
        let verify = p.verify()
        for problem in verify.problems where problem.path.isEmpty {
            issues.append("verify problem without a file: \(problem)")
        }
        if p.logEndOffset < Int64(written.count) && report.truncations.isEmpty {
            issues.append("records \(p.logEndOffset)..<\(written.count) vanished without a reported truncation")
        }
        if readError != nil {
            if verify.isHealthy { issues.append("read reported corruption that verify() does not see: \(readError!)") }
            return (.reportedByRead, issues)
        }
        if !verify.isHealthy { return (.reportedByVerify, issues) }
        if !report.truncations.isEmpty { return (.repairedTailCut, issues) }
        if !report.rebuiltIndexes.isEmpty { return (.repairedIndexRebuilt, issues) }
        return (.harmless, issues)
    }

    /// A typed damage report that names the file.
    static func isDamageReport(_ error: StorageError) -> Bool {
        (error.code == .corruption || error.code == .unsupportedFormat) && error.path != nil
    }

    /// Batch-relative byte ranges that no check covers by design: the
    /// partition leader epoch (bytes 12..<16), which Spool stores but never
    /// uses. A flip there changes no record.
    static func isUncheckedField(_ position: Int64, in log: [UInt8]) -> Bool {
        var start = 0
        while start + 12 <= log.count {
            let length = log[(start + 8)..<(start + 12)].reduce(0) { $0 << 8 | Int($1) }
            let end = start + 12 + length
            if position >= Int64(start) && position < Int64(end) {
                let relative = position - Int64(start)
                return relative >= 12 && relative < 16
            }
            start = end
        }
        return false
    }

    /// Whether `position` lies in a batch's length field (batch bytes 8..<12).
    static func isLengthField(_ position: Int64, in log: [UInt8]) -> Bool {
        var start = 0
        while start + 12 <= log.count {
            let length = log[(start + 8)..<(start + 12)].reduce(0) { $0 << 8 | Int($1) }
            if position >= Int64(start + 8) && position < Int64(start + 12) { return true }
            start += 12 + length
        }
        return false
    }

    enum Shutdown: String, CaseIterable, Sendable { case clean, unclean }

    @Test("a flipped byte is repaired or reported with file and position, never returned as data", arguments: Shutdown.allCases)
    func everySingleByteFlip(shutdown: Shutdown) async throws {
        let (clean, written) = try await Self.buildLog()
        let image = clean.snapshot()
        if shutdown == .unclean {
            // No marker and no recovery point: every segment is re-validated at open.
            try image.removeFile(Self.directory + "/" + LogFileNames.cleanShutdownMarker)
            try image.removeFile(Self.directory + "/" + LogFileNames.recoveryPointCheckpoint)
        }
        let files = try image.listDirectory(Self.partitionDirectory).filter { !$0.hasPrefix(".") }
        let sealed = LogFileNames.segmentFile(baseOffset: 0, kind: .log)
        let active = files.filter { $0.hasSuffix(".log") && $0 != sealed }
        let targets = [sealed, LogFileNames.segmentFile(baseOffset: 0, kind: .index),
                       LogFileNames.segmentFile(baseOffset: 0, kind: .timeIndex)] + active
        var tally: [String: Int] = [:]
        var flips = 0
        var hangs: [String] = []
        for name in targets {
            let path = Self.partitionDirectory + "/" + name
            let original = try image.readFile(path)
            #expect(!original.isEmpty, "\(name) is not empty")
            for position in 0..<Int64(original.count) {
                await Task.yield()  // long synchronous sweep: let other tests' background tasks run
                let damaged = image.snapshot()
                try ByteSurgery(damaged, path: path).flipByte(at: position)
                let context = "\(shutdown): \(name) byte \(position)"
                guard let (verdict, issues) = HangGuard.run(milliseconds: 5_000, { Self.judge(damaged, written, context: context) }) else {
                    Issue.record("\(context): open, read or verify did not finish (an infinite loop?)")
                    hangs.append("\(name)@\(position)")
                    continue
                }
                flips += 1
                tally["\(name.split(separator: ".").last!)/\(verdict)", default: 0] += 1
                #expect(issues.isEmpty, "\(context): \(issues)")
                if verdict == .harmless && name.hasSuffix(".log") {
                    #expect(Self.isUncheckedField(position, in: original),
                            "\(context): a flipped byte went unnoticed by open, read and verify()")
                }
            }
        }
        print("byte flips (\(shutdown)): \(flips) flips: \(tally.sorted { $0.key < $1.key }); hangs: \(hangs)")
    }
}
