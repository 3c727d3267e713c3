// SPDX-License-Identifier: Apache-2.0
// A value bound to a statement parameter by the `query` / `run` conveniences.

/// One SQLite value. Literals work: `[.text("g"), 3, nil]`.
package enum SQLiteValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(nilLiteral: ()) { self = .null }
    package init(floatLiteral value: Double) { self = .real(value) }
}
