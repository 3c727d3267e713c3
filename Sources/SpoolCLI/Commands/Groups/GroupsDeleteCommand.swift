// SPDX-License-Identifier: Apache-2.0
// `spool groups delete G`: removes the group and its committed offsets.
// Refused while the group has live members.
import ArgumentParser
import Spool

struct GroupsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a consumer group and its committed offsets (it must have no live members).")

    @Argument(help: ArgumentHelp("The group id.", valueName: "group"))
    var group: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            try spool.deleteGroup(group)
            let out = StandardOutput()
            try out.line("deleted group \(group)")
            try out.flush()
        }
    }
}
