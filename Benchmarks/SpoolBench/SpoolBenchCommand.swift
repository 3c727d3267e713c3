// SPDX-License-Identifier: Apache-2.0
// `spool-bench`: what Spool does on this machine, against the physical limit
// (raw-write) and the rival a user would build instead (sqlite-log), all in
// one run. Prints the environment, progress on stderr, then the table.
import ArgumentParser
import FileIO
#if canImport(Glibc)
import Glibc
#endif

@main
struct SpoolBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool-bench",
        abstract: "Measure Spool's throughput and latency on this machine.",
        discussion: """
            Workloads (default: all, in this order): \
            \(allWorkloads.map { $0.name.rawValue }.joined(separator: ", ")).
            Results are printed as a table; --json writes them machine-readable. \
            Every read workload verifies a checksum of what it read; a mismatch exits 1.
            """)

    static let allWorkloads: [any Workload] = [
        ProduceWorkload(), ProduceConcurrentWorkload(), ConsumeWorkload(), ConsumeGroupWorkload(), EndToEndWorkload(),
        CommitWorkload(), RebalanceWorkload(), RecoverWorkload(), RawWriteWorkload(), SQLiteLogWorkload(),
    ]

    @Flag(help: "Small counts: the whole run takes under a minute.")
    var quick = false

    @Option(help: "Records per produce/consume run at 100 B; bigger records keep the byte volume. (default: 10,000,000; --quick 200,000)")
    var records: Int?

    @Option(name: .customLong("record-size"), help: "Record value sizes in bytes, comma-separated.")
    var recordSize = "100,1024"

    @Option(name: .customLong("batch-size"), help: "Records per send.")
    var batchSize = 1000

    @Option(help: "Partitions of produce-concurrent and consume-group.")
    var partitions = 6

    @Option(help: "Producers of produce-concurrent.")
    var producers = 4

    @Option(help: "Group members of consume-group.")
    var consumers = 3

    @Option(help: "Durability modes of produce: none, interval, fsyncEachBatch (comma-separated).")
    var durability = "none,interval,fsyncEachBatch"

    @Option(name: .customLong("interval-ms"), help: "The sync interval of the interval durability mode.")
    var intervalMs = 100

    @Option(help: "Workloads to run, comma-separated (default: all).")
    var workloads: String?

    @Option(help: "Concurrent committers of the commit workload, comma-separated.")
    var committers = "1,16"

    @Option(help: "Length of time-bounded workloads (commit) in seconds. (default: 2; --quick 0.3)")
    var seconds: Double?

    @Option(help: "Round trips of the end-to-end latency workload. (default: 20,000; --quick 2,000)")
    var messages: Int?

    @Option(name: .customLong("rebalance-rounds"), help: "Rebalances measured per assignor. (default: 20; --quick 5)")
    var rebalanceRounds: Int?

    @Option(name: .customLong("recover-mib"), help: "Size of the recover workload's log in MiB. (default: 1024; --quick 64)")
    var recoverMiB: Int?

    @Option(name: .customLong("sqlite-records"), help: "Records per sqlite-log insert run at 100 B. (default: 2,000,000; --quick 100,000; never above --records)")
    var sqliteRecords: Int?

    @Flag(name: .customLong("no-prime"), help: "Do not write and delete each writing case's volume before it (see Benchmarks/README.md).")
    var noPrime = false

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Flag(help: "Keep the data directories (their path is printed).")
    var keep = false

    @Option(help: "Parent directory for the run's data (default: /tmp). A fresh subdirectory is created and removed.")
    var dir: String?

    func validate() throws {
        guard (records ?? 1) > 0, batchSize > 0, partitions > 0, producers > 0, consumers > 0, intervalMs > 0,
              (seconds ?? 1) > 0, (messages ?? 1) > 0, (rebalanceRounds ?? 1) > 0, (recoverMiB ?? 1) > 0,
              (sqliteRecords ?? 1) > 0 else {
            throw ValidationError("counts, sizes and durations must be positive")
        }
        _ = try parsedSizes()
        _ = try parsedDurabilities()
        _ = try parsedWorkloads()
        _ = try parsedCommitters()
    }

    func parsedSizes() throws -> [Int] {
        let sizes = recordSize.split(separator: ",").map { Int($0.trimmingSpaces()) }
        guard !sizes.isEmpty, sizes.allSatisfy({ s in s.map { $0 >= 0 && $0 <= 1 << 17 } ?? false }) else {
            throw ValidationError("--record-size: comma-separated sizes in bytes, each 0...131072")
        }
        return sizes.compactMap { $0 }
    }

    func parsedDurabilities() throws -> [DurabilityChoice] {
        let modes = durability.split(separator: ",").map { DurabilityChoice(argument: $0.trimmingSpaces()) }
        guard !modes.isEmpty, modes.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--durability: comma-separated list of none, interval, fsyncEachBatch")
        }
        return modes.compactMap { $0 }
    }

    func parsedWorkloads() throws -> [WorkloadName] {
        guard let workloads else { return Self.allWorkloads.map(\.name) }
        var chosen: [WorkloadName] = []
        for part in workloads.split(separator: ",") {
            guard let name = WorkloadName(rawValue: part.trimmingSpaces()) else {
                throw ValidationError("--workloads: unknown workload '\(part)'; known: \(WorkloadName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosen.append(name)
        }
        return chosen
    }

    func parsedCommitters() throws -> [Int] {
        let counts = committers.split(separator: ",").map { Int($0.trimmingSpaces()) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 256 }) else {
            throw ValidationError("--committers: comma-separated counts, each 1...256")
        }
        return counts.compactMap { $0 }
    }

    func settings() throws -> BenchSettings {
        let records = records ?? (quick ? 200_000 : 10_000_000)
        return BenchSettings(
            quick: quick,
            records: records,
            recordSizes: try parsedSizes(),
            batchSize: batchSize,
            partitions: partitions,
            producers: producers,
            consumers: consumers,
            durabilities: try parsedDurabilities(),
            intervalMs: intervalMs,
            workloads: try parsedWorkloads(),
            committers: try parsedCommitters(),
            seconds: seconds ?? (quick ? 0.3 : 2),
            messages: messages ?? (quick ? 2_000 : 20_000),
            rebalanceRounds: rebalanceRounds ?? (quick ? 5 : 20),
            recoverBytes: Int64(recoverMiB ?? (quick ? 64 : 1024)) << 20,
            sqliteRecords: min(records, sqliteRecords ?? (quick ? 100_000 : 2_000_000)),
            prime: !noPrime,
            jsonPath: json,
            keep: keep,
            directory: dir)
    }

    func run() async throws {
        _ = Progress.started
        let settings = try settings()
        let root = try ScratchRoot.create(parent: settings.directory ?? "/tmp")
        let environment = BenchEnvironment.detect(dataDirectory: root)
        Progress.writeStandardOutput(ResultTable.environmentHeader(environment, settings: settings) + "\n")
        if !environment.optimized {
            Progress.line("WARNING: DEBUG build; numbers are meaningless (use: swift run -c release spool-bench)")
        }
        let context = WorkloadContext(settings: settings, root: root)
        var results: [BenchResult] = []
        var failures: [String] = []
        let chosen = Self.allWorkloads.filter { settings.has($0.name) }
        for (i, workload) in chosen.enumerated() {
            Progress.line("[\(i + 1)/\(chosen.count)] \(workload.name.rawValue): \(workload.summary)")
            do {
                results += try await workload.run(context)
            } catch {
                let message = "\(workload.name.rawValue): \(error)"
                Progress.line("FAILED \(message)")
                failures.append(message)
            }
        }
        Comparisons.apply(to: &results)
        var report = "\n" + ResultTable.table(results)
        let targets = ResultTable.targetList(results)
        if !targets.isEmpty { report += "\nTargets (issue 5; ratios measured in this run):\n" + targets }
        let notes = ResultTable.measuredNotes(results)
        if !notes.isEmpty { report += "\nNotes:\n" + notes }
        if !failures.isEmpty { report += "\nFailed workloads:\n" + failures.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        if !environment.optimized { report += "\nWARNING: DEBUG build: these numbers are meaningless.\n" }
        Progress.writeStandardOutput(report)
        if let path = settings.jsonPath {
            let document = JSONReport.document(
                environment: environment, settings: settings, arguments: Array(CommandLine.arguments.dropFirst()),
                loadAtEnd: BenchEnvironment.loadAverage(), results: results, failures: failures)
            if let errno = TextFile.write(document.rendered(), to: path) {
                throw BenchError("cannot write \(path): errno \(errno)")
            }
            Progress.line("wrote \(path)")
        }
        if settings.keep {
            Progress.line("kept data in \(root)")
        } else {
            ScratchRoot.remove(root)
        }
        if !failures.isEmpty || results.contains(where: { $0.checksumOK == false }) {
            throw ExitCode(1)
        }
    }
}
