// SPDX-License-Identifier: Apache-2.0
// `spool topics delete NAME`: removes the topic, its data and every group's
// committed offsets for it.
import ArgumentParser
import Spool

struct TopicsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a topic, its data and the groups' committed offsets for it.")

    @Argument(help: ArgumentHelp("The topic name.", valueName: "name"))
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            try spool.deleteTopic(name)
            let out = StandardOutput()
            try out.line("deleted topic \(name)")
            try out.flush()
        }
    }
}
