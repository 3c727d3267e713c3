// SPDX-License-Identifier: Apache-2.0
// Ctrl-C (SIGINT) and SIGTERM during `spool consume`: the first one asks the
// consumer to stop cleanly (the batch in hand is printed and committed, the
// group is left, the directory closed); a second one kills the process.
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set from the signal handler: an atomic store is async-signal-safe.
private let interruptReceived = Atomic<Bool>(false)

enum InterruptSignal {
    /// Installs the handlers for SIGINT and SIGTERM (once per process).
    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            _ = signal(signalNumber) { number in
                if interruptReceived.exchange(true, ordering: .relaxed) {
                    // Second signal: default action (terminate) now.
                    _ = signal(number, SIG_DFL)
                    _ = raise(number)
                }
            }
        }
    }

    /// Whether a stop was requested.
    static var received: Bool { interruptReceived.load(ordering: .relaxed) }
}
