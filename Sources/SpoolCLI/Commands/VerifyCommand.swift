// SPDX-License-Identifier: Apache-2.0
// `spool verify [--json]`: checks the whole data directory (every segment's
// batches and CRCs, indexes, checkpoints, committed offsets against log
// ends) and prints a summary; any problem is listed and the exit code is 1.
// Opening the directory runs Spool's recovery first (as every command does),
// which repairs what recovery repairs (e.g. a torn tail after a crash);
// verify reports what is damaged beyond that.
import ArgumentParser
import Spool

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every segment, index, checkpoint and committed offset; exit 1 on any problem.",
        discussion: """
            Text: one 'problem: ...' line per problem (file and byte position where known), then \
            a summary line. With --json, one object: {"healthy","opened","partitions","segments","batches",\
            "records","bytes","problems":[...]}. Exit 0 when healthy, 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result: Spool.VerifyResult
        do {
            result = try await DataDirectory.withSpool(global) { spool in try spool.verify() }
        } catch let error as CLIError where error.spoolCode == .corruption {
            // Opening refuses damaged fsynced data: that is verify's finding too.
            try report(nil, problems: [error.message])
            throw error
        }
        try report(result, problems: result.problems)
        if !result.isHealthy {
            throw CLIError.runtime("verify found \(result.problems.count) problem\(result.problems.count == 1 ? "" : "s") in \(global.dataDirectory)")
        }
    }

    /// `result` nil: the directory could not be opened (counts unknown, printed as 0).
    private func report(_ result: Spool.VerifyResult?, problems: [String]) throws(CLIError) {
        let out = StandardOutput()
        if output.json {
            var line = JSONObjectLine()
            line.field("healthy", bool: problems.isEmpty)
            line.field("opened", bool: result != nil)
            line.field("partitions", result?.partitions ?? 0)
            line.field("segments", result?.segments ?? 0)
            line.field("batches", result?.batches ?? 0)
            line.field("records", result?.records ?? 0)
            line.field("bytes", result?.bytes ?? 0)
            line.field("problems", strings: problems)
            try out.line(line.rendered)
        } else {
            for problem in problems { try out.line("problem: \(problem)") }
            guard let result else {
                try out.line("the data directory could not be opened (recovery refused damaged data)")
                try out.flush()
                return
            }
            try out.line("checked \(result.partitions) partitions, \(result.segments) segments, "
                + "\(result.batches) batches, \(result.records) records, \(result.bytes) bytes: "
                + (result.isHealthy ? "ok" : "\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s")"))
        }
        try out.flush()
    }
}
