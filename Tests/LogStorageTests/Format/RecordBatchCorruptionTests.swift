// SPDX-License-Identifier: Apache-2.0
// Byte surgery on a valid batch (vector 2): every kind of damage must throw
// the right StorageError code at the right position, never trap.
//
// Vector 2 records region (batch offsets):
//   61 len 14 | 62 attr | 63 tsΔ | 64 offΔ 0 | 65 keyLen 2 | 66 "k1" | 68 valLen 2 | 69 "v1"
//   71 hdrCount 1 | 72 hKeyLen 1 | 73 "h" | 74 hValLen 1 | 75 "x"
//   76 len 8 | 77 attr | 78 tsΔ 5 | 79 offΔ 1 | 80 keyLen 2 | 81 "k2" | 83 valLen -1 | 84 hdrCount 0
import LogStorage
import Testing

@Suite("RecordBatch corruption")
struct RecordBatchCorruptionTests {
    static let valid = FormatFixtures.bytes(hex: FormatFixtures.vector2Hex)

    /// A copy of vector 2 after `surgery`, with the CRC recomputed when `restamp`.
    static func damaged(restamp: Bool = false, _ surgery: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = valid
        surgery(&bytes)
        if restamp { FormatFixtures.restampCRC(&bytes) }
        return bytes
    }

    static func setInt32(_ bytes: inout [UInt8], at offset: Int, _ value: Int32) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self) }
    }

    /// The error of view creation + validate(), or nil when the batch is accepted.
    static func validationError(_ bytes: [UInt8]) -> StorageError? {
        bytes.withUnsafeBytes { raw in
            FormatFixtures.storageError { () throws(StorageError) in
                let view = try RecordBatchView(raw)
                try view.validate()
            }
        }
    }

    /// The error of iterating without validate() first (must match the walker's verdict).
    static func iterationError(_ bytes: [UInt8]) -> StorageError? {
        bytes.withUnsafeBytes { raw in
            FormatFixtures.storageError { () throws(StorageError) in
                var it = try RecordBatchView(raw).makeRecordIterator()
                while let record = try it.next() {
                    var headers = record.makeHeaderIterator()
                    while try headers.next() != nil {}
                }
            }
        }
    }

    @Test("the untouched vector validates")
    func untouched() {
        #expect(Self.validationError(Self.valid) == nil)
    }

    @Test("a flipped byte in the stored CRC is a corruption at byte 17", arguments: 17..<21)
    func flippedCRC(byte: Int) throws {
        let error = try #require(Self.validationError(Self.damaged { $0[byte] ^= 0x01 }))
        #expect(error.code == .corruption)
        #expect(error.position == 17)
        #expect(error.message.contains("CRC mismatch"))
    }

    @Test("a flipped byte anywhere in the CRC-covered range is a CRC mismatch, and verifyCRC() says false",
          arguments: [21, 26, 30, 57, 61, 66, 69, 75, 84])
    func flippedPayload(byte: Int) throws {
        let bytes = Self.damaged { $0[byte] ^= 0x40 }
        let error = try #require(Self.validationError(bytes))
        #expect(error.code == .corruption || error.code == .unsupportedFormat)
        if error.position == 17 { #expect(error.message.contains("CRC mismatch")) }
        let verified = bytes.withUnsafeBytes { raw in (try? RecordBatchView(raw))?.verifyCRC() }
        #expect(verified != true)
    }

    @Test("bytes outside the CRC (low base offset byte, partition leader epoch) change without failing validation",
          arguments: [7, 12, 13, 14, 15])
    func outsideCRC(byte: Int) {
        #expect(Self.validationError(Self.damaged { $0[byte] ^= 0x01 }) == nil)
    }

    @Test("an inflated batch length says the batch is truncated, at byte 8")
    func inflatedLength() throws {
        let error = try #require(Self.validationError(Self.damaged { Self.setInt32(&$0, at: 8, 74) }))
        #expect(error.code == .corruption)
        #expect(error.position == 8)
        #expect(error.message.contains("truncated"))
    }

    @Test("a deflated batch length leaves bytes beyond the batch, at byte 8")
    func deflatedLength() throws {
        let error = try #require(Self.validationError(Self.damaged { Self.setInt32(&$0, at: 8, 72) }))
        #expect(error.code == .corruption)
        #expect(error.position == 8)
        #expect(error.message.contains("beyond"))
    }

    @Test("a batch length below 49 is rejected by header parsing, naming both numbers")
    func tinyLength() throws {
        let error = try #require(Self.validationError(Self.damaged { Self.setInt32(&$0, at: 8, 12) }))
        #expect(error.code == .corruption)
        #expect(error.position == 8)
        #expect(error.message == "batch length 12 is below the minimum 49")
    }

    @Test("a magic byte other than 2 is a corruption at byte 16", arguments: [Int8(0), 1, 3, -1])
    func badMagic(magic: Int8) throws {
        let error = try #require(Self.validationError(Self.damaged { $0[16] = UInt8(bitPattern: magic) }))
        #expect(error.code == .corruption)
        #expect(error.position == 16)
    }

    @Test("compression bits set make the batch unsupported, even with a valid CRC", arguments: [UInt8(1), 2, 3, 4, 7])
    func compressed(codec: UInt8) throws {
        let bytes = Self.damaged(restamp: true) { $0[22] |= codec }
        let error = try #require(Self.validationError(bytes))
        #expect(error.code == .unsupportedFormat)
        #expect(error.position == 21)
        let parseError = bytes.withUnsafeBytes { raw in
            FormatFixtures.storageError { () throws(StorageError) in _ = try RecordBatchHeader.parse(raw) }
        }
        #expect(parseError?.code == .unsupportedFormat)
    }

    @Test("a batch cut short anywhere is a corruption", arguments: [0, 1, 12, 60, 61, 62, 76, 84])
    func truncated(length: Int) throws {
        let error = try #require(Self.validationError(Array(Self.valid[..<length])))
        #expect(error.code == .corruption)
    }

    @Test("negative base offset, negative last offset delta and negative or impossible records counts are rejected")
    func headerRanges() throws {
        let cases: [(Int, Int32, Int64)] = [
            (0, -1, 0),  // baseOffset high word -1
            (23, -1, 23), // lastOffsetDelta
            (57, -1, 57), // recordsCount
            (57, 3, 57),  // more records than the 2 offsets the batch spans
        ]
        for (offset, value, position) in cases {
            let error = try #require(Self.validationError(Self.damaged(restamp: true) { Self.setInt32(&$0, at: offset, value) }))
            #expect(error.code == .corruption)
            #expect(error.position == position, "\(error)")
        }
    }

    /// Surgery inside the records region with a recomputed CRC, so the walker must catch it.
    static let walkerCases: [(name: String, surgery: @Sendable (inout [UInt8]) -> Void, position: Int64, says: String)] = [
        ("count 3, delta 2: batch ends early", { setInt32(&$0, at: 57, 3); setInt32(&$0, at: 23, 2) }, 85, "ends after 2 of 3"),
        ("count 1, delta 0: trailing record", { setInt32(&$0, at: 57, 1); setInt32(&$0, at: 23, 0) }, 76, "trailing bytes"),
        ("count 1, delta 1: last delta mismatch", { setInt32(&$0, at: 57, 1) }, 64, "last record has offset delta 0"),
        ("header last delta 5", { setInt32(&$0, at: 23, 5) }, 79, "last record has offset delta 1"),
        ("second offset delta repeats", { $0[79] = 0x00 }, 79, "not above"),
        ("first offset delta above last", { $0[64] = 0x04 }, 64, "exceeds the header's last offset delta"),
        ("key longer than its record", { $0[65] = 0x7E }, 65, "key length 63 exceeds"),
        ("key length -2", { $0[65] = 0x03 }, 65, "key length -2 is invalid"),
        ("record length one too long", { $0[61] = 0x1E }, 61, "unused bytes"),
        ("record length past the batch", { $0[61] = 0x7E }, 61, "does not fit"),
        ("negative record length", { $0[61] = 0x01 }, 61, "does not fit"),
        ("negative headers count", { $0[71] = 0x01 }, 71, "headers count -1 is negative"),
        ("null header key", { $0[72] = 0x01 }, 72, "header key length -1 is invalid"),
        ("header value past its record", { $0[74] = 0x06 }, 74, "header value length 3 exceeds"),
        ("unterminated varint at the end", { $0[84] = 0x80 }, 84, "runs past the end"),
        ("overlong timestamp varlong", { for i in 63...73 { $0[i] = 0xFF } }, 63, "timestamp delta varint is longer than 10"),
    ]

    @Test("damage inside the records (CRC recomputed) is found by the walker at the right position",
          arguments: 0..<walkerCases.count)
    func walker(index: Int) throws {
        let c = Self.walkerCases[index]
        let bytes = Self.damaged(restamp: true, c.surgery)
        let error = try #require(Self.validationError(bytes), "\(c.name)")
        #expect(error.code == .corruption, "\(c.name)")
        #expect(error.position == c.position, "\(c.name): \(error)")
        #expect(error.message.contains(c.says), "\(c.name): \(error)")
        // Iterating without validate() reaches the same verdict.
        #expect(Self.iterationError(bytes) == error, "\(c.name)")
    }
}
