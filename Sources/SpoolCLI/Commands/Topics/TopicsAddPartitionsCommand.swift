// SPDX-License-Identifier: Apache-2.0
// `spool topics add-partitions NAME --count N`: grows the topic to N
// partitions in total (as Kafka's `--alter --partitions N`); never shrinks.
import ArgumentParser
import Spool

struct TopicsAddPartitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-partitions",
        abstract: "Grow a topic to a new total number of partitions.",
        discussion: """
            N is the new total, not the number to add; it must not be below the current count. \
            Groups subscribed to the topic rebalance to cover the new partitions. Keyed records \
            map to the new partitions from now on.
            """)

    @Argument(help: ArgumentHelp("The topic name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The new total number of partitions.", valueName: "n"))
    var count: Int

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let before = try spool.describeTopic(name).partitionCount
            try spool.addPartitions(name, count: count)
            let out = StandardOutput()
            if before == count {
                try out.line("topic \(name) already has \(count) partition\(count == 1 ? "" : "s")")
            } else {
                try out.line("topic \(name) now has \(count) partitions (was \(before))")
            }
            try out.flush()
        }
    }
}
