// SPDX-License-Identifier: Apache-2.0
// rebalance: time from an 11th member's join until all 11 members of a group
// on a 100-partition topic hold their new, settled assignment (no partition
// revoking or pending anywhere), through the GroupCoordinator directly with
// its SQLite store (synchronous=FULL), for the range and sticky assignors.
// Each member reacts at once (heartbeat -> rejoin on a stale generation ->
// acknowledge its revocations), so the time is the coordinator's work and
// its transactions, not heartbeat intervals (in-process members learn of a
// rebalance at their next heartbeat, by default within 1 s). Each round
// then removes the 11th member again (untimed) and repeats.
import GroupCoordinator
import MetadataStore

struct RebalanceWorkload: Workload {
    let name = WorkloadName.rebalance
    let summary = "100 partitions, 10 -> 11 members: join until every assignment is settled"

    static let topic = "rebalance"
    static let partitions: Int32 = 100

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        var results: [BenchResult] = []
        for assignor in [AssignorKind.range, .sticky] {
            var result = try await context.measure("rebalance \(assignor.rawValue) 10 -> 11") {
                try once(context, assignor: assignor)
            }
            if let p50 = result.p50Micros { result.targets.append(("median < 5 ms", p50 < 5000)) }
            results.append(result)
        }
        return results
    }

    /// One simulated member: its id and the generation it last saw.
    struct Member {
        var id: String
        var generation: Int32
    }

    private func once(_ context: WorkloadContext, assignor: AssignorKind) throws -> BenchResult {
        let dir = try context.createdDirectory("rebalance-\(assignor.rawValue)")
        defer { context.discard(dir) }
        let store = try MetadataStore.open(path: dir + "/groups.sqlite", synchronous: .full,
                                           logger: WorkloadContext.quietLogger())
        defer { store.close() }
        let coordinator = try GroupCoordinator(persistence: SQLiteGroupStore(store: store),
                                               topics: [Self.topic: Self.partitions],
                                               logger: WorkloadContext.quietLogger())
        var members: [Member] = []
        for _ in 0..<10 {
            members.append(try join(coordinator, assignor: assignor))
            _ = try settle(coordinator, &members, assignor: assignor)
        }
        var histogram = LatencyHistogram()
        var joins = LatencyHistogram()
        var transactions = 0
        var totalNanos: UInt64 = 0
        let rounds = context.settings.rebalanceRounds
        for _ in 0..<rounds {
            let t0 = Stopwatch.nanos()
            members.append(try join(coordinator, assignor: assignor))
            joins.record(nanos: Stopwatch.nanos() &- t0)
            transactions += 1 + (try settle(coordinator, &members, assignor: assignor))
            let elapsed = Stopwatch.nanos() &- t0
            histogram.record(nanos: elapsed)
            totalNanos &+= elapsed
            try check(coordinator, members: members.count)
            // Back to 10 members (untimed).
            let leaving = members.removeLast()
            try coordinator.leave(group: "g", member: leaving.id)
            _ = try settle(coordinator, &members, assignor: assignor)
        }
        var result = BenchResult(workload: name, variant: "\(assignor.rawValue), 100 partitions, 10 -> 11 members",
                                 recordSize: 0, durability: .notApplicable, records: rounds,
                                 seconds: Double(totalNanos) / 1e9, bytes: 0)
        result.setLatencies(histogram)
        result.checksumOK = true
        result.notes.append("the join alone (its planning and one transaction): p50 \(formatMicros(joins.micros(atQuantile: 0.5))), p99 \(formatMicros(joins.micros(atQuantile: 0.99)))")
        result.notes.append("records = rebalances; \(formatFixed(Double(transactions) / Double(rounds), decimals: 1)) SQLite transactions (synchronous=FULL) per rebalance")
        return result
    }

    private func join(_ coordinator: GroupCoordinator, assignor: AssignorKind, memberID: String? = nil) throws -> Member {
        let result = try coordinator.join(group: "g", memberID: memberID, clientID: "bench", topics: [Self.topic],
                                          sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 60_000, assignor: assignor)
        return Member(id: result.memberID, generation: result.generation)
    }

    /// Every member reacts until no member has anything revoking or pending.
    /// Returns the number of transactions written (acknowledgements).
    private func settle(_ coordinator: GroupCoordinator, _ members: inout [Member], assignor: AssignorKind) throws -> Int {
        var transactions = 0
        for _ in 0..<20 {
            var settled = true
            for i in members.indices {
                var assignment: MemberAssignment
                do throws(CoordinatorError) {
                    let hb = try coordinator.heartbeat(group: "g", member: members[i].id, generation: members[i].generation)
                    members[i].generation = hb.generation
                    assignment = hb.assignment
                } catch {
                    guard case .staleGeneration = error else { throw error }
                    let rejoined = try coordinator.join(group: "g", memberID: members[i].id, clientID: "bench",
                                                        topics: [Self.topic], sessionTimeoutMs: 60_000,
                                                        rebalanceTimeoutMs: 60_000, assignor: assignor)
                    members[i].generation = rejoined.generation
                    assignment = rejoined.assignment
                }
                if !assignment.revoking.isEmpty {
                    let hb = try coordinator.acknowledgeRevocation(group: "g", member: members[i].id,
                                                                   generation: members[i].generation)
                    transactions += 1
                    members[i].generation = hb.generation
                    assignment = hb.assignment
                }
                if !assignment.isSettled { settled = false }
            }
            if settled { return transactions }
        }
        throw BenchError("group did not settle after 20 rounds of member reactions")
    }

    /// The settled group owns every partition exactly once, balanced to within one.
    private func check(_ coordinator: GroupCoordinator, members: Int) throws {
        guard let entry = coordinator.snapshot().groups["g"] else { throw BenchError("group g vanished") }
        let owned = entry.assignments.values.map(\.assigned)
        let all = owned.reduce(into: Set<TopicPartition>()) { $0.formUnion($1) }
        let counts = owned.map(\.count)
        guard owned.count == members, all.count == Int(Self.partitions), counts.reduce(0, +) == Int(Self.partitions),
              (counts.max() ?? 0) - (counts.min() ?? 0) <= 1,
              entry.assignments.values.allSatisfy(\.isSettled) else {
            throw BenchError("after the rebalance the assignment is wrong: \(members) members own \(counts)")
        }
    }
}
