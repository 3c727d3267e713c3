// SPDX-License-Identifier: Apache-2.0
// `spool groups reset-offsets G --topic T (--to-earliest|--to-latest|--to-offset O)`:
// sets the group's committed offset of every partition of T. Refused while
// the group has live members (stop its consumers first).
import ArgumentParser
import Spool

struct GroupsResetOffsetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-offsets",
        abstract: "Move a group's committed offsets of a topic (the group must have no live members).",
        discussion: """
            Exactly one of --to-earliest, --to-latest, --to-offset. --to-offset applies to every \
            partition of the topic and must lie within each partition's [start, end]. Prints \
            'partition: TOPIC-P committed: O' per partition. Creates the group if it does not exist.
            """)

    @Argument(help: ArgumentHelp("The group id.", valueName: "group"))
    var group: String

    @Option(help: ArgumentHelp("The topic whose offsets to reset.", valueName: "topic"))
    var topic: String

    @Flag(help: "Reset to the first retained offset (consume everything again).")
    var toEarliest = false

    @Flag(help: "Reset to the end (skip everything produced so far).")
    var toLatest = false

    @Option(help: ArgumentHelp("Reset every partition of the topic to this offset.", valueName: "offset"))
    var toOffset: Int64?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        let chosen = [toEarliest, toLatest, toOffset != nil].filter { $0 }.count
        if chosen != 1 { throw ValidationError("give exactly one of --to-earliest, --to-latest, --to-offset") }
        if let toOffset, toOffset < 0 { throw ValidationError("--to-offset must be 0 or more") }
        if group.isEmpty { throw ValidationError("the group id must not be empty") }
    }

    private var target: Spool.OffsetTarget {
        if toEarliest { return .earliest }
        if toLatest { return .latest }
        return .offset(toOffset ?? 0)
    }

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            do {
                try spool.resetOffsets(group: group, topic: topic, to: target)
            } catch let error as SpoolError where error.code == .groupNotEmpty {
                throw CLIError.runtime("\(CLIError.spoolMessage(error)); stop its consumers before resetting offsets")
            }
            let info = try spool.describeGroup(group)
            let out = StandardOutput()
            for p in info.partitions where p.partition.topic == topic {
                try out.line("partition: \(p.partition) committed: \(p.committedOffset.map { String($0) } ?? "-")")
            }
            try out.flush()
        }
    }
}
