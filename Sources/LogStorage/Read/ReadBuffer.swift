// SPDX-License-Identifier: Apache-2.0
// A growable, reusable byte buffer that reads land in. One per reader, reused
// across reads, so steady-state reading allocates nothing.

// MARK: Invariants
// I1. `count <= capacity`; bytes [0, count) are the last read's result.
// I2. The storage is replaced only by `reserve`, which copies nothing (the
//     old contents are dead once a new read starts).

/// Owned by one reader at a time (not Sendable).
package final class ReadBuffer {
    // @exclusivity(unchecked): a ReadBuffer has one owner at a time and never
    // hands out inout access, so the dynamic checks (measured at several
    // percent of the consume loop) guard nothing.
    @exclusivity(unchecked) package private(set) var storage: UnsafeMutableRawPointer
    @exclusivity(unchecked) package private(set) var capacity: Int
    /// Number of valid bytes.
    @exclusivity(unchecked) package var count: Int = 0

    package init(capacity: Int = 1 << 20) {
        self.capacity = max(capacity, 4096)
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
    }

    deinit { storage.deallocate() }

    /// Ensures room for `bytes` bytes; discards the contents when it grows.
    package func reserve(_ bytes: Int) {
        guard _slowPath(bytes > capacity) else { return }
        grow(to: bytes)
    }

    @inline(never)
    private func grow(to bytes: Int) {
        var newCapacity = capacity
        while newCapacity < bytes { newCapacity *= 2 }
        storage.deallocate()
        storage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
        capacity = newCapacity
        count = 0
    }

    /// The valid bytes.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
}
