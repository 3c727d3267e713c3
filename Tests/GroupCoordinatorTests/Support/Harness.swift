// SPDX-License-Identifier: Apache-2.0
// Builds coordinators for tests (in-memory or SQLite) and checks invariants.
import GroupCoordinator
import Logging
import MetadataStore
import SpoolTestSupport
import Testing

/// A coordinator over in-memory persistence with a test clock.
struct Harness {
    let clock: TestClock
    let stored: InMemoryGroupPersistence
    let persistence: ControlledPersistence
    let coordinator: GroupCoordinator
    let topics: [String: Int32]

    init(topics: [String: Int32] = ["orders": 6], logger: Logger = quietLogger, clock: TestClock = TestClock()) throws {
        self.clock = clock
        self.topics = topics
        stored = InMemoryGroupPersistence()
        persistence = ControlledPersistence(stored)
        coordinator = try GroupCoordinator(persistence: persistence, topics: topics, clock: clock, logger: logger)
    }

    /// A second coordinator over the same stored state: a restart.
    func reopened(logger: Logger = quietLogger) throws -> GroupCoordinator {
        try GroupCoordinator(
            persistence: ControlledPersistence(stored), topics: coordinator.topics, clock: clock, logger: logger)
    }

    @discardableResult
    func join(
        _ group: String = "g", memberID: String? = nil, instance: String? = nil, topics: [String] = ["orders"],
        session: Int32 = 10_000, rebalance: Int32 = 30_000, assignor: AssignorKind? = nil
    ) throws(CoordinatorError) -> JoinResult {
        try coordinator.join(
            group: group, memberID: memberID, instanceID: instance, clientID: "c", topics: topics,
            sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance, assignor: assignor)
    }
}

/// Every group of `state` satisfies its invariants.
func expectConsistent(_ state: CoordinatorState, sourceLocation: SourceLocation = #_sourceLocation) {
    for (groupID, entry) in state.groups {
        let problems = entry.checkInvariants()
        #expect(problems.isEmpty, "group \(groupID): \(problems)", sourceLocation: sourceLocation)
    }
}

/// Partitions 0..<count of a topic.
func partitions(_ topic: String, _ range: Range<Int32>) -> Set<TopicPartition> {
    Set(range.map { TopicPartition(topic, $0) })
}

/// A metadata database in a fresh temp directory.
final class TempDatabase: Sendable {
    let directory: TemporaryDirectory
    var path: String { directory.appending("spool.sqlite") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "spool-groups")
    }

    func open(synchronous: SynchronousMode = .full) throws -> MetadataStore {
        try MetadataStore.open(path: path, synchronous: synchronous, logger: quietLogger)
    }
}
