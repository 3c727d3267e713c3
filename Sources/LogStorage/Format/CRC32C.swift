// SPDX-License-Identifier: Apache-2.0
// CRC-32C (Castagnoli) as Kafka's batch checksum, over the C shim that picks
// SSE4.2 or slicing-by-8 once per process.
import CSpoolShims

/// CRC-32C of raw bytes (reflected polynomial 0x82F63B78, init/xorout 0xFFFFFFFF).
package enum CRC32C {
    /// The checksum of `bytes`, continuing from `seed` (the finished CRC of
    /// the bytes before; 0 to start), so chunked calls equal one call.
    @inline(__always)
    package static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        spool_crc32c(seed, bytes.baseAddress, bytes.count)
    }

    /// Whether the dispatcher uses the SSE4.2 instructions on this CPU.
    package static var isHardwareAccelerated: Bool {
        spool_crc32c_has_hw() != 0
    }
}
