// SPDX-License-Identifier: Apache-2.0
// `spool produce`: one record per stdin line, keys, partitions,
// --print-offsets, and what happens on a bad line.
import Testing

@Suite("spool produce")
struct ProduceCommandTests {
    @Test("each line becomes one record; --print-offsets prints 'partition offset' per record in input order")
    func printOffsets() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        let first = try await data.succeed(["produce", "t", "--print-offsets"], stdin: "one\ntwo\nthree\n")
        #expect(first.stdoutLines == ["0 0", "0 1", "0 2"])
        let second = try await data.succeed(["produce", "t", "--print-offsets"], stdin: "four\n")
        #expect(second.stdoutLines == ["0 3"])
        let quiet = try await data.succeed(["produce", "t"], stdin: "five\n")
        #expect(quiet.stdout == "")
        let consumed = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "5"])
        #expect(consumed.stdoutLines == ["one", "two", "three", "four", "five"])
    }

    @Test("lines are kept byte-exact: empty lines, a last line without newline, a carriage return, non-UTF-8")
    func byteExact() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        try await data.succeed(["produce", "t"], stdin: "a\n\nb\r\nlast")
        let text = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "4"])
        #expect(text.stdout == "a\n\nb\r\nlast\n")
        let json = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "4", "--json"])
        #expect(json.stdoutLines.map { $0.contains(#""value":""#) } == [true, true, true, true])
        #expect(json.stdoutLines[2].contains(#""value":"b\r""#))
    }

    @Test("--key-separator splits key from value at the first separator; equal keys share a partition")
    func keySeparator() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 3)
        let run = try await data.succeed(["produce", "t", "--key-separator", "::", "--print-offsets"],
                                   stdin: "k1::v1\nk2::v2\nk1::v3::x\n")
        let placed = run.stdoutLines.map { $0.split(separator: " ").map { Int($0) ?? -1 } }
        #expect(placed.count == 3)
        #expect(placed[0][0] == placed[2][0], "records with key k1 go to one partition: \(placed)")
        #expect(placed[2][1] == placed[0][1] + 1)

        let json = try await data.succeed(["consume", "t", "--partition", String(placed[0][0]), "--from-beginning",
                                     "--max-messages", "2", "--json"])
        #expect(json.stdoutLines.count == 2)
        #expect(json.stdoutLines[0].contains(#""offset":\#(placed[0][1]),"#))
        #expect(json.stdoutLines[0].contains(#""key":"k1","value":"v1","headers":[]}"#))
        #expect(json.stdoutLines[1].contains(#""key":"k1","value":"v3::x","headers":[]}"#))
    }

    @Test("--key gives every record the same key (so one partition); --partition overrides it")
    func fixedKeyAndPartition() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 4)
        let keyed = try await data.succeed(["produce", "t", "--key", "user-7", "--print-offsets"], stdin: "a\nb\nc\n")
        let partitions = Set(keyed.stdoutLines.map { $0.split(separator: " ").first.map(String.init) ?? "" })
        #expect(partitions.count == 1)

        let forced = try await data.succeed(["produce", "t", "--key", "user-7", "--partition", "3", "--print-offsets"],
                                      stdin: "x\ny\n")
        let start = keyed.stdoutLines.first?.hasPrefix("3 ") == true ? 3 : 0
        #expect(forced.stdoutLines == ["3 \(start)", "3 \(start + 1)"])
        let json = try await data.succeed(["consume", "t", "--partition", "3", "--offset", String(start), "--json",
                                     "--max-messages", "2"])
        #expect(json.stdoutLines.allSatisfy { $0.contains(#""partition":3,"#) && $0.contains(#""key":"user-7""#) })
    }

    @Test("more lines than one send takes are all produced, in order")
    func manyLines() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        let lines = (0..<2500).map { "record-\($0)" }
        let run = try await data.succeed(["produce", "t", "--print-offsets"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(run.stdoutLines == (0..<2500).map { "0 \($0)" })
        let consumed = try await data.succeed(["consume", "t", "--from-beginning", "--max-messages", "2500"])
        #expect(consumed.stdoutLines == lines)
    }

    @Test("a line without the key separator stops with exit 1; the lines before it were produced")
    func missingSeparator() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        let run = try await data.run(["produce", "t", "--key-separator", ":", "--print-offsets"],
                               stdin: "k:a\nk:b\nno separator\nk:c\n")
        #expect(run.status == 1, "\(run)")
        #expect(run.stdoutLines == ["0 0", "0 1"])
        #expect(run.stderrLines == ["spool: error: line 3 has no key separator ':'"])
        let consumed = try await data.succeed(["consume", "t", "--from-beginning", "--timeout-ms", "100"])
        #expect(consumed.stdoutLines == ["a", "b"])
    }

    @Test("an unknown topic or partition fails before reading input (exit 1)")
    func unknownTopicOrPartition() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        let topic = try await data.run(["produce", "nope"], stdin: "a\n")
        #expect(topic.status == 1, "\(topic)")
        #expect(topic.stderrLines == ["spool: error: unknown topic 'nope'"])
        let partition = try await data.run(["produce", "t", "--partition", "2"], stdin: "a\n")
        #expect(partition.status == 1, "\(partition)")
        #expect(partition.stderrLines == ["spool: error: topic 't' has no partition 2 (it has 2)"])
    }

    @Test("--key with --key-separator, or an empty separator, is a usage error (exit 2)",
          arguments: [["produce", "t", "--key", "k", "--key-separator", ":"],
                      ["produce", "t", "--key-separator", ""],
                      ["produce", "t", "--partition", "-1"]])
    func usage(arguments: [String]) async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 1)
        let run = try await data.run(arguments, stdin: "a\n")
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: ") == true)
    }
}
