// SPDX-License-Identifier: Apache-2.0
// Big-endian load/store helpers shared by the two index formats.

extension UnsafeRawPointer {
    @inline(__always) func loadBigEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension UnsafeMutableRawPointer {
    @inline(__always) func storeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}
