// SPDX-License-Identifier: Apache-2.0
// A swift-log handler that records messages so tests can assert on warnings.
import Logging
import Synchronization

final class LogCapture: Sendable {
    private let lines = Mutex([(level: Logger.Level, message: String)]())

    var logger: Logger {
        let capture = self
        var logger = Logger(label: "test.groups") { _ in CapturingHandler(capture: capture) }
        logger.logLevel = .trace
        return logger
    }

    func record(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }

    func messages(at level: Logger.Level) -> [String] { lines.withLock { $0.filter { $0.level == level }.map(\.message) } }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        capture.record(event.level, "\(event.message)")
    }
}

/// A logger that drops everything.
let quietLogger: Logger = {
    var logger = Logger(label: "test.quiet") { _ in SwiftLogNoOpLogHandler() }
    logger.logLevel = .critical
    return logger
}()
