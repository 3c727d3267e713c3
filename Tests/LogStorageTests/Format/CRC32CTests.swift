// SPDX-License-Identifier: Apache-2.0
// CRC-32C: the standard check value, hardware == portable on random lengths
// and misaligned starts, and chunked == one-shot.
import CSpoolShims
import LogStorage
import Testing

@Suite("CRC-32C")
struct CRC32CTests {
    static let check = Array("123456789".utf8)

    @Test("the check value of \"123456789\" is 0xE3069283 for the dispatcher, hardware and portable paths")
    func checkValue() {
        Self.check.withUnsafeBytes { raw in
            #expect(CRC32C.checksum(raw) == 0xE306_9283)
            #expect(spool_crc32c(0, raw.baseAddress, raw.count) == 0xE306_9283)
            #expect(spool_crc32c_sw(0, raw.baseAddress, raw.count) == 0xE306_9283)
            if spool_crc32c_has_hw() != 0 {
                #expect(spool_crc32c_hw(0, raw.baseAddress, raw.count) == 0xE306_9283)
            }
        }
    }

    @Test("known vectors: empty input is 0, 32 zero bytes give 0x8A9136AA, 32 0xFF bytes give 0x62A8AB43")
    func knownVectors() {
        // RFC 3720 (iSCSI) B.4 test patterns.
        #expect(CRC32C.checksum(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        [UInt8](repeating: 0, count: 32).withUnsafeBytes { #expect(CRC32C.checksum($0) == 0x8A91_36AA) }
        [UInt8](repeating: 0xFF, count: 32).withUnsafeBytes { #expect(CRC32C.checksum($0) == 0x62A8_AB43) }
        (0..<32).map { UInt8($0) }.withUnsafeBytes { #expect(CRC32C.checksum($0) == 0x46DD_794E) }
    }

    @Test("the dispatched (hardware when available) CRC equals slicing-by-8 on random lengths 0..70k and misaligned starts")
    func hardwareMatchesPortable() {
        var rng = FormatFuzzRNG(seed: 0xC0FFEE)
        let pool = (0..<(72 * 1024)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Boundaries of the 3-way kernel (256 B and 8 KiB blocks, times 3) plus random lengths.
        var cases: [(start: Int, length: Int)] = []
        for edge in [0, 1, 7, 8, 9, 767, 768, 769, 1536, 24575, 24576, 24577, 49152, 70_000] {
            for start in 0..<9 { cases.append((start, edge)) }
        }
        for _ in 0..<400 {
            cases.append((Int.random(in: 0..<64, using: &rng), Int.random(in: 0...70_000, using: &rng)))
        }
        pool.withUnsafeBytes { raw in
            for (start, length) in cases {
                let p = raw.baseAddress! + start
                let seed = UInt32.random(in: 0...UInt32.max, using: &rng)
                let sw = spool_crc32c_sw(seed, p, length)
                #expect(spool_crc32c(seed, p, length) == sw, "start \(start) length \(length)")
                if spool_crc32c_has_hw() != 0 {
                    #expect(spool_crc32c_hw(seed, p, length) == sw, "start \(start) length \(length)")
                }
            }
        }
    }

    @Test("feeding a buffer in random chunks, seeding each with the previous result, equals one call")
    func incrementalEqualsOneShot() {
        var rng = FormatFuzzRNG(seed: 42)
        let data = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        data.withUnsafeBytes { raw in
            let whole = CRC32C.checksum(raw)
            #expect(whole == spool_crc32c_sw(0, raw.baseAddress, raw.count))
            for _ in 0..<50 {
                var crc: UInt32 = 0
                var swCRC: UInt32 = 0
                var at = 0
                while at < raw.count {
                    let n = min(raw.count - at, Int.random(in: 0...9000, using: &rng))
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)])
                    crc = CRC32C.checksum(chunk, seed: crc)
                    swCRC = spool_crc32c_sw(swCRC, chunk.baseAddress, chunk.count)
                    at += n
                }
                #expect(crc == whole)
                #expect(swCRC == whole)
            }
        }
    }
}
