// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 5: mutation fuzzing of the checkpoint parser with a fixed seed
// and budget (`SPOOL_FUZZ_ITERATIONS`). Every input either parses into
// entries that render back to an equivalent file, or throws a typed
// `.corruption` naming the file; nothing traps.
@testable import LogStorage
import SpoolTestSupport
import Testing

@Suite("Mutation fuzzing: checkpoint parser")
struct CheckpointParserFuzzTests {
    static let interesting: [[UInt8]] = [
        Array("99999999999999999999".utf8), Array("9223372036854775807".utf8), Array("9223372036854775808".utf8),
        Array("-1".utf8), Array("2147483648".utf8), Array("-0".utf8), Array("+5".utf8), [0], [0xFF, 0xFE],
        Array(" ".utf8), Array("\n".utf8), Array("\r\n".utf8), Array("0x10".utf8), Array("١٢".utf8),
    ]

    static func valid(_ random: inout SeededRandom) -> [UInt8] {
        var entries: [TopicPartition: Int64] = [:]
        for _ in 0..<Int(random.next() % 6) {
            let topic = ["orders", "a.b-c_d", "x", String(repeating: "t", count: 249)][Int(random.next() % 4)]
            entries[TopicPartition(topic, Int32(random.next() % 10_000))] = Int64(random.next() >> 2)
        }
        return OffsetCheckpointFile.render(entries)
    }

    static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 7 {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
            case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
            case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 3: bytes.insert(contentsOf: interesting[Int(random.next() % UInt64(interesting.count))], at: at)
            case 4: bytes = Array(bytes.prefix(at))
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int(random.next() % 16))
                bytes.insert(contentsOf: bytes[min(at, end)..<end], at: at)
            default: bytes = random.bytes(Int(random.next() % 64))
            }
        }
        return bytes
    }

    @Test("mutated checkpoint files parse consistently or throw a typed error")
    func mutatedCheckpoints() {
        var random = SeededRandom(seed: 0xC4EC)
        var parsed = 0, refused = 0
        for i in 0..<ReliabilityKnobs.fuzzIterations {
            let input = Self.mutate(Self.valid(&random), &random)
            do {
                let entries = try OffsetCheckpointFile.parse(input, path: "/fuzz")
                parsed += 1
                // Topic bytes are decoded with UTF-8 repair (observation in docs/reliability.md), so only
                // entries with well-formed names must survive render → parse unchanged.
                let wellFormed = entries.filter { !$0.key.topic.unicodeScalars.contains("\u{FFFD}") }
                let again = try OffsetCheckpointFile.parse(OffsetCheckpointFile.render(wellFormed), path: "/fuzz")
                #expect(again == wellFormed, "iteration \(i): a parsed file does not survive render → parse: \(input)")
                #expect(entries.values.allSatisfy { $0 >= 0 }, "iteration \(i): a negative offset was accepted: \(entries)")
            } catch {
                refused += 1
                #expect(error.code == .corruption && error.path == "/fuzz", "iteration \(i): \(error)")
            }
        }
        #expect(parsed > 0 && refused > 0, "the fuzzer reaches both outcomes (\(parsed) parsed, \(refused) refused)")
    }
}
