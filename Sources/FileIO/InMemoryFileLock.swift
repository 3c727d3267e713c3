// SPDX-License-Identifier: Apache-2.0
// A held lock of an in-memory file system (or any backend that keeps its
// lock table itself): runs its release action exactly once.
import Synchronization

/// A held `lockExclusive` lock whose release is a closure. Released by
/// `release()` or when the last reference goes away; idempotent.
package final class InMemoryFileLock: FileLock {
    package let path: String
    private let onRelease: Mutex<(@Sendable () -> Void)?>

    package init(path: String, onRelease: @escaping @Sendable () -> Void) {
        self.path = path
        self.onRelease = Mutex(onRelease)
    }

    deinit { release() }

    package func release() {
        let action = onRelease.withLock { action -> (@Sendable () -> Void)? in
            defer { action = nil }
            return action
        }
        action?()
    }
}
