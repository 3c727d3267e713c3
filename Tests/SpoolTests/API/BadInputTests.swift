// SPDX-License-Identifier: Apache-2.0
// Bad input through the public API: typed errors with a message, and
// nothing on disk changes.
#if canImport(Glibc)
import Glibc
#endif
import Spool
import SpoolTestSupport
import Testing

/// Every path under `root` with its size (directories as -1), sorted: a
/// fingerprint of "nothing on disk changed". Skips SQLite's shared-memory
/// and WAL files, whose sizes change on reads.
func directorySnapshot(_ root: String) -> [String] {
    var out: [String] = []
    func walk(_ path: String, _ relative: String) {
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." || name.hasSuffix("-shm") || name.hasSuffix("-wal") { continue }
            let full = path + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                out.append("\(rel)/ -1")
                walk(full, rel)
            } else {
                out.append("\(rel) \(st.st_size)")
            }
        }
    }
    walk(root, "")
    return out.sorted()
}

@Suite("Bad input: typed errors, nothing on disk changes", .timeLimit(.minutes(1)))
struct BadInputTests {
    @Test("an unknown topic is refused by send, read, describe, add-partitions, delete and consumer")
    func unknownTopic() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        let before = directorySnapshot(f.path)
        await expectSpoolError(.unknownTopic) { try await f.spool.producer().send(Record(value: "x"), to: "nope") }
        await expectSpoolError(.unknownTopic) { try f.spool.read(topic: "nope", partition: 0, from: 0) }
        await expectSpoolError(.unknownTopic) { try f.spool.describeTopic("nope") }
        await expectSpoolError(.unknownTopic) { try f.spool.addPartitions("nope", count: 3) }
        await expectSpoolError(.unknownTopic) { try f.spool.deleteTopic("nope") }
        await expectSpoolError(.unknownTopic) { try await f.spool.consumer(group: "g", topics: ["orders", "nope"]) }
        #expect(try f.spool.listGroups().isEmpty, "a refused consumer must not create its group")
        #expect(directorySnapshot(f.path) == before)
    }

    @Test("a consumer of a deleted topic is refused")
    func deletedTopic() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        _ = try await f.spool.producer().send(Record(key: "a", value: "x"), to: "orders")
        try f.spool.deleteTopic("orders")
        #expect(try f.spool.listTopics().isEmpty)
        await expectSpoolError(.unknownTopic) { try await f.spool.consumer(group: "g", topics: ["orders"]) }
        await expectSpoolError(.unknownTopic) { try f.spool.read(topic: "orders", partition: 0, from: 0) }
        // The name is free again, and the new topic starts empty.
        try f.spool.createTopic("orders", partitions: 1)
        #expect(try f.spool.offsets(topic: "orders", partition: 0).end == 0)
    }

    @Test("invalid topic names are refused and create nothing",
          arguments: ["..", ".", "a/b", "", String(repeating: "x", count: 250), "with space", "ü", "../escape"])
    func invalidTopicName(name: String) async throws {
        let f = try SpoolFixture()
        let before = directorySnapshot(f.path)
        await expectSpoolError(.invalidTopicName, "name '\(name)'") { try f.spool.createTopic(name, partitions: 1) }
        #expect(try f.spool.listTopics().isEmpty)
        #expect(directorySnapshot(f.path) == before)
    }

    @Test("the longest valid topic name (249 characters) and every allowed character are accepted")
    func validTopicNames() async throws {
        let f = try SpoolFixture()
        let long = String(repeating: "x", count: 249)
        try f.spool.createTopic(long, partitions: 1)
        try f.spool.createTopic("Az09._-", partitions: 1)
        #expect(try f.spool.listTopics().map(\.name) == ["Az09._-", long])
        await expectSpoolError(.topicAlreadyExists) { try f.spool.createTopic(long, partitions: 2) }
        await expectSpoolError(.invalidPartitionCount) { try f.spool.createTopic("zero", partitions: 0) }
        await expectSpoolError(.invalidPartitionCount) { try f.spool.addPartitions(long, count: 0) }
    }

    @Test("a partition out of range is refused by send and read, and nothing is written")
    func partitionOutOfRange() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 6)
        let before = directorySnapshot(f.path)
        let producer = f.spool.producer()
        await expectSpoolError(.unknownPartition) { try await producer.send(Record(value: "x", partition: 6), to: "orders") }
        await expectSpoolError(.unknownPartition) { try await producer.send(Record(value: "x", partition: -1), to: "orders") }
        // One bad record spoils the whole call: the good one is not written either.
        await expectSpoolError(.unknownPartition) {
            try await producer.send([Record(value: "good", partition: 0), Record(value: "bad", partition: 99)], to: "orders")
        }
        await expectSpoolError(.unknownPartition) { try f.spool.read(topic: "orders", partition: 6, from: 0) }
        await expectSpoolError(.unknownPartition) { try f.spool.read(topic: "orders", partition: -1, from: 0) }
        await expectSpoolError(.unknownPartition) { try f.spool.offsets(topic: "orders", partition: 6) }
        #expect(try f.spool.totalRecords("orders") == 0)
        #expect(directorySnapshot(f.path) == before)
    }

    @Test("reading at an offset beyond the end is refused with the valid range")
    func offsetOutOfRange() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        _ = try await f.spool.producer().send((0..<3).map { Record(value: "r\($0)") }, to: "orders")
        #expect(try f.spool.read(topic: "orders", partition: 0, from: 3).isEmpty, "the end itself is a valid empty read")
        await expectSpoolError(.offsetOutOfRange) { try f.spool.read(topic: "orders", partition: 0, from: 4) }
        await expectSpoolError(.offsetOutOfRange) { try f.spool.read(topic: "orders", partition: 0, from: -1) }
    }

    @Test("a record larger than maxBatchBytes is refused and nothing is written, in any partition")
    func oversizedRecord() async throws {
        var configuration = SpoolFixture.fastConfiguration()
        configuration.maxBatchBytes = 1024
        let f = try SpoolFixture(configuration: configuration)
        try f.spool.createTopic("orders", partitions: 2)
        let before = directorySnapshot(f.path)
        let producer = f.spool.producer()
        let big = [UInt8](repeating: 7, count: 2000)
        await expectSpoolError(.recordTooLarge) { try await producer.send(Record(value: big), to: "orders") }
        await expectSpoolError(.recordTooLarge) {
            try await producer.send([Record(value: Array("small".utf8), partition: 0), Record(value: big, partition: 1)],
                                    to: "orders")
        }
        // Many small records that together exceed the limit in one partition.
        await expectSpoolError(.recordTooLarge) {
            try await producer.send((0..<20).map { _ in Record(value: [UInt8](repeating: 1, count: 100), partition: 0) },
                                    to: "orders")
        }
        #expect(try f.spool.totalRecords("orders") == 0)
        #expect(directorySnapshot(f.path) == before)
        // Within the limit it works.
        let ok = try await producer.send(Record(value: [UInt8](repeating: 7, count: 500), partition: 1), to: "orders")
        #expect(ok.offset == 0)
    }

    @Test("after close every call throws .closed; close is idempotent")
    func useAfterClose() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        let producer = f.spool.producer()
        let consumer = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        try await consumer.close()
        try await consumer.close()
        await expectSpoolError(.closed) { try await consumer.commit() }
        var iterator = consumer.batches.makeAsyncIterator()
        #expect(try await iterator.next() == nil, "a closed consumer's batches end")

        try f.spool.close()
        try f.spool.close()
        #expect(f.spool.isClosed)
        await expectSpoolError(.closed) { try f.spool.createTopic("x", partitions: 1) }
        await expectSpoolError(.closed) { try f.spool.listTopics() }
        await expectSpoolError(.closed) { try f.spool.describeTopic("orders") }
        await expectSpoolError(.closed) { try await producer.send(Record(value: "x"), to: "orders") }
        await expectSpoolError(.closed) { try f.spool.read(topic: "orders", partition: 0, from: 0) }
        await expectSpoolError(.closed) { try await f.spool.consumer(group: "g", topics: ["orders"]) }
        await expectSpoolError(.closed) { try f.spool.listGroups() }
        await expectSpoolError(.closed) { try f.spool.verify() }
    }

    @Test("closing the Spool ends waiting group and plain iterations instead of leaving them hanging")
    func closeEndsIterations() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 2)
        let consumer = try await f.spool.consumer(group: "g", topics: ["orders"], options: .fast())
        let plain = try f.spool.batches(topic: "orders", partition: 0, from: .latest)
        let group = Task {
            var n = 0
            for try await _ in consumer.batches { n += 1 }
            return n
        }
        let reader = Task {
            var n = 0
            for try await _ in plain { n += 1 }
            return n
        }
        try await Task.sleep(for: .milliseconds(100))  // let both reach their wait
        try f.spool.close()
        let ended = try await withDeadline(20, "iterations to end after close") {
            (try await group.value, try await reader.value)
        }
        #expect(ended.0 == 0)
        #expect(ended.1 == 0)
    }

    @Test("a directory that is not a Spool data directory is refused and left untouched")
    func notASpoolDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "spool-api-foreign")
        let file = directory.appending("notes.txt")
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        _ = "important".withCString { write(fd, $0, 9) }
        close(fd)
        let before = directorySnapshot(directory.path)
        let error1 = #expect(throws: SpoolError.self) { _ = try Spool.open(at: directory.path) }
        #expect(error1?.code == .notASpoolDirectory, "\(String(describing: error1))")
        #expect(directorySnapshot(directory.path) == before)
        // A regular file where the directory should be.
        let error2 = #expect(throws: SpoolError.self) { _ = try Spool.open(at: file) }
        #expect(error2?.code == .notASpoolDirectory, "\(String(describing: error2))")
        #expect(directorySnapshot(directory.path) == before)
    }

    @Test("a directory held by another open Spool is refused with .directoryLocked until it closes")
    func directoryLocked() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        _ = try await f.spool.producer().send(Record(value: "x"), to: "orders")
        let before = directorySnapshot(f.path)
        let error3 = #expect(throws: SpoolError.self) { _ = try Spool.open(at: f.path) }
        #expect(error3?.code == .directoryLocked, "\(String(describing: error3))")
        #expect(directorySnapshot(f.path) == before)
        // The first instance is unharmed.
        #expect(try f.spool.offsets(topic: "orders", partition: 0).end == 1)
        try f.spool.close()
        let second = try Spool.open(at: f.path)
        #expect(try second.offsets(topic: "orders", partition: 0).end == 1)
        try second.close()
    }

    @Test("consumer options that cannot work are refused")
    func invalidConsumerOptions() async throws {
        let f = try SpoolFixture()
        try f.spool.createTopic("orders", partitions: 1)
        await expectSpoolError(.invalidArgument) {
            try await f.spool.consumer(group: "g", topics: ["orders"],
                                       options: ConsumerOptions(sessionTimeoutMs: 100, heartbeatIntervalMs: 200))
        }
        await expectSpoolError(.invalidArgument) { try await f.spool.consumer(group: "", topics: ["orders"]) }
        await expectSpoolError(.invalidArgument) { try await f.spool.consumer(group: "g", topics: []) }
    }
}
