// SPDX-License-Identifier: Apache-2.0
// `spool groups describe G [--json]`: members and their assignment, then per
// partition the owner, committed offset, end offset and lag. Works for a
// group with no live members (its committed offsets and lag are still known).
import ArgumentParser
import Spool

struct GroupsDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a group's members, assignment, committed offsets, end offsets and lag.",
        discussion: """
            Text: a 'group:' line; a 'warning:' line when members subscribe to different topic \
            sets (two services sharing one group id); one 'member:' line per member; one \
            'partition:' line per partition (committed/lag '-' when never committed); a \
            'total lag:' line. With --json, one object: {"group","state","generation","assignor",\
            "warning","members":[...],"partitions":[...],"totalLag"}.
            """)

    @Argument(help: ArgumentHelp("The group id.", valueName: "group"))
    var group: String

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let info = try spool.describeGroup(group)
            let out = StandardOutput()
            if output.json {
                try out.line(Self.json(info).rendered)
            } else {
                for line in Self.text(info) { try out.line(line) }
            }
            try out.flush()
        }
    }

    static func text(_ info: GroupInfo) -> [String] {
        var lines = ["group: \(info.group) state: \(info.state) generation: \(info.generation) "
            + "assignor: \(info.assignor) members: \(info.members.count)"]
        if let warning = info.sharedGroupIDWarning { lines.append("warning: \(warning)") }
        for m in info.members {
            lines.append("member: \(m.memberID) client: \(m.clientID) instance: \(m.instanceID ?? "-") "
                + "presence: \(m.presence.rawValue) subscription: \(list(m.subscription)) "
                + "assigned: \(list(m.assigned.map(\.description))) revoking: \(list(m.revoking.map(\.description)))")
        }
        for p in info.partitions {
            lines.append("partition: \(p.partition) owner: \(p.owner ?? "-") "
                + "committed: \(number(p.committedOffset)) end: \(number(p.endOffset)) lag: \(number(p.lag))")
        }
        lines.append("total lag: \(info.totalLag)")
        return lines
    }

    static func json(_ info: GroupInfo) -> JSONObjectLine {
        var line = JSONObjectLine()
        line.field("group", string: info.group)
        line.field("state", string: info.state)
        line.field("generation", info.generation)
        line.field("assignor", string: info.assignor)
        line.field("warning", optionalString: info.sharedGroupIDWarning)
        line.field("members", objects: info.members.map { m in
            var o = JSONObjectLine()
            o.field("memberID", string: m.memberID)
            o.field("clientID", string: m.clientID)
            o.field("instanceID", optionalString: m.instanceID)
            o.field("presence", string: m.presence.rawValue)
            o.field("subscription", strings: m.subscription)
            o.field("assigned", strings: m.assigned.map(\.description))
            o.field("revoking", strings: m.revoking.map(\.description))
            return o
        })
        line.field("partitions", objects: info.partitions.map { p in
            var o = JSONObjectLine()
            o.field("topic", string: p.partition.topic)
            o.field("partition", p.partition.partition)
            o.field("owner", optionalString: p.owner)
            o.field("committed", optional: p.committedOffset)
            o.field("end", optional: p.endOffset)
            o.field("lag", optional: p.lag)
            return o
        })
        line.field("totalLag", info.totalLag)
        return line
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "-" : items.joined(separator: ",")
    }

    private static func number(_ value: Int64?) -> String {
        value.map { String($0) } ?? "-"
    }
}
