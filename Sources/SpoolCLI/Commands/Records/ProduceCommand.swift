// SPDX-License-Identifier: Apache-2.0
// `spool produce TOPIC`: one record per line of standard input. Lines are
// sent in batches (up to 1000 records or about 900 KB per `send`), and a
// batch is also sent whenever reading more input would block, so lines
// typed at a terminal are produced as they are entered while piped input
// is sent in large batches. A failed send stops the command (exit 1): every
// line before the failed batch was produced, none after it.
import ArgumentParser
import Spool

struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce one record per line of standard input.",
        discussion: """
            Without --key or --key-separator records have no key and go to one partition per \
            batch, chosen round-robin; keyed records go to murmur2(key) % partitions (as the \
            Kafka Java client). With --print-offsets, prints 'partition offset' per record, in \
            input order, after each batch is acknowledged.
            """)

    static let maxRecordsPerSend = 1000
    /// Stays below the default 1 MiB batch limit including record overhead.
    static let maxBytesPerSend = 900_000
    /// Upper bound of a record's framing (length, attributes, deltas, counts as varints).
    private static let recordOverhead = 32

    @Argument(help: ArgumentHelp("The topic to produce to.", valueName: "topic"))
    var topic: String

    @Option(help: ArgumentHelp("The key of every record (UTF-8).", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("Send every record to this partition (overrides the key).", valueName: "partition"))
    var partition: Int?

    @Option(help: ArgumentHelp(
        "Split each line at the first SEP into key and value (a line without SEP is an error).", valueName: "sep"))
    var keySeparator: String?

    @Flag(help: "Print 'partition offset' for every record produced.")
    var printOffsets = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if key != nil, keySeparator != nil {
            throw ValidationError("--key and --key-separator cannot be used together")
        }
        if let keySeparator, keySeparator.isEmpty { throw ValidationError("--key-separator must not be empty") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
    }

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            // Unknown topic or partition: fail before waiting for input.
            let description = try spool.describeTopic(topic)
            if let partition, partition >= description.partitionCount {
                throw CLIError.runtime(
                    "topic '\(topic)' has no partition \(partition) (it has \(description.partitionCount))")
            }
            var batch = PendingBatch(producer: spool.producer(), topic: topic,
                                     out: printOffsets ? StandardOutput() : nil)
            let input = StandardInputLines()
            let fixedKey = key.map { Array($0.utf8) }
            let separator = keySeparator.map { Array($0.utf8) }
            while true {
                if let line = input.nextBufferedLine() {
                    let record = try await makeRecord(line, number: input.lineNumber, fixedKey: fixedKey,
                                                separator: separator, pending: &batch)
                    try await batch.add(record, line: input.lineNumber)
                    continue
                }
                // About to block (or at EOF): send what we have.
                try await batch.send()
                guard try input.fill() else { break }
            }
            if let line = input.finalLine() {
                let record = try await makeRecord(line, number: input.lineNumber, fixedKey: fixedKey,
                                            separator: separator, pending: &batch)
                try await batch.add(record, line: input.lineNumber)
            }
            try await batch.send()
        }
    }

    private func makeRecord(_ line: [UInt8], number: Int, fixedKey: [UInt8]?, separator: [UInt8]?,
                            pending: inout PendingBatch) async throws -> Record {
        guard let separator else { return Record(key: fixedKey, value: line, partition: partition) }
        guard let at = Self.firstIndex(of: separator, in: line) else {
            // Lines before this one are produced; this one and later ones are not.
            try await pending.send()
            throw CLIError.runtime("line \(number) has no key separator '\(keySeparator ?? "")'")
        }
        return Record(key: Array(line[..<at]), value: Array(line[(at + separator.count)...]), partition: partition)
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Records read but not yet sent.
    private struct PendingBatch {
        let producer: Producer
        let topic: String
        let out: StandardOutput?
        var records: [Record] = []
        var bytes = 0
        var firstLine = 0

        init(producer: Producer, topic: String, out: StandardOutput?) {
            self.producer = producer
            self.topic = topic
            self.out = out
            records.reserveCapacity(ProduceCommand.maxRecordsPerSend)
        }

        mutating func add(_ record: Record, line: Int) async throws {
            let size = (record.key?.count ?? 0) + (record.value?.count ?? 0) + ProduceCommand.recordOverhead
            if !records.isEmpty, bytes + size > ProduceCommand.maxBytesPerSend { try await send() }
            if records.isEmpty { firstLine = line }
            records.append(record)
            bytes += size
            if records.count >= ProduceCommand.maxRecordsPerSend { try await send() }
        }

        mutating func send() async throws {
            guard !records.isEmpty else { return }
            let receipts: [Receipt]
            do {
                receipts = try await producer.send(records, to: topic)
            } catch let error as SpoolError where error.code == .recordTooLarge && records.count == 1 {
                throw CLIError.runtime("line \(firstLine) is too large for one record: \(CLIError.spoolMessage(error))")
            }
            records.removeAll(keepingCapacity: true)
            bytes = 0
            if let out {
                for r in receipts { try out.line("\(r.partition) \(r.offset)") }
                try out.flush()
            }
        }
    }
}
