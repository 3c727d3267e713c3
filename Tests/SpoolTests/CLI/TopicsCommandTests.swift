// SPDX-License-Identifier: Apache-2.0
// `spool topics create | list | describe | add-partitions | delete`, text and
// JSON, and the runtime errors for bad names and unknown topics.
import Testing

@Suite("spool topics")
struct TopicsCommandTests {
    @Test("create, list, describe, add-partitions and delete a topic")
    func lifecycle() async throws {
        let data = try CLIDataDirectory()
        let created = try await data.succeed(["topics", "create", "orders", "--partitions", "3"])
        #expect(created.stdoutLines == ["created topic orders with 3 partitions"])
        try await data.succeed(["topics", "create", "audit", "--partitions", "1", "--retention-ms", "60000",
                          "--retention-bytes", "1000000", "--segment-bytes", "1048576"])

        #expect(try await data.succeed(["topics", "list"]).stdoutLines == [
            "topic: audit partitions: 1",
            "topic: orders partitions: 3",
        ])
        #expect(try await data.succeed(["topics", "list", "--json"]).stdoutLines == [
            #"{"topic":"audit","partitions":1,"config":{"segmentBytes":1048576,"retentionMs":60000,"retentionBytes":1000000}}"#,
            #"{"topic":"orders","partitions":3,"config":{}}"#,
        ])
        #expect(try await data.succeed(["topics", "describe", "audit"]).stdoutLines == [
            "topic: audit partitions: 1 config: segment.bytes=1048576 retention.ms=60000 retention.bytes=1000000",
            "partition: 0 start: 0 end: 0 size: 0 segments: 1",
        ])

        let grown = try await data.succeed(["topics", "add-partitions", "orders", "--count", "5"])
        #expect(grown.stdoutLines == ["topic orders now has 5 partitions (was 3)"])
        let described = try await data.succeed(["topics", "describe", "orders"])
        #expect(described.stdoutLines.first == "topic: orders partitions: 5 config: (defaults)")
        #expect(Array(described.stdoutLines.dropFirst()) == (0..<5).map {
            "partition: \($0) start: 0 end: 0 size: 0 segments: 1"
        })

        let deleted = try await data.succeed(["topics", "delete", "orders"])
        #expect(deleted.stdoutLines == ["deleted topic orders"])
        #expect(try await data.succeed(["topics", "list"]).stdoutLines == ["topic: audit partitions: 1"])
    }

    @Test("describe --json gives per-partition start, end, size and segment count after producing")
    func describeJSON() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("t", partitions: 2)
        try await data.succeed(["produce", "t", "--partition", "1"], stdin: "a\nb\n")
        let run = try await data.succeed(["topics", "describe", "t", "--json"])
        #expect(run.stdoutLines.count == 1)
        let line = run.stdoutLines.first ?? ""
        #expect(line.hasPrefix(#"{"topic":"t","partitions":2,"config":{},"partitionDetails":[{"partition":0,"start":0,"end":0,"sizeBytes":0,"segments":1},{"partition":1,"start":0,"end":2,"sizeBytes":"#))
        #expect(line.hasSuffix(#","segments":1}]}"#))
    }

    @Test("an invalid topic name is a runtime error (exit 1) naming the rule; nothing is created",
          arguments: ["..", ".", "a/b", String(repeating: "x", count: 250)])
    func invalidName(name: String) async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("ok", partitions: 1)
        let run = try await data.run(["topics", "create", name, "--partitions", "1"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout == "")
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("spool: error: invalid topic name \"\(name)\": topic name "))
        #expect(try await data.succeed(["topics", "list"]).stdoutLines == ["topic: ok partitions: 1"])
    }

    @Test("the name '..' is refused with the reserved-name message")
    func dotDot() async throws {
        let data = try CLIDataDirectory()
        let run = try await data.run(["topics", "create", "..", "--partitions", "1"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines == [#"spool: error: invalid topic name "..": topic name cannot be "." or "..""#])
    }

    @Test("creating an existing topic, describing or deleting an unknown one exit 1 with one line")
    func existingAndUnknown() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        let again = try await data.run(["topics", "create", "orders", "--partitions", "2"])
        #expect(again.status == 1, "\(again)")
        #expect(again.stderrLines == [#"spool: error: topic "orders" already exists"#])
        for command in [["topics", "describe", "nope"], ["topics", "delete", "nope"],
                        ["topics", "add-partitions", "nope", "--count", "2"]] {
            let run = try await data.run(command)
            #expect(run.status == 1, "\(command): \(run)")
            #expect(run.stderrLines == ["spool: error: unknown topic 'nope'"], "\(command)")
        }
    }

    @Test("add-partitions below the current count exits 1; the same count is a no-op")
    func shrinkRefused() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 3)
        let shrink = try await data.run(["topics", "add-partitions", "orders", "--count", "2"])
        #expect(shrink.status == 1, "\(shrink)")
        #expect(shrink.stderrLines.count == 1)
        #expect(shrink.stderr.hasPrefix("spool: error: topic 'orders' has 3 partitions"))
        let same = try await data.succeed(["topics", "add-partitions", "orders", "--count", "3"])
        #expect(same.stdoutLines == ["topic orders already has 3 partitions"])
    }

    @Test("bad option values are usage errors (exit 2)",
          arguments: [["topics", "create", "t", "--partitions", "0"],
                      ["topics", "create", "t"],
                      ["topics", "create", "t", "--partitions", "1", "--retention-ms", "0"],
                      ["topics", "add-partitions", "t", "--count", "0"]])
    func usageErrors(arguments: [String]) async throws {
        let data = try CLIDataDirectory()
        let run = try await data.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: ") == true)
    }
}
