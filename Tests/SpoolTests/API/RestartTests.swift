// SPDX-License-Identifier: Apache-2.0
// Resuming from committed offsets: after a clean close and reopen, and after
// SIGKILL of a child process (SpoolCrashHelper) in the middle of producing
// and committing. Nothing committed is re-delivered; nothing acknowledged
// is missing.
#if canImport(Glibc)
import Glibc
#endif
import Spool
import SpoolTestSupport
import Testing

@Suite("Restart: resume at committed offsets", .timeLimit(.minutes(5)))
struct RestartTests {
    @Test("after close and reopen a new consumer of the group resumes exactly at the committed offsets")
    func resumeAfterCleanRestart() async throws {
        let directory = try TemporaryDirectory(prefix: "spool-api-restart")
        let path = directory.appending("data")
        let n = 120
        var all: Set<Position> = []
        var firstHalf: [Seen] = []
        do {
            let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
            try spool.createTopic("orders", partitions: 6)
            let producer = spool.producer()
            for i in 0..<n {
                let r = try await producer.send(Record(key: "order-\(i)", value: "order \(i)"), to: "orders")
                all.insert(Position(partition: r.partition, offset: r.offset))
            }
            let consumer = try await spool.consumer(group: "payment-service-group", topics: ["orders"], options: .fast())
            // Consume and commit record by record; stop after half.
            firstHalf = try await withDeadline(30, "first half") {
                var seen: [Seen] = []
                for try await r in consumer.records {
                    seen.append(Seen(r))
                    try await consumer.commit(r)
                    if seen.count == n / 2 { break }
                }
                return seen
            }
            try await consumer.close()
            try spool.close()
        }
        #expect(firstHalf.count == n / 2)
        #expect(Set(firstHalf.map(\.position)).count == n / 2)

        let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
        defer { try? spool.close() }
        // The committed offsets survived (a partition never committed has none).
        let info = try spool.describeGroup("payment-service-group")
        for p in 0..<6 {
            let committed = firstHalf.filter { $0.partition == p }.map(\.offset).max().map { $0 + 1 }
            let state = info.partitions.first { $0.partition == TopicPartitionID(topic: "orders", partition: p) }
            #expect(state?.committedOffset == committed, "partition \(p): \(String(describing: state))")
        }
        let consumer = try await spool.consumer(group: "payment-service-group", topics: ["orders"], options: .fast())
        let secondHalf = try await consumer.consume(count: n - n / 2)
        #expect(secondHalf.count == n - n / 2)
        let committedBefore = Set(firstHalf.map(\.position))
        let after = Set(secondHalf.map(\.position))
        #expect(committedBefore.isDisjoint(with: after), "re-delivered: \(committedBefore.intersection(after).sorted())")
        #expect(committedBefore.union(after) == all, "missing: \(all.subtracting(committedBefore.union(after)).sorted())")
        // Each partition resumed exactly at its committed offset.
        for p in 0..<6 {
            let committed = firstHalf.filter { $0.partition == p }.map(\.offset).max().map { $0 + 1 } ?? 0
            let resumed = secondHalf.filter { $0.partition == p }.map(\.offset).min()
            if let resumed { #expect(resumed == committed, "partition \(p)") }
        }
        #expect(try spool.describeGroup("payment-service-group").totalLag == 0)
        try await consumer.close()
    }

    /// SPOOL_KILL_ITERATIONS (default 3).
    static var killIterations: Int {
        if let raw = getenv("SPOOL_KILL_ITERATIONS"), let n = Int(String(cString: raw)), n > 0 { return n }
        return 3
    }

    @Test("kill -9 of a producing and committing process loses no acknowledged record and no commit")
    func atLeastOnceAcrossSigkill() async throws {
        let helper = ChildProcess.builtExecutable("SpoolCrashHelper", environmentOverride: "SPOOL_CRASH_HELPER")
        try #require(access(helper, X_OK) == 0, "SpoolCrashHelper not built at \(helper) (run `swift build` or set SPOOL_CRASH_HELPER)")
        let directory = try TemporaryDirectory(prefix: "spool-api-kill")
        let path = directory.appending("data")
        let topic = "orders", group = "crash-group", instance = "crash-helper-1", partitions = 3

        var acked: Set<Position> = []
        var highestCommit: [Int: Int64] = [:]
        var generator = SystemRandomNumberGenerator()
        for iteration in 0..<Self.killIterations {
            let child = try ChildProcess(
                executable: helper,
                arguments: [path, "--topic", topic, "--partitions", "\(partitions)", "--group", group,
                            "--instance", instance, "--batch", "10"],
                outputDirectory: directory, tag: "run\(iteration)")
            // Mid-stream: wait for a commit of this run, then a random short time.
            let started = await eventually(60) { child.stdoutLines().contains { $0.hasPrefix("COMMIT") } || !child.isRunning }
            guard started, child.isRunning else {
                child.killNow()
                Issue.record("helper did not reach a commit (iteration \(iteration)): \(child.stderrText())")
                return
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 10...400, using: &generator)))
            let status = child.killNow()
            #expect(status == 128 + SIGKILL, "iteration \(iteration): \(child.stderrText())")

            for line in child.stdoutLines() {
                let fields = line.split(separator: " ")
                guard fields.count == 3, let p = Int(fields[1]), let o = Int64(fields[2]) else {
                    Issue.record("unexpected helper line '\(line)'")
                    continue
                }
                switch fields[0] {
                case "ACK":
                    let (inserted, _) = acked.insert(Position(partition: p, offset: o))
                    #expect(inserted, "offset \(p)@\(o) acknowledged twice: an earlier acknowledged record was lost")
                case "COMMIT":
                    highestCommit[p] = max(highestCommit[p] ?? 0, o)
                default:
                    Issue.record("unexpected helper line '\(line)'")
                }
            }

            // Reopen here (recovery after an unclean stop) and check.
            let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
            var ends: [Int: Int64] = [:]
            for p in 0..<partitions { ends[p] = try spool.offsets(topic: topic, partition: p).end }
            for position in acked.sorted() {
                let end = ends[position.partition] ?? 0
                #expect(position.offset < end, "acknowledged \(position) is beyond the log end \(end)")
                guard position.offset < end else { continue }
                let batch = try spool.read(topic: topic, partition: position.partition, from: position.offset, maxBytes: 1)
                let record = batch.first { _ in true }
                #expect(record?.offset == position.offset, "acknowledged \(position) not readable")
                #expect(record?.key?.string.hasPrefix("run") == true)
                #expect(record?.key == record?.value)
            }
            let info = try spool.describeGroup(group)
            for p in 0..<partitions {
                let committed = info.partitions.first { $0.partition == TopicPartitionID(topic: topic, partition: p) }?.committedOffset
                if let printed = highestCommit[p] {
                    #expect((committed ?? -1) >= printed, "partition \(p): committed \(String(describing: committed)) below printed COMMIT \(printed)")
                }
                if let committed { #expect(committed <= ends[p] ?? 0, "partition \(p): committed \(committed) beyond end") }
            }
            let verified = try spool.verify()
            #expect(verified.isHealthy, "\(verified.problems)")
            try spool.close()
        }
        #expect(!acked.isEmpty)

        // Consume the rest as the same static member: exactly [committed, end) per partition.
        let spool = try Spool.open(at: path, configuration: SpoolFixture.fastConfiguration())
        defer { try? spool.close() }
        let info = try spool.describeGroup(group)
        var expected: Set<Position> = []
        var committedByPartition: [Int: Int64] = [:]
        for p in 0..<partitions {
            let committed = info.partitions.first { $0.partition == TopicPartitionID(topic: topic, partition: p) }?.committedOffset ?? 0
            committedByPartition[p] = committed
            let end = try spool.offsets(topic: topic, partition: p).end
            for o in committed..<end { expected.insert(Position(partition: p, offset: o)) }
        }
        let consumer = try await spool.consumer(group: group, topics: [topic], options: .fast(instanceID: instance))
        let rest = try await consumer.consume(count: expected.count)
        #expect(rest.count == expected.count)
        #expect(Set(rest.map(\.position)) == expected)
        for p in 0..<partitions {
            if let first = rest.filter({ $0.partition == p }).map(\.offset).min() {
                #expect(first == committedByPartition[p], "partition \(p) resumed at \(first)")
            }
        }
        try await consumer.close()
    }
}
