// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 5: the offset and time index readers over garbage files and
// mutated valid ones: opening, `sanityCheck`, lookups and truncation either
// work or throw a typed error; nothing traps. A lookup answer always lies
// inside what the file holds.
import FileIO
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Mutation fuzzing: offset and time index readers")
struct IndexReaderFuzzTests {
    static func validOffsetIndex(_ random: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        var offset: UInt32 = 0, position: UInt32 = 0
        for _ in 0..<Int(random.next() % 20) {
            offset += 1 + UInt32(random.next() % 50)
            position += 61 + UInt32(random.next() % 4000)
            withUnsafeBytes(of: offset.bigEndian) { bytes += $0 }
            withUnsafeBytes(of: position.bigEndian) { bytes += $0 }
        }
        return bytes
    }

    static func validTimeIndex(_ random: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        var ts: Int64 = 1_700_000_000_000, offset: UInt32 = 0
        for _ in 0..<Int(random.next() % 20) {
            ts += 1 + Int64(random.next() % 1000)
            offset += UInt32(random.next() % 30)
            withUnsafeBytes(of: ts.bigEndian) { bytes += $0 }
            withUnsafeBytes(of: offset.bigEndian) { bytes += $0 }
        }
        return bytes
    }

    static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        switch random.next() % 5 {
        case 0: return random.bytes(Int(random.next() % 200))
        case 1 where !bytes.isEmpty: bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
        case 2: bytes += random.bytes(Int(random.next() % 13))
        case 3: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
        default:
            for _ in 0..<Int(random.next() % 4) where !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = [0x00, 0xFF, 0x7F, 0x80][Int(random.next() % 4)]
            }
        }
        return bytes
    }

    /// Base offsets a segment file name can carry (20 decimal digits), up to far beyond any real log.
    static func baseOffset(_ random: inout SeededRandom) -> Int64 {
        [0, 1, 1 << 31, 1 << 40, Int64(random.next() >> 24)][Int(random.next() % 5)]
    }

    @Test("garbage and mutated offset indexes: typed errors or answers inside the file")
    func offsetIndexes() throws {
        var random = SeededRandom(seed: 0x1D0)
        let fs = InMemoryFileSystem()
        var refused = 0
        for i in 0..<ReliabilityKnobs.fuzzIterations {
            let bytes = Self.mutate(Self.validOffsetIndex(&random), &random)
            let path = "/i\(i % 8).index"
            try fs.writeFile(path, bytes)
            let base = Self.baseOffset(&random)
            let handle = try fs.open(path, mode: .readWrite)
            defer { try? handle.close() }
            do {
                let index = try OffsetIndex(handle: handle, baseOffset: base)
                #expect(index.entryCount == bytes.count / 8)
                _ = try index.sanityCheck(logSize: Int64(random.next() % 100_000), full: random.chance(0.5))
                let target = base + Int64(random.next() % 2_000)
                let hit = try index.lookup(target, entryCount: index.entryCount)
                #expect(hit.offset <= max(target, base), "iteration \(i): lookup(\(target)) answered \(hit)")
                #expect(hit.position >= 0 && hit.position <= Int64(UInt32.max))
                if random.chance(0.3) { try index.truncate(toEntriesBelow: target) }
            } catch {
                refused += 1
                #expect(error.code == .corruption || error.code == .io, "iteration \(i): \(error)")
            }
        }
        _ = refused
    }

    @Test("garbage and mutated time indexes: typed errors or answers inside the file")
    func timeIndexes() throws {
        var random = SeededRandom(seed: 0x71E)
        let fs = InMemoryFileSystem()
        for i in 0..<ReliabilityKnobs.fuzzIterations {
            let bytes = Self.mutate(Self.validTimeIndex(&random), &random)
            let path = "/t\(i % 8).timeindex"
            try fs.writeFile(path, bytes)
            let base = Self.baseOffset(&random)
            let handle = try fs.open(path, mode: .readWrite)
            defer { try? handle.close() }
            do {
                let index = try TimeIndex(handle: handle, baseOffset: base)
                _ = try index.sanityCheck(nextOffset: base + Int64(random.next() % 1_000), full: random.chance(0.5))
                let target = Int64(bitPattern: random.next() >> UInt64(random.next() % 64))
                let hit = try index.lookup(target, entryCount: index.entryCount)
                #expect(hit.timestamp <= target || hit.timestamp == -1, "iteration \(i): lookup(\(target)) answered \(hit)")
                if random.chance(0.3) { try index.truncate(toEntriesBelow: base + Int64(random.next() % 500)) }
            } catch {
                #expect(error.code == .corruption || error.code == .io, "iteration \(i): \(error)")
            }
        }
    }

    @Test("a segment named with a base offset near Int64.max is refused, not trapped on")
    func baseOffsetNearInt64Max() async {
        await #expect(processExitsWith: .success) {
            let fs = InMemoryFileSystem()
            let dir = "/data/t-0"
            try fs.createDirectory(dir)
            let base = Int64.max - 3
            try fs.writeFile(dir + "/" + LogFileNames.segmentFile(baseOffset: base, kind: .log), [])
            // One index entry with relative offset 100: base + 100 does not fit in an Int64.
            try fs.writeFile(dir + "/" + LogFileNames.segmentFile(baseOffset: base, kind: .index), [0, 0, 0, 100, 0, 0, 0, 0])
            try fs.writeFile(dir + "/" + LogFileNames.segmentFile(baseOffset: base, kind: .timeIndex), [])
            var c = PartitionConfig()
            c.segmentBytes = 1 << 20
            do {
                let (manager, _) = try LogManager.open(directory: "/data", fs: fs, logger: .init(label: "x"), configFor: { _ in c })
                try manager.close()
            } catch {
                // A typed refusal is fine; only a trap fails this test.
            }
        }
    }
}
