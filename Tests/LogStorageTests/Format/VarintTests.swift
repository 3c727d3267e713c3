// SPDX-License-Identifier: Apache-2.0
// Zigzag varints: the kafka-format.md §3 examples, round trips, sizes, and
// rejection of truncated and overlong encodings.
import LogStorage
import Testing

@Suite("Varint")
struct VarintTests {
    static func encode(varint v: Int32) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Varint.maxVarintBytes)
        let n = out.withUnsafeMutableBytes { Varint.write(varint: v, to: $0.baseAddress!) }
        return Array(out[..<n])
    }

    static func encode(varlong v: Int64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Varint.maxVarlongBytes)
        let n = out.withUnsafeMutableBytes { Varint.write(varlong: v, to: $0.baseAddress!) }
        return Array(out[..<n])
    }

    /// Reads from the first `limit` bytes of `bytes` (default all).
    static func decodeVarint(_ bytes: [UInt8], limit: Int? = nil) -> Result<(Int32, Int), VarintError> {
        bytes.withUnsafeBytes { raw in
            let start = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!
            do throws(VarintError) {
                let (v, n) = try Varint.readVarint(start, end: start + (limit ?? raw.count))
                return .success((v, n))
            } catch {
                return .failure(error)
            }
        }
    }

    static func decodeVarlong(_ bytes: [UInt8], limit: Int? = nil) -> Result<(Int64, Int), VarintError> {
        bytes.withUnsafeBytes { raw in
            let start = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!
            do throws(VarintError) {
                let (v, n) = try Varint.readVarlong(start, end: start + (limit ?? raw.count))
                return .success((v, n))
            } catch {
                return .failure(error)
            }
        }
    }

    static let varintCases: [(Int32, String)] = [
        (0, "00"), (-1, "01"), (1, "02"), (63, "7e"), (-64, "7f"), (64, "8001"),
        (300, "d804"), (-300, "d704"), (Int32.max, "feffffff0f"), (Int32.min, "ffffffff0f"),
    ]

    @Test("varint examples of kafka-format.md §3 encode to the listed bytes and decode back", arguments: varintCases)
    func varintExamples(value: Int32, hex: String) throws {
        let bytes = Self.encode(varint: value)
        #expect(FormatFixtures.hex(bytes) == hex)
        #expect(Varint.size(ofVarint: value) == bytes.count)
        let (decoded, length) = try Self.decodeVarint(bytes).get()
        #expect(decoded == value)
        #expect(length == bytes.count)
    }

    static let varlongCases: [(Int64, String)] = [
        (0, "00"), (-1, "01"), (1_700_000_000_000, "80a0abfef962"),
        (Int64.max, "feffffffffffffffff01"), (Int64.min, "ffffffffffffffffff01"),
        (Int64(Int32.max) + 1, "8080808010"),
    ]

    @Test("varlong examples (incl. 1700000000000, Int64.min/max) encode to the listed bytes and decode back",
          arguments: varlongCases)
    func varlongExamples(value: Int64, hex: String) throws {
        let bytes = Self.encode(varlong: value)
        #expect(FormatFixtures.hex(bytes) == hex)
        #expect(Varint.size(ofVarlong: value) == bytes.count)
        let (decoded, length) = try Self.decodeVarlong(bytes).get()
        #expect(decoded == value)
        #expect(length == bytes.count)
    }

    @Test("every byte-length boundary round-trips and the size function agrees with the writer")
    func boundaries() throws {
        var values: [Int64] = [Int64.min, Int64.max]
        for shift in stride(from: 0, to: 63, by: 1) {
            let v = Int64(1) << shift
            values += [v - 1, v, v + 1, -v, -v - 1, -v + 1]
        }
        var rng = FormatFuzzRNG(seed: 7)
        for _ in 0..<2000 { values.append(Int64(bitPattern: rng.next()) >> Int64.random(in: 0...63, using: &rng)) }
        for v in values {
            let long = Self.encode(varlong: v)
            #expect(long.count == Varint.size(ofVarlong: v))
            #expect(try Self.decodeVarlong(long).get().0 == v)
            if let v32 = Int32(exactly: v) {
                let short = Self.encode(varint: v32)
                #expect(short == long, "varint and varlong share the encoding for \(v)")
                #expect(short.count == Varint.size(ofVarint: v32))
                #expect(try Self.decodeVarint(short).get().0 == v32)
            }
        }
    }

    @Test("a varint cut off before its last byte throws truncated, and the reader never reads at the end bound")
    func truncated() {
        for value in [Int32(64), 300, Int32.max, Int32.min] {
            let bytes = Self.encode(varint: value)
            for cut in 0..<bytes.count {
                // The bytes past `cut` are present in memory, so reading them would decode successfully.
                #expect(throws: VarintError.truncated) { try Self.decodeVarint(bytes, limit: cut).get() }
            }
        }
        let long = Self.encode(varlong: 1_700_000_000_000)
        for cut in 0..<long.count {
            #expect(throws: VarintError.truncated) { try Self.decodeVarlong(long, limit: cut).get() }
        }
    }

    @Test("more than 5 (varint) or 10 (varlong) bytes, or bits beyond 32/64, throw overflow")
    func overflow() {
        #expect(throws: VarintError.overflow) { try Self.decodeVarint([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).get() }
        #expect(throws: VarintError.overflow) { try Self.decodeVarint([0xFF, 0xFF, 0xFF, 0xFF, 0x10]).get() }
        #expect(throws: VarintError.overflow) {
            try Self.decodeVarlong([UInt8](repeating: 0x80, count: 10) + [0x00]).get()
        }
        #expect(throws: VarintError.overflow) {
            try Self.decodeVarlong([UInt8](repeating: 0xFF, count: 9) + [0x02]).get()
        }
    }

    @Test("non-minimal encodings are accepted, as Kafka accepts them")
    func nonMinimal() throws {
        #expect(try Self.decodeVarint([0x80, 0x00]).get() == (0, 2))
        #expect(try Self.decodeVarint([0x82, 0x80, 0x00]).get() == (1, 3))
    }
}
