// SPDX-License-Identifier: Apache-2.0
// `--json FILE`: {"environment": {...}, "results": [...]}. The result field
// names are the contract (workload, variant, recordSize, durability,
// records, seconds, recordsPerSecond, megabytesPerSecond, p50Micros,
// p99Micros, p999Micros, peakRSSBytes, bytesScanned); optional ones are
// omitted where they do not apply. Extra fields only ever get added.

enum JSONReport {
    static func document(environment env: BenchEnvironment, settings: BenchSettings, arguments: [String],
                         loadAtEnd: String, results: [BenchResult], failures: [String]) -> JSONValue {
        let environment: JSONValue = .object([
            ("spoolVersion", .string(env.spoolVersion)),
            ("buildConfiguration", .string(env.buildConfiguration)),
            ("optimized", .bool(env.optimized)),
            ("cpuModel", .string(env.cpuModel)),
            ("cpuCount", .integer(Int64(env.cpuCount))),
            ("memoryBytes", .integer(env.memoryBytes)),
            ("kernel", .string(env.kernel)),
            ("dataDirectory", .string(env.dataDirectory)),
            ("fileSystem", .string(env.fileSystem)),
            ("mountDevice", .string(env.mountDevice)),
            ("hostname", .string(env.hostname)),
            ("startedAt", .string(env.startedAt)),
            ("loadAverageAtStart", .string(env.loadAverage)),
            ("loadAverageAtEnd", .string(loadAtEnd)),
            ("peakRSSMethod", .string(env.peakRSSMethod)),
            ("quick", .bool(settings.quick)),
            ("primeBeforeWrites", .bool(settings.prime)),
            ("arguments", .array(arguments.map { .string($0) })),
        ])
        return .object([
            ("environment", environment),
            ("results", .array(results.map(result))),
            ("failures", .array(failures.map { .string($0) })),
        ])
    }

    static func result(_ r: BenchResult) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("workload", .string(r.workload.rawValue)),
            ("variant", .string(r.variant)),
            ("recordSize", .integer(Int64(r.recordSize))),
            ("durability", .string(r.durability.rawValue)),
            ("records", .integer(Int64(r.records))),
            ("seconds", .number(r.seconds)),
            ("recordsPerSecond", .number(r.recordsPerSecond)),
            ("megabytesPerSecond", .number(r.megabytesPerSecond)),
            ("bytes", .integer(r.bytes)),
        ]
        if let v = r.p50Micros { fields.append(("p50Micros", .number(v))) }
        if let v = r.p99Micros { fields.append(("p99Micros", .number(v))) }
        if let v = r.p999Micros { fields.append(("p999Micros", .number(v))) }
        if let v = r.peakRSSBytes { fields.append(("peakRSSBytes", .integer(v))) }
        if let v = r.bytesScanned { fields.append(("bytesScanned", .integer(v))) }
        if let v = r.checksumOK { fields.append(("checksumOK", .bool(v))) }
        if !r.comparisons.isEmpty {
            fields.append(("comparisons", .array(r.comparisons.map { c in
                var o: [(String, JSONValue)] = [
                    ("reference", .string(c.reference)), ("metric", .string(c.metric)), ("ratio", .number(c.ratio)),
                ]
                if let a = c.atLeast { o.append(("atLeast", .number(a))) }
                if let m = c.met { o.append(("met", .bool(m))) }
                return .object(o)
            })))
        }
        if !r.targets.isEmpty {
            fields.append(("targets", .array(r.targets.map { .object([("target", .string($0.text)), ("met", .bool($0.met))]) })))
        }
        if !r.notes.isEmpty { fields.append(("notes", .array(r.notes.map { .string($0) }))) }
        return .object(fields)
    }
}
