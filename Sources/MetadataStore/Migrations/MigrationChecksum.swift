// SPDX-License-Identifier: Apache-2.0
// The checksum recorded for each applied migration: FNV-1a 64 over the exact
// UTF-8 bytes of the .sql file, written "fnv1a64:" + 16 lowercase hex digits.
// FNV-1a is not cryptographic; it detects edits, not tampering, which is all
// the rule "migrations are immutable once shipped" needs. It is stable across
// platforms and needs neither Foundation nor a crypto library.

/// FNV-1a 64-bit checksums of migration text.
package enum MigrationChecksum {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of `bytes`.
    package static func fnv1a64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The stored form: "fnv1a64:" followed by 16 lowercase hex digits.
    package static func of(_ sql: String) -> String {
        let hex = String(fnv1a64(sql.utf8), radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
