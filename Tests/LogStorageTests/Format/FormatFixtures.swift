// SPDX-License-Identifier: Apache-2.0
// Shared fixtures of the format tests: the kafka-format.md §4 vectors, hex
// conversion, a decode-everything-to-values helper and a seeded RNG.
import LogStorage

enum FormatFixtures {
    /// 2023-11-14T22:13:20Z in ms, the timestamp of both vectors.
    static let ts: Int64 = 1_700_000_000_000

    /// kafka-format.md §4 vector 1: one record, null key, value "hello".
    static let vector1Hex =
        "00000000000000000000003dffffffff02e641a44b0000000000000000018bcfe568000000018bcfe56800ffffffff"
        + "ffffffffffffffffffff0000000116000000010a68656c6c6f00"

    /// kafka-format.md §4 vector 2: ("k1","v1", header h="x") and ("k2", null) at ts+5.
    static let vector2Hex =
        "000000000000000000000049ffffffff02f1759baf0000000000010000018bcfe568000000018bcfe56805ffffffff"
        + "ffffffffffffffffffff000000021c000000046b31047631020268027810000a02046b320100"

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            default: continue
            }
            if let h = high { out.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return out
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s: [UInt8] = []
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    /// A finished batch copied out of a builder.
    static func encode(_ build: (RecordBatchBuilder) -> Void, builder: RecordBatchBuilder = RecordBatchBuilder()) -> [UInt8] {
        builder.reset()
        build(builder)
        return Array(UnsafeRawBufferPointer(builder.finish()))
    }

    /// Recomputes and stores the CRC after byte surgery, so the record walker
    /// (not the checksum) is what a test exercises.
    static func restampCRC(_ bytes: inout [UInt8]) {
        guard bytes.count >= RecordBatchFormat.headerSize else { return }
        let crc = bytes.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchFormat.crcCoverageStart...]))
        }
        bytes.withUnsafeMutableBytes {
            $0.storeBytes(of: crc.bigEndian, toByteOffset: RecordBatchFormat.crcOffset, as: UInt32.self)
        }
    }

    /// Runs `body` and returns the StorageError it threw, or nil.
    static func storageError(_ body: () throws(StorageError) -> Void) -> StorageError? {
        do throws(StorageError) {
            try body()
            return nil
        } catch {
            return error
        }
    }
}

/// A record decoded into owned values, for comparisons.
struct DecodedRecord: Equatable, CustomStringConvertible {
    var offset: Int64
    var timestamp: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [RecordHeaderInput]

    var description: String {
        "(\(offset) @\(timestamp) key \(key.map { "\($0.count)B" } ?? "null") value \(value.map { "\($0.count)B" } ?? "null") \(headers.count) headers)"
    }
}

/// A whole batch decoded into owned values.
struct DecodedBatch: Equatable {
    var header: RecordBatchHeader
    var records: [DecodedRecord]

    /// Validates (CRC + walk) and decodes every record and header of `bytes`.
    static func decode(_ bytes: [UInt8]) throws(StorageError) -> DecodedBatch {
        let result: Result<DecodedBatch, StorageError> = bytes.withUnsafeBytes { raw in
            do throws(StorageError) {
                let view = try RecordBatchView(raw)
                try view.validate()
                var records: [DecodedRecord] = []
                var it = view.makeRecordIterator()
                while let r = try it.next() {
                    var headers: [RecordHeaderInput] = []
                    var hit = r.makeHeaderIterator()
                    while let h = try hit.next() {
                        headers.append(RecordHeaderInput(key: Array(h.key), value: h.value.map { Array($0) }))
                    }
                    records.append(DecodedRecord(
                        offset: r.offset, timestamp: r.timestamp,
                        key: r.key.map { Array($0) }, value: r.value.map { Array($0) }, headers: headers))
                }
                return .success(DecodedBatch(header: view.header, records: records))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// SplitMix64: a fixed-seed generator so every run mutates the same bytes.
struct FormatFuzzRNG: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
