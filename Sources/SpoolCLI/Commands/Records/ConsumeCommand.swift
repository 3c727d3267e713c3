// SPDX-License-Identifier: Apache-2.0
// `spool consume TOPIC`: prints records, one per line. Without --group it
// reads one partition (--partition) or all of them in turn, from the end
// (default), the beginning (--from-beginning) or an offset (--offset). With
// --group it joins the group, prints the partitions the group assigns it,
// commits each batch right after printing it (so a second run continues
// after what was printed), and leaves the group at the end.
//
// It stops after --max-messages records, or when no record arrived for
// --timeout-ms (default 1000 ms, also with --max-messages), or on the first
// SIGINT/SIGTERM (a second one kills it). It never waits without a limit:
// the data directory is locked while the command runs, so no other process
// can append and waiting longer could not print more. The one bounded
// exception: while the group still assigns partitions of the topic to a
// static member of an earlier process (an application's consumer with an
// instance id), it waits for that member's session to time out. Stopping in any of these ways is success (exit 0).
import ArgumentParser
import Spool

struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print records of a topic, alone or as a member of a consumer group.",
        discussion: """
            Text output prints each value as it is ('null' for a null value). With --json, one \
            object per record: topic, partition, offset, timestamp, key, value, headers; bytes that \
            are not UTF-8 appear as keyBase64 / valueBase64. With --group, a group with no \
            committed offset starts at the end, or at the beginning with --from-beginning \
            (Kafka's auto.offset.reset), and each printed batch is committed.
            """)

    static let defaultTimeoutMs = 1000

    @Argument(help: ArgumentHelp("The topic to consume.", valueName: "topic"))
    var topic: String

    @Option(help: ArgumentHelp("Consume as a member of this consumer group and commit what is printed.",
                               valueName: "group"))
    var group: String?

    @Flag(help: "Start at the first retained record (with --group: when the group has no committed offset).")
    var fromBeginning = false

    @Option(help: ArgumentHelp("Read only this partition (not with --group).", valueName: "partition"))
    var partition: Int?

    @Option(help: ArgumentHelp("Start at this offset (requires --partition).", valueName: "offset"))
    var offset: Int64?

    @Option(help: ArgumentHelp("Stop after printing this many records.", valueName: "n"))
    var maxMessages: Int?

    @Option(help: ArgumentHelp("Stop when no record arrived for this long.", valueName: "ms"))
    var timeoutMs: Int = ConsumeCommand.defaultTimeoutMs

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if group != nil, partition != nil || offset != nil {
            throw ValidationError("--partition and --offset cannot be used with --group (the group assigns partitions)")
        }
        if offset != nil, partition == nil { throw ValidationError("--offset requires --partition") }
        if offset != nil, fromBeginning { throw ValidationError("--offset and --from-beginning cannot be used together") }
        if let group, group.isEmpty { throw ValidationError("--group must not be empty") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
        if let offset, offset < 0 { throw ValidationError("--offset must be 0 or more") }
        if let maxMessages, maxMessages < 1 { throw ValidationError("--max-messages must be at least 1") }
        if timeoutMs < 1 { throw ValidationError("--timeout-ms must be at least 1") }
    }

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let description = try spool.describeTopic(topic)
            let limit = maxMessages ?? Int.max
            let json = output.json
            let topic = self.topic
            if let group {
                let options = Self.consumerOptions(fromBeginning: fromBeginning)
                let abandoned = AbandonedPartitions(spool: spool, group: group, topic: topic)
                try await IdleTimeout.run(milliseconds: timeoutMs, stillWaiting: { abandoned.stillWaiting() }) { idle in
                    try await Self.consume(spool: spool, group: group, topic: topic, options: options, limit: limit,
                                           json: json, idle: idle, abandoned: abandoned)
                }
            } else {
                let partitions = partition.map { [$0] } ?? Array(0..<description.partitionCount)
                let start: ReadStart = offset.map { .offset($0) } ?? (fromBeginning ? .earliest : .latest)
                let starts = try PartitionReader.startPositions(spool: spool, topic: topic, partitions: partitions,
                                                                from: start)
                try await IdleTimeout.run(milliseconds: timeoutMs) { idle in
                    var reader = try PartitionReader(spool: spool, topic: topic, starts: starts)
                    try await Self.consume(reader: &reader, limit: limit, json: json, idle: idle)
                }
            }
        }
    }

    /// A dynamic member: if this process is killed, the next open of the
    /// directory removes it, so nothing waits for its session.
    static func consumerOptions(fromBeginning: Bool) -> ConsumerOptions {
        ConsumerOptions(clientID: "spool-cli", autoOffsetReset: fromBeginning ? .earliest : .latest)
    }

    private static func consume(reader: inout PartitionReader, limit: Int, json: Bool, idle: IdleTimeout) async throws {
        let printer = RecordPrinter(json: json, out: StandardOutput())
        var printed = 0
        while printed < limit, let batch = try await reader.next() {
            for record in batch {
                try printer.print(record)
                printed += 1
                if printed == limit { break }
            }
            try printer.out.flush()
            idle.touch()
        }
    }

    /// Prints, flushes, then commits exactly what was printed (the next
    /// offset after the last printed record), batch by batch.
    private static func consume(spool: Spool, group: String, topic: String, options: ConsumerOptions, limit: Int,
                                json: Bool, idle: IdleTimeout, abandoned: AbandonedPartitions) async throws {
        let consumer = try await spool.consumer(group: group, topics: [topic], options: options)
        abandoned.attach(consumer)
        idle.touch()
        do {
            let printer = RecordPrinter(json: json, out: StandardOutput())
            var printed = 0
            for try await batch in consumer.batches {
                var last: ConsumedRecord?
                for record in batch {
                    try printer.print(record)
                    printed += 1
                    last = record
                    if printed == limit { break }
                }
                try printer.out.flush()
                if let last {
                    if last.offset == batch.lastOffset {
                        try await consumer.commit(batch)
                    } else {
                        try await consumer.commit(last)
                    }
                }
                idle.touch()
                if printed >= limit { break }
            }
        } catch {
            try? await consumer.close()
            throw error
        }
        try await consumer.close()
    }
}
