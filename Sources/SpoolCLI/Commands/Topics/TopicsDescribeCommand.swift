// SPDX-License-Identifier: Apache-2.0
// `spool topics describe NAME [--json]`: the topic's overrides and, per
// partition, start offset, end offset, size on disk and segment count.
import ArgumentParser
import Spool

struct TopicsDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a topic's configuration and each partition's offsets, size and segments.",
        discussion: """
            Text: 'topic: NAME partitions: N config: ...' then one line per partition \
            'partition: P start: S end: E size: BYTES segments: K' (end is the next offset to be \
            written). With --json, one object: {"topic","partitions","config","partitionDetails":\
            [{"partition","start","end","sizeBytes","segments"}]}.
            """)

    @Argument(help: ArgumentHelp("The topic name.", valueName: "name"))
    var name: String

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await DataDirectory.withSpool(global) { spool in
            let topic = try spool.describeTopic(name)
            let out = StandardOutput()
            if output.json {
                var line = JSONObjectLine()
                line.field("topic", string: topic.name)
                line.field("partitions", topic.partitionCount)
                line.field("config", object: TopicRendering.configJSON(topic.configuration))
                line.field("partitionDetails", objects: topic.partitions.map { p in
                    var o = JSONObjectLine()
                    o.field("partition", p.partition)
                    o.field("start", p.startOffset)
                    o.field("end", p.endOffset)
                    o.field("sizeBytes", p.sizeBytes)
                    o.field("segments", p.segmentCount)
                    return o
                })
                try out.line(line.rendered)
            } else {
                try out.line("topic: \(topic.name) partitions: \(topic.partitionCount) "
                    + "config: \(TopicRendering.configText(topic.configuration))")
                for p in topic.partitions {
                    try out.line("partition: \(p.partition) start: \(p.startOffset) end: \(p.endOffset) "
                        + "size: \(p.sizeBytes) segments: \(p.segmentCount)")
                }
            }
            try out.flush()
        }
    }
}
