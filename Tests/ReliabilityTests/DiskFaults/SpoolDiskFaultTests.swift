// SPDX-License-Identifier: Apache-2.0
// Issue 6 item 3: EIO and ENOSPC injected at every I/O operation of a
// whole-engine workload (open, topic creation, produce with rolls, group
// commits, retention, close), in turn.
import FileIO
import LogStorage
@testable import Spool
import SpoolTestSupport
import Testing

@Suite("EIO and ENOSPC at every I/O operation of a whole-engine workload")
struct SpoolDiskFaultTests {
    static let topic = "events"
    static let topicConfig = TopicConfiguration(segmentBytes: 500, retentionBytes: 1_200)

    enum Step: Equatable { case open, createTopic, join, send(partition: Int), commit, retention, close }

    struct Outcome {
        var oracle = RecordOracle()
        var finished = false
        var firstError: (step: Step, error: any Error)?
        /// What a second send to the failed partition got (nil: not tried).
        var retryError: (any Error)?
        var retrySucceeded = false
        var segmentsDeleted = 0
    }

    static func workload(_ fs: any FileSystem, metadata: String) async -> Outcome {
        var out = Outcome()
        var random = SeededRandom(seed: 42)
        var step = Step.open
        var spool: Spool?
        var consumer: GroupConsumer?
        var n = 0
        do {
            let s = try SpoolHarness.open(fs, metadata: metadata)
            spool = s
            step = .createTopic
            try s.createTopic(topic, partitions: 2, configuration: topicConfig)
            step = .join
            let c = try await s.consumer(group: "g", topics: [topic], options: SpoolHarness.manualMember)
            consumer = c
            var positions: [TopicPartitionID: Int64] = [:]
            for round in 0..<20 {
                let partition = round % 2
                step = .send(partition: partition)
                var records: [Record] = []
                for _ in 0..<(1 + round % 3) {
                    n += 1
                    records.append(RecordOracle.makeRecord(n, partition: partition, random: &random, maxValue: 120))
                }
                out.oracle.attempt(records, topic: topic)
                out.oracle.acknowledge(try await s.producer().send(records, to: topic))
                if round % 3 == 2 {
                    step = .commit
                    try await SpoolPowerLossTests.commitProgress(s, c, &positions)
                }
                if round % 4 == 3 {
                    step = .retention
                    out.segmentsDeleted += try s.runRetention()
                }
            }
            step = .close
            try await c.close()
            try s.close()
            out.finished = true
        } catch {
            out.firstError = (step, error)
            if case .send(let p) = step, let s = spool {
                // The partition must stay failed: no later write is acknowledged before a reopen.
                n += 1
                let probe = RecordOracle.makeRecord(n, partition: p, random: &random)
                out.oracle.attempt([probe], topic: topic)
                do {
                    out.oracle.acknowledge([try await s.producer().send(probe, to: topic)])
                    out.retrySucceeded = true
                } catch {
                    out.retryError = error
                }
            }
            try? spool?.close()
            try? await consumer?.close()
        }
        return out
    }

    /// Whether `error` is a typed `.io` SpoolError that keeps the injected cause.
    static func isTypedIOError(_ error: any Error, injected: IOError.Code) -> Bool {
        guard let e = error as? SpoolError, e.code == .io else { return false }
        return (e.underlying as? StorageError)?.cause?.code == injected
    }

    @Test("every injected EIO/ENOSPC: a typed .io error, the partition stays failed, reopening recovers everything acknowledged",
          arguments: [IOError.Code.io, .noSpace])
    func faultAtEveryOperation(code: IOError.Code) async throws {
        let scratch = try ScratchDirectory("faults")
        let counting = FaultInjectingFileSystem(wrapping: InMemoryFileSystem())
        let clean = await Self.workload(counting, metadata: scratch.appending("clean.sqlite"))
        #expect(clean.finished, "the workload runs clean: \(String(describing: clean.firstError))")
        #expect(clean.segmentsDeleted > 0, "retention deletes segments in the workload")
        let total = counting.operationCount
        #expect(total > 100)
        var failedAt: [String: Int] = [:]
        var tolerated = 0
        var toleratedKinds: [String: Int] = [:]
        for k in 1...total {
            await Task.yield()  // long loop: let other tests' background tasks run
            let base = InMemoryFileSystem()
            let fs = FaultInjectingFileSystem(wrapping: base)
            fs.failOperation(k, with: .init(code: code))
            let db = scratch.appending("k\(k).sqlite")
            let run = await Self.workload(fs, metadata: db)
            let injected = fs.injectedFailures.first
            let context = "fault \(code) at operation \(k) (\(injected.map { "\($0.operation) \($0.path)" } ?? "not reached"))"
            if let (step, error) = run.firstError {
                failedAt["\(step)", default: 0] += 1
                #expect(Self.isTypedIOError(error, injected: code), "\(context): \(step) threw \(error)")
                if case .send = step {
                    #expect(!run.retrySucceeded, "\(context): a write to the failed partition was acknowledged before reopen")
                    if let retry = run.retryError {
                        #expect((retry as? SpoolError)?.code == .io, "\(context): retry threw \(retry)")
                    }
                }
            } else {
                tolerated += 1
                toleratedKinds[injected.map { "\($0.operation)" } ?? "not reached", default: 0] += 1
            }
            // Reopen on what the "device" holds (the fault was transient).
            let reopened: Spool
            do { reopened = try SpoolHarness.open(base.snapshot(), metadata: db) } catch {
                Issue.record("\(context): reopen failed: \(error)")
                continue
            }
            let verify = try reopened.verify()
            #expect(verify.isHealthy, "\(context): \(verify.problems)")
            var problems: [String] = []
            if let t = try? reopened.describeTopic(Self.topic) {
                #expect(t.partitionCount == 2, "\(context): topic lost partitions")
                for p in 0..<t.partitionCount {
                    problems += try run.oracle.check(reopened, .init(topic: Self.topic, partition: p), mustHoldFrom: nil)
                }
                // After the reopen the partition takes writes again.
                let receipt = try? await reopened.producer().send(Record(value: "after", partition: 0), to: Self.topic)
                #expect(receipt != nil, "\(context): the reopened partition refuses writes")
            } else {
                #expect(run.oracle.acknowledged.isEmpty, "\(context): the topic vanished after records were acknowledged")
            }
            #expect(problems.isEmpty, "\(context): \(problems)")
            try reopened.close()
            SpoolPowerLossTests.removeDatabase(db)
        }
        print("disk faults (\(code)): \(total) operations, first failure per step \(failedAt.sorted { $0.key < $1.key }), tolerated \(tolerated) \(toleratedKinds)")
    }
}
