// SPDX-License-Identifier: Apache-2.0
// The backends the shared behaviour suite runs against, and a per-test
// fixture giving each test a fresh, empty directory on one of them.
import FileIO
import SpoolTestSupport
import Testing

enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case posix
    case inMemory
    /// Before any crash it must behave exactly like a real file system.
    case crashSimulating
    /// Unarmed, it must be transparent.
    case faultInjecting

    var testDescription: String { rawValue }
}

struct Fixture {
    let fileSystem: any FileSystem
    let root: String
    /// Keeps the temporary directory of the POSIX backend alive.
    let temporaryDirectory: TemporaryDirectory?

    init(_ backend: Backend) throws {
        switch backend {
        case .posix:
            let temp = try TemporaryDirectory(prefix: "spool-fileio")
            fileSystem = PosixFileSystem()
            root = temp.path
            temporaryDirectory = temp
        case .inMemory:
            fileSystem = InMemoryFileSystem()
            root = "/data"
            temporaryDirectory = nil
        case .crashSimulating:
            fileSystem = CrashSimulatingFileSystem()
            root = "/data"
            temporaryDirectory = nil
        case .faultInjecting:
            let temp = try TemporaryDirectory(prefix: "spool-fileio")
            fileSystem = FaultInjectingFileSystem(wrapping: PosixFileSystem())
            root = temp.path
            temporaryDirectory = temp
        }
        try fileSystem.createDirectory(root)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Creates `relative` holding `bytes`.
    func makeFile(_ relative: String, _ bytes: [UInt8]) throws {
        try fileSystem.writeFile(path(relative), bytes)
    }
}

/// The `IOError` code a throwing expression fails with: nil if it succeeds,
/// `.other` for an error that is not an `IOError` (which no seam may throw).
func errorCode<T>(_ body: () throws -> T) -> IOError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as IOError {
        return error.code
    } catch {
        Issue.record("not an IOError: \(error)")
        return .other
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}
