// SPDX-License-Identifier: Apache-2.0
// Runs synchronous code on its own thread with a deadline, so a test can
// report an infinite loop in the code under test instead of hanging the run.
// A body that never returns leaks its (spinning) thread: the test records an
// issue and the suite goes on.
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

enum HangGuard {
    fileprivate final class Box<T: Sendable>: Sendable {
        let result = Mutex<T?>(nil)
        let body: @Sendable () -> T
        init(_ body: @escaping @Sendable () -> T) { self.body = body }
    }

    /// The body's result, or nil when it did not finish within `milliseconds`.
    static func run<T: Sendable>(milliseconds: Int, _ body: @escaping @Sendable () -> T) -> T? {
        let box = Box(body)
        let context = Unmanaged.passRetained(box as AnyObject).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let object = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
            (object as? any HangGuardRunnable)?.runAndStore()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            return body()
        }
        var waited = 0
        while waited < milliseconds {
            if let r = box.result.withLock({ $0 }) {
                pthread_join(thread, nil)
                return r
            }
            sleepMillis(1)
            waited += 1
        }
        if let r = box.result.withLock({ $0 }) {
            pthread_join(thread, nil)
            return r
        }
        pthread_detach(thread)
        return nil
    }

    fileprivate static func store<T: Sendable>(_ box: Box<T>) {
        let value = box.body()
        box.result.withLock { $0 = value }
    }
}

private protocol HangGuardRunnable: AnyObject { func runAndStore() }

extension HangGuard.Box: HangGuardRunnable {
    func runAndStore() { HangGuard.store(self) }
}
