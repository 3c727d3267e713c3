// SPDX-License-Identifier: Apache-2.0
// `spool groups list [--json]`: every known group, also those without live members.
import ArgumentParser
import Spool

struct GroupsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the consumer groups.",
        discussion: """
            Text: 'group: G state: S members: N generation: G assignor: A' per group. With \
            --json, one object per line: {"group","state","members","generation","assignor"}.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let out = StandardOutput()
            for g in try spool.listGroups().sorted(by: { $0.group < $1.group }) {
                if output.json {
                    var line = JSONObjectLine()
                    line.field("group", string: g.group)
                    line.field("state", string: g.state)
                    line.field("members", g.memberCount)
                    line.field("generation", g.generation)
                    line.field("assignor", string: g.assignor)
                    try out.line(line.rendered)
                } else {
                    try out.line("group: \(g.group) state: \(g.state) members: \(g.memberCount) "
                        + "generation: \(g.generation) assignor: \(g.assignor)")
                }
            }
            try out.flush()
        }
    }
}
