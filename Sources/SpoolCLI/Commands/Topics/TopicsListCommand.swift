// SPDX-License-Identifier: Apache-2.0
// `spool topics list [--json]`: every topic, sorted by name.
import ArgumentParser
import Spool

struct TopicsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the topics.",
        discussion: """
            Text: 'topic: NAME partitions: N' per topic. With --json, one object per line: \
            {"topic","partitions","config"}.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let out = StandardOutput()
            for topic in try spool.listTopics() {
                if output.json {
                    var line = JSONObjectLine()
                    line.field("topic", string: topic.name)
                    line.field("partitions", topic.partitionCount)
                    line.field("config", object: TopicRendering.configJSON(topic.configuration))
                    try out.line(line.rendered)
                } else {
                    try out.line("topic: \(topic.name) partitions: \(topic.partitionCount)")
                }
            }
            try out.flush()
        }
    }
}
