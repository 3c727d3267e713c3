// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the black-box API tests: a Spool in its own temporary
// directory, fast consumer options, bounded waits, and collecting records
// from a group consumer. Only the public `Spool` API is used.
import Spool
import SpoolTestSupport
import Testing

/// A test failed to reach a state within its bound (the bound only stops a
/// hung test; no test asserts how fast something happened).
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A `Spool` opened in a fresh temporary directory, removed at the end.
final class SpoolFixture: Sendable {
    let directory: TemporaryDirectory
    let spool: Spool

    init(configuration: Configuration = SpoolFixture.fastConfiguration()) throws {
        directory = try TemporaryDirectory(prefix: "spool-api")
        spool = try Spool.open(at: directory.appending("data"), configuration: configuration)
    }

    /// The data directory path (for reopening).
    var path: String { directory.appending("data") }

    /// `.none` durability (a process crash still loses nothing) and a short
    /// maintenance period, so session expiry and flushes run often.
    static func fastConfiguration() -> Configuration {
        var c = Configuration()
        c.durability = .none
        c.maintenanceIntervalMs = 100
        return c
    }

    deinit { try? spool.close() }
}

extension ConsumerOptions {
    /// Small timeouts so rebalances settle quickly. Session timeout well above
    /// the heartbeat so a loaded 2-core machine does not expire members.
    static func fast(instanceID: String? = nil, sessionTimeoutMs: Int = 10_000, maxPollIntervalMs: Int = 60_000,
                     assignor: Assignor = .range) -> ConsumerOptions {
        ConsumerOptions(instanceID: instanceID, autoOffsetReset: .earliest, sessionTimeoutMs: sessionTimeoutMs,
                        heartbeatIntervalMs: 50, maxPollIntervalMs: maxPollIntervalMs, assignor: assignor)
    }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}

/// Runs `body`, cancelling it and throwing `TimedOut` after `seconds`.
func withDeadline<T: Sendable>(_ seconds: Double = 30, _ what: String,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(what: what) }
        return value
    }
}

/// A record as plain values, so records from different fetches compare.
struct Seen: Sendable, Hashable, CustomStringConvertible {
    var partition: Int
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var timestamp: Int64
    var headers: [Header]

    init(_ r: ConsumedRecord) {
        partition = r.partition
        offset = r.offset
        key = r.key?.array
        value = r.value?.array
        timestamp = r.timestamp
        headers = r.headers
    }

    var position: Position { Position(partition: partition, offset: offset) }
    var description: String { "\(partition)@\(offset)" }
}

/// A record's place in a topic.
struct Position: Sendable, Hashable, Comparable, CustomStringConvertible {
    var partition: Int
    var offset: Int64
    static func < (a: Position, b: Position) -> Bool {
        a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset
    }
    var description: String { "\(partition)@\(offset)" }
}

extension GroupConsumer {
    /// Consumes batches, committing each after it is recorded, until `count`
    /// records arrived (then stops without fetching more).
    func consume(count: Int, seconds: Double = 30) async throws -> [Seen] {
        try await withDeadline(seconds, "\(count) records in group \(group)") {
            var seen: [Seen] = []
            guard count > 0 else { return seen }
            for try await batch in self.batches {
                for r in batch { seen.append(Seen(r)) }
                try await self.commit(batch)
                if seen.count >= count { break }
            }
            return seen
        }
    }
}

extension Spool {
    /// Every record of a partition from `offset` to its current end, by plain reads.
    func readAll(topic: String, partition: Int, from offset: Int64 = 0) throws -> [Seen] {
        let end = try offsets(topic: topic, partition: partition).end
        var next = offset
        var out: [Seen] = []
        while next < end {
            let batch = try read(topic: topic, partition: partition, from: next)
            guard !batch.isEmpty else { break }
            for r in batch { out.append(Seen(r)) }
            next = batch.nextOffset
        }
        return out
    }

    /// Sum of end offsets over a topic's partitions.
    func totalRecords(_ topic: String) throws -> Int64 {
        try describeTopic(topic).partitions.reduce(0) { $0 + $1.endOffset - $1.startOffset }
    }
}

/// Waits until every consumer's assignment is stable and together they own
/// exactly `partitions` partitions with no overlap.
func waitForBalancedAssignment(_ consumers: [GroupConsumer], partitions: Int, seconds: Double = 20) async -> Bool {
    await eventually(seconds) {
        let all = consumers.flatMap(\.assignment)
        let low = partitions / consumers.count
        let high = low + (partitions % consumers.count == 0 ? 0 : 1)
        return all.count == partitions && Set(all).count == partitions
            && consumers.allSatisfy { (low...high).contains($0.assignment.count) }
    }
}

/// Expects `body` to throw a `SpoolError` with `code`.
func expectSpoolError<T>(_ code: SpoolError.Code, _ comment: Comment? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected SpoolError \(code), nothing was thrown. \(comment?.rawValue ?? "")",
                     sourceLocation: sourceLocation)
    } catch let error as SpoolError {
        #expect(error.code == code, "\(error) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected SpoolError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
