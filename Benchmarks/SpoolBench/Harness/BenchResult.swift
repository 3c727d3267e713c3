// SPDX-License-Identifier: Apache-2.0
// One measurement: what ran, how much, how fast, and how it compares. The
// JSON field names (see JSONReport) are a public contract: users script
// against them.

/// The JSON `workload` names (exactly these).
enum WorkloadName: String, Sendable, CaseIterable {
    case produce
    case produceConcurrent = "produce-concurrent"
    case consume
    case consumeGroup = "consume-group"
    case endToEnd = "end-to-end"
    case commit
    case rebalance
    case recover
    case rawWrite = "raw-write"
    case sqliteLog = "sqlite-log"
}

/// The JSON `durability` values.
enum DurabilityLabel: String, Sendable {
    case none
    case interval
    case fsyncEachBatch
    case notApplicable = "-"
}

/// A ratio of this result against a reference measured in the same run.
struct Comparison: Sendable {
    /// e.g. "sqlite-log/insert-normal".
    var reference: String
    /// "records/s" or "MB/s".
    var metric: String
    var ratio: Double
    /// The ratio the issue asks for, if any.
    var atLeast: Double?

    var met: Bool? { atLeast.map { ratio >= $0 } }
}

struct BenchResult: Sendable {
    var workload: WorkloadName
    var variant: String
    var recordSize: Int
    var durability: DurabilityLabel
    var records: Int
    var seconds: Double
    /// Bytes the workload moved (on-disk encoded bytes for Spool and
    /// raw-write; key + value bytes for sqlite-log). MB/s = bytes / 1e6 / s.
    var bytes: Int64
    var p50Micros: Double?
    var p99Micros: Double?
    var p999Micros: Double?
    var peakRSSBytes: Int64?
    var bytesScanned: Int64?
    /// nil: the workload has nothing to check; false: it read wrong data.
    var checksumOK: Bool?
    /// Free-form facts worth keeping (segments, rounds, batch sizes).
    var notes: [String] = []
    var comparisons: [Comparison] = []
    /// Absolute targets from the issue, as text, and whether they were met.
    var targets: [(text: String, met: Bool)] = []

    init(workload: WorkloadName, variant: String, recordSize: Int, durability: DurabilityLabel, records: Int,
         seconds: Double, bytes: Int64) {
        self.workload = workload
        self.variant = variant
        self.recordSize = recordSize
        self.durability = durability
        self.records = records
        self.seconds = seconds
        self.bytes = bytes
    }

    var recordsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
    var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }

    /// `workload/variant`, how comparisons name references.
    var key: String { "\(workload.rawValue)/\(variant)" }

    mutating func setLatencies(_ h: LatencyHistogram) {
        p50Micros = h.micros(atQuantile: 0.50)
        p99Micros = h.micros(atQuantile: 0.99)
        p999Micros = h.micros(atQuantile: 0.999)
    }
}
