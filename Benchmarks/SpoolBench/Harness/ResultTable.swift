// SPDX-License-Identifier: Apache-2.0
// The text report: the environment header, the results table (aligned
// columns, Markdown-compatible) and the list of targets with ✓ / ✗.

enum ResultTable {
    static func environmentHeader(_ env: BenchEnvironment, settings: BenchSettings) -> String {
        var lines = [
            "spool-bench \(env.spoolVersion)",
            "  build        \(env.buildConfiguration)",
            "  cpu          \(env.cpuModel) × \(env.cpuCount)",
            "  memory       \(formatBytes(env.memoryBytes))",
            "  kernel       \(env.kernel)",
            "  data dir     \(env.dataDirectory) (\(env.fileSystem) on \(env.mountDevice))",
            "  host         \(env.hostname), \(env.startedAt), load \(env.loadAverage)",
            "  peak RSS     \(env.peakRSSMethod)",
            "  method       sync(2) before every case\(settings.prime ? "; each writing case's volume written and deleted first (untimed; --no-prime to skip)" : "; no priming (--no-prime)")",
        ]
        if !env.optimized {
            let bar = String(repeating: "!", count: 78)
            lines += [
                bar,
                "!! WARNING: this is a DEBUG build: the numbers below are meaningless.",
                "!! Run `swift run -c release spool-bench` for real measurements.",
                bar,
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let headers = ["workload", "variant", "size", "durability", "records", "records/s", "MB/s", "p50", "p99",
                          "peak RSS", "vs reference (same run)", "targets"]

    static func row(_ r: BenchResult) -> [String] {
        let comparisons = r.comparisons.map { c -> String in
            let mark = c.met.map { $0 ? " ✓" : " ✗" } ?? ""
            return "\(formatFixed(c.ratio, decimals: c.ratio < 10 ? 2 : 1))× \(Comparisons.shortName(c.reference)) \(c.metric)\(mark)"
        }.joined(separator: "; ")
        let met = r.targets.filter(\.met).count
        var targets = r.targets.isEmpty ? "" : (met == r.targets.count ? "✓ \(met)/\(r.targets.count)" : "✗ \(met)/\(r.targets.count)")
        if r.checksumOK == false { targets = "WRONG DATA " + targets }
        return [
            r.workload.rawValue, r.variant, r.recordSize > 0 ? "\(r.recordSize) B" : "-", r.durability.rawValue,
            formatCount(r.records), formatRate(r.recordsPerSecond), formatFixed(r.megabytesPerSecond, decimals: 1),
            r.p50Micros.map(formatMicros) ?? "", r.p99Micros.map(formatMicros) ?? "",
            r.peakRSSBytes.map(formatBytes) ?? "", comparisons, targets,
        ]
    }

    /// A Markdown table with padded columns (readable as plain text too).
    static func table(_ results: [BenchResult]) -> String {
        let rows = [headers] + results.map(row)
        var widths = [Int](repeating: 0, count: headers.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: " | ") + " |"
        }
        var out = [line(rows[0])]
        out.append("|" + widths.enumerated().map { i, w in
            // Numbers right-aligned in Markdown renderers.
            let numeric = (4...9).contains(i)
            return numeric ? String(repeating: "-", count: w + 1) + ":" : String(repeating: "-", count: w + 2)
        }.joined(separator: "|") + "|")
        for row in rows.dropFirst() { out.append(line(row)) }
        return out.joined(separator: "\n") + "\n"
    }

    /// Every target and required ratio, one line each.
    static func targetList(_ results: [BenchResult]) -> String {
        var lines: [String] = []
        for r in results {
            let name = "\(r.workload.rawValue) \(r.variant)\(r.recordSize > 0 ? " \(r.recordSize) B" : "") \(r.durability.rawValue)"
            for c in r.comparisons {
                guard let need = c.atLeast else { continue }
                lines.append("\(c.ratio >= need ? "✓" : "✗") \(name): \(formatFixed(c.ratio, decimals: 2))× \(c.reference) \(c.metric) (need ≥ \(formatFixed(need, decimals: 2))×)")
            }
            for t in r.targets where !t.text.hasPrefix("peak RSS") || !t.met {
                lines.append("\(t.met ? "✓" : "✗") \(name): \(t.text)")
            }
            if r.checksumOK == false { lines.append("✗ \(name): CHECKSUM MISMATCH: the data read back is not what was written") }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// Notes that carry measurements of their own (rebalance's join alone,
    /// recover with a dirty tail), one line each.
    static func measuredNotes(_ results: [BenchResult]) -> String {
        var lines: [String] = []
        for r in results where r.workload == .rebalance || r.workload == .recover {
            for note in r.notes { lines.append("\(r.workload.rawValue) \(r.variant): \(note)") }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}
