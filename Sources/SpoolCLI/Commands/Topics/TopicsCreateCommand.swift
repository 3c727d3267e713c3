// SPDX-License-Identifier: Apache-2.0
// `spool topics create NAME --partitions N [--retention-ms MS]
// [--retention-bytes B] [--segment-bytes B]`. The only command that creates
// the data directory when it does not exist yet.
import ArgumentParser
import Spool

struct TopicsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a topic.",
        discussion: """
            Topic names are 1-249 characters of [A-Za-z0-9._-], not '.' or '..'. Options not \
            given use the directory-wide defaults (keep data forever, 1 GiB segments).
            """)

    @Argument(help: ArgumentHelp("The topic name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Number of partitions (1-10000).", valueName: "n"))
    var partitions: Int

    @Option(help: ArgumentHelp("Delete segments whose newest record is older than this.", valueName: "ms"))
    var retentionMs: Int64?

    @Option(help: ArgumentHelp("Delete the oldest segments of a partition beyond this size.", valueName: "bytes"))
    var retentionBytes: Int64?

    @Option(help: ArgumentHelp("Roll to a new segment file at this size.", valueName: "bytes"))
    var segmentBytes: Int64?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if partitions < 1 { throw ValidationError("--partitions must be at least 1") }
        if let retentionMs, retentionMs < 1 { throw ValidationError("--retention-ms must be at least 1") }
        if let retentionBytes, retentionBytes < 1 { throw ValidationError("--retention-bytes must be at least 1") }
        if let segmentBytes, segmentBytes < 1 { throw ValidationError("--segment-bytes must be at least 1") }
    }

    func run() async throws {
        let config = TopicConfiguration(segmentBytes: segmentBytes, retentionMs: retentionMs,
                                        retentionBytes: retentionBytes)
        try await DataDirectory.withSpool(global, create: true) { spool in
            do {
                try spool.createTopic(name, partitions: partitions, configuration: config)
            } catch let error as SpoolError where error.code == .invalidTopicName {
                throw CLIError.runtime(TopicNames.invalidMessage(name, error))
            } catch let error as SpoolError where error.code == .topicAlreadyExists {
                throw CLIError.runtime("topic \(JSONString.quoted(name)) already exists")
            }
            let out = StandardOutput()
            try out.line("created topic \(name) with \(partitions) partition\(partitions == 1 ? "" : "s")")
            try out.flush()
        }
    }
}
