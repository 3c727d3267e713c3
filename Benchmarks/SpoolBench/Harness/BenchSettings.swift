// SPDX-License-Identifier: Apache-2.0
// The resolved settings of one run (command-line flags with the full or
// `--quick` defaults applied). Workloads read only this.

/// Durability modes as the command line names them.
enum DurabilityChoice: String, Sendable, CaseIterable {
    case none
    case interval
    case fsyncEachBatch

    init?(argument: String) {
        switch argument.lowercased() {
        case "none": self = .none
        case "interval": self = .interval
        case "fsync", "fsynceachbatch", "fsync-each-batch": self = .fsyncEachBatch
        default: return nil
        }
    }

    var label: DurabilityLabel {
        switch self {
        case .none: .none
        case .interval: .interval
        case .fsyncEachBatch: .fsyncEachBatch
        }
    }
}

struct BenchSettings: Sendable {
    var quick: Bool
    /// Records per produce/consume run at 100 B; larger records keep the byte
    /// volume (see `records(forSize:)`).
    var records: Int
    var recordSizes: [Int]
    var batchSize: Int
    /// Partitions of produce-concurrent and consume-group.
    var partitions: Int
    var producers: Int
    var consumers: Int
    var durabilities: [DurabilityChoice]
    var intervalMs: Int
    var workloads: [WorkloadName]
    var committers: [Int]
    /// Length of time-bounded workloads (commit, sqlite commits).
    var seconds: Double
    /// Round trips of the end-to-end ping-pong.
    var messages: Int
    var rebalanceRounds: Int
    var recoverBytes: Int64
    /// Records of each sqlite-log insert run at 100 B (scaled like `records`).
    var sqliteRecords: Int
    /// Write and delete the volume of each writing case before it (untimed).
    var prime: Bool
    var jsonPath: String?
    var keep: Bool
    /// Parent directory for the run's data (nil: a fresh /tmp directory).
    var directory: String?

    /// Record count for `size`-byte records: the same byte volume as
    /// `records` records of 100 B, rounded up to whole batches.
    func records(forSize size: Int) -> Int {
        scaled(records, size: size)
    }

    func sqliteRecords(forSize size: Int) -> Int {
        scaled(sqliteRecords, size: size)
    }

    private func scaled(_ count: Int, size: Int) -> Int {
        let raw = max(1, count * 100 / max(size, 1))
        return max(batchSize, (raw + batchSize - 1) / batchSize * batchSize)
    }

    func has(_ workload: WorkloadName) -> Bool { workloads.contains(workload) }

    /// About how many bytes `records` records of `size` bytes take on disk
    /// (RecordBatch v2: ~11 bytes of record framing plus the batch header).
    static func diskBytes(records: Int, size: Int) -> Int64 {
        Int64(records) * Int64(size + 12) + (1 << 20)
    }
}
