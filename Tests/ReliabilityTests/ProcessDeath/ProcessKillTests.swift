// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 2: real process death. The SpoolCrashHelper executable (built
// from Sources/SpoolCrashHelper) produces and consumes in a static group
// member and prints `ACK p o` after each acknowledged record and `COMMIT p o`
// after each returned commit. It is SIGKILLed at random moments (also during
// its own open and recovery), many times on one data directory. After every
// kill: verify() is healthy, no acknowledged record is missing, no committed
// offset went backwards; at the end the group resumes from its commits.
#if canImport(Glibc)
import Glibc
#endif
import FileIO
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("SIGKILL of a producing, consuming, committing process")
struct ProcessKillTests {
    static let helper = ChildProcess.builtExecutable("SpoolCrashHelper")
    static let topic = "orders"
    static let group = "crash-group"
    static let instance = "crash-helper-1"

    struct Report {
        var acks: [(partition: Int, offset: Int64)] = []
        var commits: [Int: Int64] = [:]
    }

    /// Complete lines only: a line cut by the kill was never fully reported.
    static func parse(_ output: [UInt8]) -> Report {
        var report = Report()
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let fields = line.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 3, let p = Int(fields[1]), let o = Int64(fields[2]) else { continue }
            if fields[0] == "ACK" { report.acks.append((p, o)) }
            if fields[0] == "COMMIT" { report.commits[p] = max(report.commits[p] ?? 0, o) }
        }
        return report
    }

    @Test("SIGKILL at random moments: acknowledged records survive, commits never go backwards, the group resumes",
          .enabled(if: ChildProcess.isExecutable(helper), "SpoolCrashHelper is built next to the tests"))
    func killAtRandomMoments() async throws {
        let scratch = try ScratchDirectory("kill")
        let dir = scratch.appending("data")
        var random = SeededRandom(seed: 0x6B111)
        var acked: [Int: Int64] = [:]           // per partition: highest acknowledged offset + 1
        var reportedCommits: [Int: Int64] = [:]  // per partition: highest COMMIT line ever printed
        var committed: [Int: Int64] = [:]        // per partition: what the group held at the last check
        var productive = 0
        let iterations = ReliabilityKnobs.killIterations
        for i in 0..<iterations {
            let child = try ChildProcess(Self.helper, [dir, "--partitions", "3", "--batch", "5"].map { Array($0.utf8) },
                                         scratch: scratch.path)
            // One kill in ten lands early, inside the helper's own open and recovery.
            // Task.sleep, not a blocking sleep: other tests share the cooperative pool.
            try await Task.sleep(for: .milliseconds(random.chance(0.1) ? Int(random.next() % 15) : 20 + Int(random.next() % 300)))
            child.kill9()
            let exit = try await child.wait(milliseconds: 30_000).exit
            #expect(exit.signal == SIGKILL, "run \(i) ended on its own: \(exit)")
            let report = Self.parse(exit.stdout)
            if !report.acks.isEmpty { productive += 1 }
            for (p, o) in report.acks { acked[p] = max(acked[p] ?? 0, o + 1) }
            for (p, o) in report.commits { reportedCommits[p] = max(reportedCommits[p] ?? 0, o) }

            let spool = try Spool.open(at: dir, configuration: SpoolHarness.configuration())
            defer { try? spool.close() }
            if i % 10 == 9 || i == iterations - 1 {
                // O(log size): every tenth kill.
                let verify = try spool.verify()
                #expect(verify.isHealthy, "after kill \(i): \(verify.problems)")
            }
            for (p, o) in report.acks {
                let (_, end) = try spool.offsets(topic: Self.topic, partition: p)
                #expect(o < end, "after kill \(i): acknowledged \(Self.topic)-\(p)@\(o) is missing (end \(end))")
                if o < end, let record = Array(try spool.read(topic: Self.topic, partition: p, from: o, maxBytes: 1)).first {
                    #expect(record.offset == o && record.key != nil && record.key == record.value,
                            "after kill \(i): \(Self.topic)-\(p)@\(o) holds something else")
                }
            }
            if let g = try? spool.describeGroup(Self.group) {
                for row in g.partitions {
                    let p = row.partition.partition
                    let now = row.committedOffset ?? 0
                    #expect(now >= reportedCommits[p] ?? 0,
                            "after kill \(i): \(row.partition) committed \(now), but COMMIT \(reportedCommits[p] ?? 0) was reported")
                    #expect(now >= committed[p] ?? 0, "after kill \(i): \(row.partition) commit went back from \(committed[p] ?? 0) to \(now)")
                    #expect(now <= row.endOffset ?? 0, "after kill \(i): \(row.partition) committed beyond the end")
                    committed[p] = now
                }
            }
        }
        print("process death: \(iterations) SIGKILLs, \(productive) after at least one acknowledgement, acknowledged ends \(acked.sorted { $0.key < $1.key }), commits \(committed.sorted { $0.key < $1.key })")
        #expect(productive * 2 >= iterations, "most kills land after the helper started producing")

        // The group resumes from its committed offsets: the same static member
        // gets its partitions back and its first batches start at the commits.
        let spool = try Spool.open(at: dir, configuration: SpoolHarness.configuration())
        defer { try? spool.close() }
        let consumer = try await spool.consumer(group: Self.group, topics: [Self.topic],
                                                options: ConsumerOptions(instanceID: Self.instance, sessionTimeoutMs: 30_000,
                                                                         heartbeatIntervalMs: 1_000))
        var pending: Set<Int> = []
        for p in 0..<3 where (committed[p] ?? 0) < (try spool.offsets(topic: Self.topic, partition: p).end) { pending.insert(p) }
        #expect(Set(consumer.assignment.map(\.partition)).isSuperset(of: pending), "the member owns its partitions again")
        var iterator = consumer.batches.makeAsyncIterator()
        var polls = 0
        while !pending.isEmpty, polls < 50, let batch = try await iterator.next() {
            polls += 1
            if pending.remove(batch.partition) != nil {
                #expect(batch.firstOffset == (committed[batch.partition] ?? 0),
                        "\(batch.topic)-\(batch.partition) resumed at \(batch.firstOffset), committed \(committed[batch.partition] ?? 0)")
            }
        }
        #expect(pending.isEmpty, "partitions never served: \(pending)")
        try await consumer.close()
    }
}
