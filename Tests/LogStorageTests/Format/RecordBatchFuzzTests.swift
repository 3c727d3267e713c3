// SPDX-License-Identifier: Apache-2.0
// Seeded mutation fuzzing: ~20k damaged variants of valid batches go through
// header parsing, validate() and iteration. Any trap fails the whole test
// process; the assertions check that acceptance is consistent.
import LogStorage
import Testing

@Suite("RecordBatch mutation fuzz")
struct RecordBatchFuzzTests {
    enum Outcome { case rejected, accepted }

    /// Parses, validates and (independently) iterates `bytes`; returns whether validate() accepted it.
    static func exercise(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { raw in
            _ = FormatFixtures.storageError { () throws(StorageError) in _ = try RecordBatchHeader.parse(raw) }
            var view: RecordBatchView
            do throws(StorageError) { view = try RecordBatchView(raw) } catch { return .rejected }
            _ = view.verifyCRC()
            // Iterate first, without validating, the way a careless reader would.
            var iterated = 0
            let iterationError = FormatFixtures.storageError { () throws(StorageError) in
                var it = view.makeRecordIterator()
                while let record = try it.next() {
                    iterated += 1
                    var headers = record.makeHeaderIterator()
                    var seen = 0
                    while try headers.next() != nil { seen += 1 }
                    #expect(seen == record.headerCount)
                }
            }
            let validateError = FormatFixtures.storageError { () throws(StorageError) in try view.validate() }
            guard validateError == nil else { return .rejected }
            #expect(iterationError == nil)
            #expect(iterated == Int(view.header.recordsCount))
            return .accepted
        }
    }

    @Test("20,000 seeded mutations never trap, and an accepted batch always iterates exactly recordsCount records")
    func mutations() {
        var rng = FormatFuzzRNG(seed: 0x5EED_F00D)
        let builder = RecordBatchBuilder(initialCapacity: 256)
        let bases = (0..<24).map { _ in
            RecordBatchRoundTripTests.encode(
                RecordBatchRoundTripTests.randomRecords(count: Int.random(in: 1...8, using: &rng), using: &rng,
                                                        ts: FormatFixtures.ts),
                builder: builder)
        }
        var accepted = 0
        var rejected = 0
        for i in 0..<20_000 {
            var bytes = bases[i % bases.count]
            let restamp: Bool
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: // flip 1-4 random bytes anywhere
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
                restamp = Bool.random(using: &rng)
            case 1: // truncate
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
                restamp = Bool.random(using: &rng)
            case 2: // extend, keeping or fixing the batch length
                bytes += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if Bool.random(using: &rng) { Self.setInt32(&bytes, at: 8, Int32(bytes.count - 12)) }
                restamp = Bool.random(using: &rng)
            case 3: // random lengths and counts in the header
                let field = [8, 23, 57].randomElement(using: &rng)!
                let value: Int32 = Bool.random(using: &rng)
                    ? Int32.random(in: Int32.min...Int32.max, using: &rng)
                    : Int32.random(in: -2...Int32(bytes.count), using: &rng)
                Self.setInt32(&bytes, at: field, value)
                restamp = true
            case 4: // random bytes inside the records, CRC fixed so the walker must judge
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 61..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                restamp = true
            default: // splice: drop or duplicate a slice of the records region, length fixed
                let a = Int.random(in: 61..<bytes.count, using: &rng)
                let b = Int.random(in: a...bytes.count, using: &rng)
                if Bool.random(using: &rng) {
                    bytes.removeSubrange(a..<b)
                } else {
                    bytes.insert(contentsOf: bytes[a..<b], at: b)
                }
                if bytes.count >= 12 { Self.setInt32(&bytes, at: 8, Int32(bytes.count - 12)) }
                restamp = true
            }
            if restamp { FormatFixtures.restampCRC(&bytes) }
            switch Self.exercise(bytes) {
            case .accepted: accepted += 1
            case .rejected: rejected += 1
            }
        }
        // Both verdicts occur, so the loop exercised the walker and not only the CRC check.
        #expect(accepted > 100)
        #expect(rejected > 10_000)
    }

    static func setInt32(_ bytes: inout [UInt8], at offset: Int, _ value: Int32) {
        guard bytes.count >= offset + 4 else { return }
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self) }
    }

    @Test("arbitrary random byte strings of every length up to 200 are rejected or accepted without trapping")
    func randomGarbage() {
        var rng = FormatFuzzRNG(seed: 1)
        for length in 0...200 {
            for _ in 0..<10 {
                var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if length >= 61 {
                    bytes[16] = 2 // magic, so parsing gets further
                    bytes[21] = 0; bytes[22] &= 0xF8 // uncompressed
                    Self.setInt32(&bytes, at: 8, Int32(length - 12))
                    bytes.replaceSubrange(0..<8, with: [UInt8](repeating: 0, count: 8))
                    FormatFixtures.restampCRC(&bytes)
                }
                _ = Self.exercise(bytes)
            }
        }
    }
}
