// SPDX-License-Identifier: Apache-2.0
// `spool groups <subcommand>`: list, describe, reset-offsets, delete.
import ArgumentParser

struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "List, describe, reset and delete consumer groups.",
        subcommands: [
            GroupsListCommand.self,
            GroupsDescribeCommand.self,
            GroupsResetOffsetsCommand.self,
            GroupsDeleteCommand.self,
        ])

    func run() async throws {
        throw CLIError.usage("missing subcommand (see 'spool groups --help')")
    }
}
