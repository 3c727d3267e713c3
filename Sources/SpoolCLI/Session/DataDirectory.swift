// SPDX-License-Identifier: Apache-2.0
// Opening the data directory for one command run: every command that works
// on a directory opens it here, runs, and closes it (releasing the lock)
// whether it succeeded or not. Only `topics create` may create the directory;
// the other commands refuse a missing one instead of leaving an empty
// directory behind after a typo in --data.
import Logging
import Spool
#if canImport(Glibc)
import Glibc
#endif

enum DataDirectory {
    /// Opens the directory named by `global`, runs `body`, closes the Spool.
    /// `SpoolError`s from opening, `body` or closing become one-line CLI errors.
    static func withSpool<T>(_ global: GlobalOptions, create: Bool = false,
                             _ body: (Spool) async throws -> T) async throws -> T {
        let path = global.dataDirectory
        if !create, access(path, F_OK) != 0 {
            throw CLIError.runtime("data directory \(path) does not exist (create a topic first with "
                + "'spool topics create', or pass --data / set $\(GlobalOptions.environmentVariable))")
        }
        let spool: Spool
        do { spool = try Spool.open(at: path, configuration: configuration) } catch let error as SpoolError {
            throw CLIError.spool(error, directory: path)
        }
        let result: T
        do {
            result = try await body(spool)
        } catch let error as SpoolError {
            try? spool.close()
            throw CLIError.spool(error, directory: path)
        } catch {
            try? spool.close()
            throw error
        }
        do { try spool.close() } catch let error as SpoolError { throw CLIError.spool(error, directory: path) }
        return result
    }

    /// Library defaults, except that Spool's warnings (recovery repairs, a
    /// consumer removed from its group) go to stderr: stdout is the command's output.
    private static var configuration: Configuration {
        var c = Configuration()
        var logger = Logger(label: "spool", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        c.logger = logger
        return c
    }
}
