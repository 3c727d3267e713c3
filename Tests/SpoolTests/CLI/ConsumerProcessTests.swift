// SPDX-License-Identifier: Apache-2.0
// A `spool consume --group` process while it runs and when it ends abruptly:
// it holds the directory lock, stops cleanly on SIGTERM (commits, leaves the
// group), and after a SIGKILL the next run resumes from the commits (the dead
// process's member is removed when the directory is opened again). A static
// member left by an application is waited for until its session times out.
#if canImport(Glibc)
import Glibc
#endif
import Spool
import Testing

@Suite("spool consume --group as a process")
struct ConsumerProcessTests {
    /// Polls the running consumer's stdout until it printed `count` lines
    /// (the cap only turns a hang into a failure).
    private func waitForLines(_ count: Int, of running: RunningSpool,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        for _ in 0..<1200 {
            let lines = try running.stdoutSoFar().split(separator: "\n").map(String.init)
            if lines.count >= count { return lines }
            usleep(50_000)
        }
        Issue.record("consumer printed fewer than \(count) lines", sourceLocation: sourceLocation)
        return []
    }

    private func startConsumer(_ data: CLIDataDirectory) async throws -> RunningSpool {
        try SpoolProcess.start(["consume", "orders", "--group", "g", "--from-beginning", "--timeout-ms", "600000",
                                "--data", data.path])
    }

    @Test("a running consumer holds the lock; SIGTERM stops it with exit 0 after committing and leaving the group")
    func terminate() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.succeed(["produce", "orders", "--key-separator", ":"], stdin: "a:1\nb:2\nc:3\n")
        let consumer = try await startConsumer(data)
        let printed = try await waitForLines(3, of: consumer)
        #expect(printed.sorted() == ["1", "2", "3"])

        let blocked = try await data.run(["groups", "describe", "g"])
        #expect(blocked.status == 1, "\(blocked)")
        #expect(blocked.stderr.contains("is in use by another process (it is locked)"))

        consumer.send(signal: SIGTERM)
        let run = try await consumer.wait()
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "")
        let described = try await data.succeed(["groups", "describe", "g"]).stdoutLines
        #expect(described.first?.hasSuffix(" members: 0") == true)
        #expect(described.last == "total lag: 0")
    }

    @Test("after SIGKILL the next run resumes from the commits: what was printed and committed is not printed again")
    func killed() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "1\n2\n")
        try await data.succeed(["produce", "orders", "--partition", "1"], stdin: "3\n")
        let consumer = try await startConsumer(data)
        _ = try await waitForLines(3, of: consumer)
        consumer.send(signal: SIGKILL)
        let killedRun = try await consumer.wait()
        #expect(killedRun.status == 128 + SIGKILL)

        try await data.succeed(["produce", "orders", "--partition", "0"], stdin: "4\n")
        try await data.succeed(["produce", "orders", "--partition", "1"], stdin: "5\n")
        let next = try await data.succeed(["consume", "orders", "--group", "g", "--timeout-ms", "500"])
        // A batch is committed right after it is printed; the kill may fall
        // between the two for the last batch of a partition, which is then
        // delivered again (at least once), never lost.
        #expect(next.stdoutLines.filter { ["4", "5"].contains($0) }.sorted() == ["4", "5"])
        #expect(Set(next.stdoutLines).isSubset(of: ["2", "3", "4", "5"]), "\(next)")
        let described = try await data.succeed(["groups", "describe", "g"]).stdoutLines
        #expect(described.first?.hasSuffix(" members: 0") == true)
        #expect(described.last == "total lag: 0")
    }

    @Test("partitions held by an application's static member are waited for until its session ends, with a warning")
    func staticMemberOfEarlierProcess() async throws {
        let data = try CLIDataDirectory()
        try await data.createTopic("orders", partitions: 2)
        try await data.succeed(["produce", "orders", "--key-separator", ":"], stdin: "a:1\nb:2\nc:3\nd:4\n")
        do {
            let spool = try Spool.open(at: data.path)
            var options = ConsumerOptions(instanceID: "app-1", sessionTimeoutMs: 1_500, heartbeatIntervalMs: 500)
            options.clientID = "app"
            let app = try await spool.consumer(group: "g", topics: ["orders"], options: options)
            #expect(app.assignment.count == 2)
            try spool.close()  // the application stops without leaving
        }
        let run = try await data.run(["consume", "orders", "--group", "g", "--from-beginning", "--timeout-ms", "300"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdoutLines.sorted() == ["1", "2", "3", "4"])
        // Joining rebalanced the group: the static member keeps one of the two partitions.
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("spool: warning: orders-"))
        #expect(run.stderr.hasSuffix(" of group 'g' are still assigned to a static member of an earlier process; "
            + "waiting for its session to time out\n"))
    }
}
