// SPDX-License-Identifier: Apache-2.0
// Reusable batch encoders, so producing allocates nothing per call in
// steady state.
import LogStorage
import Synchronization

/// A free list of `RecordBatchBuilder`s.
///
/// Safety of @unchecked Sendable: builders are handed out to exactly one
/// caller at a time (removed from the list under the lock, returned under
/// the lock); a builder is never touched while it is in the list.
final class BuilderPool: @unchecked Sendable {
    private let free = Mutex<[UnsafeBuilder]>([])

    struct UnsafeBuilder: @unchecked Sendable {  // see the class comment
        let builder: RecordBatchBuilder
    }

    func take() -> RecordBatchBuilder {
        free.withLock { $0.popLast() }?.builder ?? RecordBatchBuilder(initialCapacity: 64 << 10)
    }

    func give(_ builder: RecordBatchBuilder) {
        let box = UnsafeBuilder(builder: builder)
        free.withLock { if $0.count < 64 { $0.append(box) } }
    }
}
