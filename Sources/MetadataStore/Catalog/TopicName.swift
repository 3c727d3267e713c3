// SPDX-License-Identifier: Apache-2.0
// Topic name rules (Kafka's): 1–249 bytes of [A-Za-z0-9._-], not "." or "..".
// The name becomes a directory name ("<topic>-<partition>"), hence the strict set.

/// Topic name validation.
package enum TopicName {
    /// Longest allowed name, as in Kafka (255 minus room for "-<partition>" and suffixes).
    package static let maxLength = 249

    /// Why a name was refused.
    package enum Invalid: Sendable, Equatable, CustomStringConvertible {
        case empty
        /// Longer than `maxLength` UTF-8 bytes.
        case tooLong(length: Int)
        /// "." or "..", which would name the data directory or its parent.
        case reserved
        /// A character outside [A-Za-z0-9._-] (also "/", NUL, spaces, any non-ASCII)
        /// at this 0-based Unicode scalar position.
        case illegalCharacter(Unicode.Scalar, position: Int)

        package var description: String {
            switch self {
            case .empty: "topic name is empty"
            case .tooLong(let n): "topic name is \(n) bytes long, the limit is \(TopicName.maxLength)"
            case .reserved: "topic name cannot be \".\" or \"..\""
            case .illegalCharacter(let c, let i):
                "topic name has illegal character U+\(String(c.value, radix: 16, uppercase: true)) "
                    + "at position \(i); allowed are ASCII letters, digits, '.', '_' and '-'"
            }
        }
    }

    /// Throws `.invalidTopicName(reason)` unless `name` is acceptable.
    package static func validate(_ name: String) throws(MetadataError) {
        if let reason = check(name) {
            throw MetadataError(.invalidTopicName(reason), "invalid topic name: \(reason)")
        }
    }

    /// The first rule `name` breaks, or nil.
    package static func check(_ name: String) -> Invalid? {
        if name.isEmpty { return .empty }
        for (i, c) in name.unicodeScalars.enumerated() where !isLegal(c) {
            return .illegalCharacter(c, position: i)
        }
        // All characters are ASCII here, so UTF-8 length is the character count.
        let length = name.utf8.count
        if length > maxLength { return .tooLong(length: length) }
        if name == "." || name == ".." { return .reserved }
        return nil
    }

    private static func isLegal(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // 0-9 A-Z a-z
        case 0x2E, 0x5F, 0x2D: true  // . _ -
        default: false
        }
    }
}
