// SPDX-License-Identifier: Apache-2.0
// A child process for the kill -9 test (Tests/SpoolTests/API/CrashRestartTests.swift):
// opens a Spool, then loops forever producing a batch and consuming one batch
// through a static group member, reporting what became durable on stdout
// with one write(2) per report, so a SIGKILL never hides an acknowledged fact:
//
//   ACK <partition> <offset>      after `send` returned for that record
//   COMMIT <partition> <offset>   after `commit` returned (offset = next to consume)
//
// Usage: SpoolCrashHelper DIR [--topic T] [--partitions N] [--group G]
//        [--instance ID] [--batch N]
// Exit: never on its own while healthy; 1 with a line on stderr on error,
// 2 on a usage error.
#if canImport(Glibc)
import Glibc
#endif
import Spool

struct HelperOptions {
    var directory = ""
    var topic = "orders"
    var partitions = 3
    var group = "crash-group"
    var instanceID = "crash-helper-1"
    var batch = 10

    static func parse(_ arguments: [String]) -> HelperOptions? {
        var o = HelperOptions()
        var rest = arguments[...]
        guard let directory = rest.popFirst(), !directory.hasPrefix("--") else { return nil }
        o.directory = directory
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--topic": o.topic = value
            case "--partitions": guard let n = Int(value), n > 0 else { return nil }; o.partitions = n
            case "--group": o.group = value
            case "--instance": o.instanceID = value
            case "--batch": guard let n = Int(value), n > 0 else { return nil }; o.batch = n
            default: return nil
            }
        }
        return o
    }
}

/// Writes `line` with a single write(2) loop (no user-space buffering).
func emit(_ line: String, to fd: Int32 = 1) {
    var text = line
    text.withUTF8 { buffer in
        guard var p = UnsafeRawPointer(buffer.baseAddress) else { return }
        var left = buffer.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            p += n
            left -= n
        }
    }
}

func run(_ o: HelperOptions) async throws {
    var configuration = Configuration()
    configuration.durability = .fsyncEachBatch
    configuration.maintenanceIntervalMs = 100
    let spool = try Spool.open(at: o.directory, configuration: configuration)
    if try !spool.listTopics().contains(where: { $0.name == o.topic }) {
        try spool.createTopic(o.topic, partitions: o.partitions)
    }
    let consumer = try await spool.consumer(
        group: o.group, topics: [o.topic],
        options: ConsumerOptions(instanceID: o.instanceID, autoOffsetReset: .earliest, sessionTimeoutMs: 3_000,
                                 heartbeatIntervalMs: 100))
    let producer = spool.producer()
    let run = getpid()
    var sequence = 0
    var batches = consumer.batches.makeAsyncIterator()
    while true {
        let records = (0..<o.batch).map { i in
            Record(key: "run\(run)-\(sequence + i)", value: "run\(run)-\(sequence + i)")
        }
        sequence += o.batch
        let receipts = try await producer.send(records, to: o.topic)
        emit(receipts.map { "ACK \($0.partition) \($0.offset)\n" }.joined())
        // There is data (just produced), so this returns without a long wait.
        guard let batch = try await batches.next() else { return }
        try await consumer.commit(batch)
        emit("COMMIT \(batch.partition) \(batch.nextOffset)\n")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let options = HelperOptions.parse(arguments) else {
    emit("usage: SpoolCrashHelper DIR [--topic T] [--partitions N] [--group G] [--instance ID] [--batch N]\n", to: 2)
    exit(2)
}
do {
    try await run(options)
} catch {
    emit("SpoolCrashHelper: error: \(error)\n", to: 2)
    exit(1)
}
