// SPDX-License-Identifier: Apache-2.0
// `spool consume --group` commits what it printed, and `spool groups list |
// describe | reset-offsets | delete` see and change those commits.
import Spool
import Testing

@Suite("spool groups")
struct GroupsCommandTests {
    private func consumeGroup(_ data: CLIDataDirectory, _ group: String, extra: [String] = [],
                              sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        try await data.succeed(["consume", "orders", "--group", group, "--from-beginning", "--timeout-ms", "300"] + extra,
                         sourceLocation: sourceLocation).stdoutLines
    }

    @Test("a group consumer commits what it printed: a second run prints nothing, then only what is new")
    func commitsWhatItPrinted() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 3)
        try await data.succeed(["produce", "orders", "--key-separator", ":"], stdin: "a:1\nb:2\nc:3\nd:4\ne:5\n")
        let first = try await consumeGroup(data, "billing")
        #expect(first.sorted() == ["1", "2", "3", "4", "5"])
        #expect(try await consumeGroup(data, "billing") == [])

        try await data.succeed(["produce", "orders", "--partition", "2"], stdin: "6\n")
        #expect(try await consumeGroup(data, "billing") == ["6"])
        // Another group gets the whole stream.
        #expect(try await consumeGroup(data, "audit").sorted() == ["1", "2", "3", "4", "5", "6"])
    }

    @Test("--max-messages commits only up to the last printed record, even inside a batch")
    func maxMessagesCommitsPrinted() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        try await data.succeed(["produce", "orders"], stdin: "1\n2\n3\n4\n")
        #expect(try await consumeGroup(data, "g", extra: ["--max-messages", "3"]) == ["1", "2", "3"])
        #expect(try await consumeGroup(data, "g") == ["4"])
    }

    @Test("describe shows committed offsets, end offsets and lag of a group with no live members")
    func describeLag() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "a\nb\n")
        try await data.succeed(["produce", "orders", "--partition", "1"], stdin: "c\n")
        _ = try await consumeGroup(data, "billing")
        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "d\ne\nf\n")

        let text = try await data.succeed(["groups", "describe", "billing"])
        #expect(text.stdoutLines.count == 4)
        #expect(text.stdoutLines.first?.hasPrefix("group: billing state: ") == true)
        #expect(text.stdoutLines.first?.hasSuffix(" members: 0") == true)
        #expect(Array(text.stdoutLines.dropFirst()) == [
            "partition: orders-0 owner: - committed: 2 end: 5 lag: 3",
            "partition: orders-1 owner: - committed: 1 end: 1 lag: 0",
            "total lag: 3",
        ])

        let json = try await data.succeed(["groups", "describe", "billing", "--json"])
        #expect(json.stdoutLines.count == 1)
        let line = json.stdoutLines.first ?? ""
        #expect(line.hasPrefix(#"{"group":"billing","state":"#))
        #expect(line.contains(#""warning":null,"members":[],"partitions":[{"topic":"orders","partition":0,"owner":null,"committed":2,"end":5,"lag":3},{"topic":"orders","partition":1,"owner":null,"committed":1,"end":1,"lag":0}],"totalLag":3}"#))
    }

    @Test("list shows every group, also without live members")
    func list() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        #expect(try await data.succeed(["groups", "list"]).stdout == "")
        _ = try await consumeGroup(data, "b-group")
        _ = try await consumeGroup(data, "a-group")
        let text = try await data.succeed(["groups", "list"]).stdoutLines
        #expect(text.count == 2)
        #expect(text.allSatisfy { $0.contains(" members: 0 ") })
        #expect(text.first?.hasPrefix("group: a-group state: ") == true)
        #expect(text.last?.hasPrefix("group: b-group state: ") == true)
        let json = try await data.succeed(["groups", "list", "--json"]).stdoutLines
        #expect(json.count == 2)
        #expect(json.first?.hasPrefix(#"{"group":"a-group","state":"#) == true)
        #expect(json.first?.contains(#""members":0,"#) == true)
    }

    @Test("reset-offsets --to-earliest makes the group re-read everything; --to-latest and --to-offset move it")
    func resetOffsets() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        try await data.succeed(["produce", "orders"], stdin: "1\n2\n3\n")
        #expect(try await consumeGroup(data, "g") == ["1", "2", "3"])

        let reset = try await data.succeed(["groups", "reset-offsets", "g", "--topic", "orders", "--to-earliest"])
        #expect(reset.stdoutLines == ["partition: orders-0 committed: 0"])
        #expect(try await consumeGroup(data, "g") == ["1", "2", "3"])

        try await data.succeed(["groups", "reset-offsets", "g", "--topic", "orders", "--to-offset", "2"])
        #expect(try await consumeGroup(data, "g") == ["3"])

        try await data.succeed(["groups", "reset-offsets", "g", "--topic", "orders", "--to-earliest"])
        let latest = try await data.succeed(["groups", "reset-offsets", "g", "--topic", "orders", "--to-latest"])
        #expect(latest.stdoutLines == ["partition: orders-0 committed: 3"])
        #expect(try await consumeGroup(data, "g") == [])
    }

    @Test("reset-offsets to an offset beyond the log, or of an unknown topic, exits 1")
    func resetErrors() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        try await data.succeed(["produce", "orders"], stdin: "1\n")
        let beyond = try await data.run(["groups", "reset-offsets", "g", "--topic", "orders", "--to-offset", "5"])
        #expect(beyond.status == 1, "\(beyond)")
        #expect(beyond.stderrLines == ["spool: error: offset 5 is outside [0, 1] of orders-0"])
        let unknown = try await data.run(["groups", "reset-offsets", "g", "--topic", "nope", "--to-earliest"])
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderrLines == ["spool: error: unknown topic 'nope'"])
    }

    @Test("reset-offsets needs exactly one target (exit 2)",
          arguments: [["groups", "reset-offsets", "g", "--topic", "orders"],
                      ["groups", "reset-offsets", "g", "--topic", "orders", "--to-earliest", "--to-latest"],
                      ["groups", "reset-offsets", "g", "--to-earliest"]])
    func resetUsage(arguments: [String]) async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        let run = try await data.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderrLines.first?.hasPrefix("spool: error: ") == true)
    }

    @Test("delete removes the group; describing or deleting an unknown group exits 1")
    func delete() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 1)
        try await data.succeed(["produce", "orders"], stdin: "1\n")
        _ = try await consumeGroup(data, "g")
        #expect(try await data.succeed(["groups", "delete", "g"]).stdoutLines == ["deleted group g"])
        #expect(try await data.succeed(["groups", "list"]).stdout == "")
        for command in [["groups", "describe", "g"], ["groups", "delete", "g"]] {
            let run = try await data.run(command)
            #expect(run.status == 1, "\(command): \(run)")
            #expect(run.stderrLines == ["spool: error: group 'g' not found"])
        }
        // Deleted means its commits are gone: a new consumer starts over.
        #expect(try await consumeGroup(data, "g") == ["1"])
    }
}

extension GroupsCommandTests {
    @Test("describe lists static members left by an earlier process, and warns about a shared group id")
    func membersAndSharedGroupWarning() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.createTopic("emails", partitions: 1)
        do {
            // Two services using one group id with different topics; the
            // process ends without closing them. Static members outlive it.
            let spool = try Spool.open(at: data.path)
            let orders = try await spool.consumer(group: "shared", topics: ["orders"],
                                                  options: ConsumerOptions(instanceID: "orders-1", clientID: "orders-service"))
            let emails = try await spool.consumer(group: "shared", topics: ["emails"],
                                                  options: ConsumerOptions(instanceID: "email-1", clientID: "email-service"))
            _ = (orders, emails)
            try spool.close()
        }
        let text = try await data.succeed(["groups", "describe", "shared"])
        let lines = text.stdoutLines
        #expect(lines.first?.hasPrefix("group: shared ") == true)
        #expect(lines.first?.hasSuffix(" members: 2") == true)
        #expect(lines.dropFirst().first == "warning: members of group 'shared' subscribe to different topic sets "
            + "(2 variants): two services sharing one group id split the data between them")
        let members = lines.filter { $0.hasPrefix("member: ") }
        #expect(members.count == 2)
        #expect(members.contains {
            $0.contains(" client: orders-service instance: orders-1 presence: awaitingRejoin subscription: orders ")
        })
        #expect(members.contains { $0.contains(" client: email-service ") && $0.contains(" subscription: emails ") })
        #expect(lines.filter { $0.hasPrefix("partition: ") }.count == 3)

        let json = try await data.succeed(["groups", "describe", "shared", "--json"])
        #expect(json.stdoutLines.first?.contains(#""warning":"members of group 'shared' subscribe to different topic sets"#) == true)
        #expect(json.stdoutLines.first?.contains(#""clientID":"email-service","instanceID":"email-1","#) == true)
    }
}
