// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 5: the built `spool` executable run with random command lines
// (a seeded mix of real subcommands, options, edge-case values and random
// bytes) against a real data directory. Every run must end with exit status
// 0, 1 or 2 within its time limit, never with a signal (a trap).
import FileIO
import Spool
import SpoolTestSupport
import Testing

@Suite("Mutation fuzzing: CLI argument parsing")
struct CLIArgumentFuzzTests {
    static let spool = ChildProcess.builtExecutable("spool")

    static func vocabulary(data: String) -> [[UInt8]] {
        let words = [
            "topics", "create", "list", "describe", "delete", "add-partitions", "groups", "reset-offsets", "produce",
            "consume", "verify", "dump-segment", "dump-index", "help", "--help", "-h", "--version", "--json",
            "--data", data, "--data=" + data, "--partitions", "--retention-ms", "--retention-bytes", "--segment-bytes",
            "--key", "--partition", "--key-separator", "--print-offsets", "--group", "--from-beginning", "--offset",
            "--max-messages", "--timeout-ms", "--topic", "--to-earliest", "--to-latest", "--to-offset", "orders", "g",
            data + "/orders-0/00000000000000000000.log", data + "/orders-0/00000000000000000000.index",
            data + "/orders-0/00000000000000000000.timeindex", "/dev/null", "/", "/proc/self/mem", "..", ".", "a/b",
            "0", "1", "-1", "3", "100", "10000", "10001", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "99999999999999999999", "2147483648", "1e3", "0x10", "", " ", "=", "-", "--",
            "--=", "-x", "ordérs", "оrders", String(repeating: "t", count: 249), String(repeating: "t", count: 250),
            String(repeating: "a", count: 10_000), "\u{202E}x", "💥",
        ]
        return words.map { Array($0.utf8) }
    }

    static let commands: [[String]] = [
        ["topics", "create"], ["topics", "describe"], ["topics", "delete"], ["topics", "add-partitions"], ["topics", "list"],
        ["groups", "describe"], ["groups", "reset-offsets"], ["groups", "delete"], ["groups", "list"], ["consume"],
        ["produce"], ["dump-segment"], ["dump-index"], ["verify"], ["consume", "orders", "--partition"],
        ["consume", "orders", "--partition", "0", "--offset"], ["groups", "reset-offsets", "g", "--topic", "orders", "--to-offset"],
        ["topics", "create", "x", "--partitions"], ["produce", "orders", "--partition"],
    ]

    /// A data directory with a topic, records and a group, so commands find real things.
    static func makeData(_ dir: String) async throws {
        let s = try Spool.open(at: dir)
        try s.createTopic("orders", partitions: 2)
        for i in 0..<20 { _ = try await s.producer().send(Record(key: "k\(i)", value: "v\(i)"), to: "orders") }
        let c = try await s.consumer(group: "g", topics: ["orders"])
        try await c.commit(offsets: [TopicPartitionID(topic: "orders", partition: 0): 3])
        try await c.close()
        try s.close()
    }

    @Test("random command lines exit with 0, 1 or 2, never a signal",
          .enabled(if: ChildProcess.isExecutable(spool), "the spool executable is built next to the tests"))
    func randomCommandLines() async throws {
        let scratch = try ScratchDirectory("cli-fuzz")
        let data = scratch.appending("data")
        try await Self.makeData(data)
        let words = Self.vocabulary(data: data)
        var random = SeededRandom(seed: 0xC11)
        var statuses: [Int32: Int] = [:]
        for i in 0..<ReliabilityKnobs.cliFuzzRuns {
            var argv: [[UInt8]] = []
            if random.chance(0.7) {
                // Start with a real command so the fuzzer reaches past the subcommand lookup.
                argv = Self.commands[Int(random.next() % UInt64(Self.commands.count))].map { Array($0.utf8) }
            }
            for _ in 0..<(1 + Int(random.next() % 6)) {
                if random.chance(0.12) {
                    // Random bytes, including invalid UTF-8 (NUL cannot be passed in argv).
                    argv.append(random.bytes(1 + Int(random.next() % 12)).map { $0 == 0 ? 1 : $0 })
                } else {
                    argv.append(words[Int(random.next() % UInt64(words.count))])
                }
            }
            let run = try ChildProcess(Self.spool, argv, scratch: scratch.path, environment: ["SPOOL_DATA=\(data)"])
            let (exit, timedOut) = try await run.wait(milliseconds: 20_000)
            let shown = argv.map { String(decoding: $0.prefix(40), as: UTF8.self) }
            #expect(!timedOut, "run \(i) \(shown) did not finish")
            #expect(exit.signal == nil, "run \(i) \(shown) died of signal \(exit.signal ?? 0): \(exit.stderrText.suffix(600))")
            if let status = exit.status {
                statuses[status, default: 0] += 1
                #expect([0, 1, 2].contains(status), "run \(i) \(shown) exited \(status): \(exit.stderrText.suffix(400))")
            }
        }
        print("CLI fuzz: \(ReliabilityKnobs.cliFuzzRuns) runs, exit statuses \(statuses.sorted { $0.key < $1.key })")
        // The directory is still a healthy Spool directory afterwards.
        let s = try Spool.open(at: data)
        #expect(try s.verify().isHealthy)
        try s.close()
    }
}
