// SPDX-License-Identifier: Apache-2.0
// `spool consume` without a group: where it starts, all partitions in turn,
// --max-messages, the idle timeout, JSON fields, and bad combinations.
import Testing

@Suite("spool consume")
struct ConsumeCommandTests {
    @Test("without --from-beginning it starts at the end and stops after the idle timeout (exit 0)")
    func startsAtEnd() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        try await data.succeed(["produce", "t"], stdin: "old\n")
        let run = try await data.succeed(["consume", "t", "--timeout-ms", "100"])
        #expect(run.stdout == "")
    }

    @Test("--from-beginning reads every partition in turn until the idle timeout")
    func allPartitions() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 3)
        for p in 0..<3 {
            try await data.succeed(["produce", "t", "--partition", String(p)], stdin: "p\(p)-a\np\(p)-b\n")
        }
        let run = try await data.succeed(["consume", "t", "--from-beginning", "--timeout-ms", "200"])
        #expect(run.stdoutLines == ["p0-a", "p0-b", "p1-a", "p1-b", "p2-a", "p2-b"])
    }

    @Test("--partition with --offset starts exactly there; --max-messages stops early")
    func partitionOffset() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        try await data.succeed(["produce", "t", "--partition", "1"], stdin: "a\nb\nc\nd\n")
        let run = try await data.succeed(["consume", "t", "--partition", "1", "--offset", "1", "--max-messages", "2"])
        #expect(run.stdoutLines == ["b", "c"])
        let atEnd = try await data.succeed(["consume", "t", "--partition", "1", "--offset", "4", "--timeout-ms", "50"])
        #expect(atEnd.stdout == "")
    }

    @Test("--json prints topic, partition, offset, timestamp, key, value and headers per record")
    func json() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        try await data.succeed(["produce", "t", "--key-separator", "="], stdin: "k=v\n=\n")
        let run = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "2", "--json"])
        #expect(run.stdoutLines.count == 2)
        let pattern = #"^\{"topic":"t","partition":0,"offset":(\d+),"timestamp":(\d+),"key":"(.*)","value":"(.*)","headers":\[\]\}$"#
        let regex = try Regex(pattern)
        let first = try #require(try regex.wholeMatch(in: run.stdoutLines[0]))
        let second = try #require(try regex.wholeMatch(in: run.stdoutLines[1]))
        #expect(first.output[1].substring == "0")
        #expect(first.output[3].substring == "k")
        #expect(first.output[4].substring == "v")
        #expect(second.output[1].substring == "1")
        #expect(second.output[3].substring == "")
        #expect(second.output[4].substring == "")
    }

    @Test("--max-messages above what exists prints what there is and stops after the idle timeout (exit 0)")
    func fewerThanMaxMessages() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        try await data.succeed(["produce", "t", "--partition", "0"], stdin: "x\ny\n")
        let run = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "10", "--timeout-ms", "100"])
        #expect(run.stdoutLines == ["x", "y"])
    }

    @Test("an offset outside the partition, an unknown partition or topic exit 1 with one line")
    func runtimeErrors() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        try await data.succeed(["produce", "t", "--partition", "0"], stdin: "a\nb\n")
        let offset = try await data.run(["consume", "t", "--partition", "0", "--offset", "9"])
        #expect(offset.status == 1, "\(offset)")
        #expect(offset.stderrLines == ["spool: error: offset 9 is outside [0, 2] of t-0"])
        let partition = try await data.run(["consume", "t", "--partition", "5"])
        #expect(partition.status == 1, "\(partition)")
        #expect(partition.stderrLines == ["spool: error: topic 't' has no partition 5 (it has 2)"])
        let topic = try await data.run(["consume", "nope"])
        #expect(topic.status == 1, "\(topic)")
        #expect(topic.stderrLines == ["spool: error: unknown topic 'nope'"])
    }

    @Test("contradictory options are usage errors (exit 2)",
          arguments: [["consume", "t", "--offset", "1"],
                      ["consume", "t", "--partition", "0", "--offset", "1", "--from-beginning"],
                      ["consume", "t", "--group", "g", "--partition", "0"],
                      ["consume", "t", "--max-messages", "0"],
                      ["consume", "t", "--timeout-ms", "0"]])
    func usage(arguments: [String]) async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        let run = try await data.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: ") == true)
    }
}
