// SPDX-License-Identifier: Apache-2.0
// Pinning tests for the two bugs the byte-flip sweep found in trusted
// (cleanly shut down) segments; see docs/reliability.md, "Bugs found".
// Bug 1 was an infinite loop: HangGuard turns a relapse into a failure.
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Damaged trusted segments (bugs found by the byte-flip sweep)")
struct DamagedSegmentBugTests {
    static var sealedLog: String { ByteFlipTests.partitionDirectory + "/" + LogFileNames.segmentFile(baseOffset: 0, kind: .log) }

    @Test("a batch length that claims more than the segment holds is reported by read, not looped on")
    func inflatedLengthInTrustedSegment() async throws {
        let (clean, written) = try await ByteFlipTests.buildLog()
        let original = try clean.readFile(Self.sealedLog)
        // Byte 9 is the second byte of the first batch's length: +8 MiB.
        try ByteSurgery(clean, path: Self.sealedLog).flipByte(at: 9)
        #expect(ByteFlipTests.isLengthField(9, in: original))
        let result = HangGuard.run(milliseconds: 5_000) { () -> String in
            do {
                let (manager, _) = try LogManager.open(directory: ByteFlipTests.directory, fs: clean, logger: ByteFlipTests.logger,
                                                       configFor: { _ in ByteFlipTests.config })
                defer { try? manager.close() }
                guard let p = manager.partition(ByteFlipTests.tp) else { return "no partition" }
                _ = try p.read(from: 0, maxBytes: 512, into: ReadBuffer(capacity: 4096))
                return "read returned data"
            } catch {
                guard let e = error as? StorageError else { return "\(error)" }
                return e.code == .corruption && e.path != nil && e.position != nil ? "reported" : "\(e)"
            }
        }
        #expect(result == "reported", "read of a batch with an inflated length: \(result ?? "did not return (infinite loop)")")
        _ = written
    }

    @Test("a time lookup through a damaged .index or .timeindex never skips records")
    func timeLookupThroughDamagedIndex() async throws {
        let (clean, written) = try await ByteFlipTests.buildLog()
        var wrong: [String] = []
        for kind in [SegmentFileKind.index, .timeIndex] {
            let path = ByteFlipTests.partitionDirectory + "/" + LogFileNames.segmentFile(baseOffset: 0, kind: kind)
            let size = try clean.readFile(path).count
            for position in 0..<Int64(size) {
                await Task.yield()  // long synchronous sweep: let other tests' background tasks run
                let damaged = clean.snapshot()
                try ByteSurgery(damaged, path: path).flipByte(at: position)
                let (manager, _) = try LogManager.open(directory: ByteFlipTests.directory, fs: damaged, logger: ByteFlipTests.logger,
                                                       configFor: { _ in ByteFlipTests.config })
                defer { try? manager.close() }
                let p = try #require(manager.partition(ByteFlipTests.tp))
                for w in written where w.offset < p.logEndOffset {
                    // Either the right answer or a typed damage report; never a later offset.
                    if let found = try? p.offset(forTimestamp: w.timestamp), found != w.offset {
                        wrong.append("\(kind) byte \(position): \(w.timestamp) → \(found), written at \(w.offset)")
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong answers, first: \(wrong.prefix(5))")
    }
}
