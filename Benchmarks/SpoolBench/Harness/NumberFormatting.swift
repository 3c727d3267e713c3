// SPDX-License-Identifier: Apache-2.0
// Number text without Foundation: fixed decimals, SI rates, binary sizes,
// and thousands separators, for the table and progress lines.

/// `value` with exactly `decimals` digits after the point (rounded half up).
func formatFixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9.0e18 else { return negative ? "-\(abs(value))" : "\(value)" }
    let n = UInt64(scaled)
    let whole = n / UInt64(scale)
    var text = "\(whole)"
    if decimals > 0 {
        var frac = "\(n % UInt64(scale))"
        while frac.count < decimals { frac = "0" + frac }
        text += "." + frac
    }
    return negative && n != 0 ? "-" + text : text
}

/// 12,345,678
func formatCount<T: BinaryInteger>(_ value: T) -> String {
    let digits = Array("\(value.magnitude)")
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return value < 0 ? "-" + out : out
}

/// 12.3 M, 456 k, 789 (three significant digits where it matters).
func formatRate(_ value: Double) -> String {
    func three(_ v: Double) -> String { formatFixed(v, decimals: v < 10 ? 2 : (v < 100 ? 1 : 0)) }
    if value >= 1e9 { return three(value / 1e9) + " G" }
    if value >= 1e6 { return three(value / 1e6) + " M" }
    if value >= 1e3 { return three(value / 1e3) + " k" }
    return three(value)
}

/// 1.00 GiB, 64.0 MiB, 512 KiB, 100 B.
func formatBytes(_ value: Int64) -> String {
    let v = Double(value)
    func three(_ v: Double) -> String { formatFixed(v, decimals: v < 10 ? 2 : (v < 100 ? 1 : 0)) }
    if v >= 1_073_741_824 { return three(v / 1_073_741_824) + " GiB" }
    if v >= 1_048_576 { return three(v / 1_048_576) + " MiB" }
    if v >= 1024 { return three(v / 1024) + " KiB" }
    return "\(value) B"
}

/// Microseconds as a short latency: 12.3 µs, 4.56 ms, 1.20 s.
func formatMicros(_ micros: Double) -> String {
    func three(_ v: Double) -> String { formatFixed(v, decimals: v < 10 ? 2 : (v < 100 ? 1 : 0)) }
    if micros >= 1_000_000 { return three(micros / 1_000_000) + " s" }
    if micros >= 1000 { return three(micros / 1000) + " ms" }
    return three(micros) + " µs"
}
