// SPDX-License-Identifier: Apache-2.0
// JSON string literals (RFC 8259 §7): quote, backslash and the C0 controls
// escaped; everything else, including non-ASCII, written as UTF-8.

enum JSONString {
    /// `s` as a quoted JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + hexDigit(scalar.value >> 4) + hexDigit(scalar.value & 0xF)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    private static func hexDigit(_ v: UInt32) -> String {
        String(v, radix: 16)
    }
}
