// SPDX-License-Identifier: Apache-2.0
// `spool topics <subcommand>`: create, list, describe, add-partitions, delete.
import ArgumentParser

struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create, list, describe, grow and delete topics.",
        subcommands: [
            TopicsCreateCommand.self,
            TopicsListCommand.self,
            TopicsDescribeCommand.self,
            TopicsAddPartitionsCommand.self,
            TopicsDeleteCommand.self,
        ])

    func run() async throws {
        throw CLIError.usage("missing subcommand (see 'spool topics --help')")
    }
}
