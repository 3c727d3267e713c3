// SPDX-License-Identifier: Apache-2.0
// Runs the built `spool` executable as a child process (posix_spawn), to
// completion or in the background (`start`, for signals and locks), with
// stdout and stderr captured in files (no pipes, so no deadlock on large
// output) and stdin from /dev/null or from given bytes (also via a file).
#if canImport(Glibc)
import Glibc
#endif
import FileIO
import SpoolTestSupport

/// What one `spool` run produced.
struct SpoolRun: Sendable, CustomStringConvertible {
    /// Exit status, or 128 + signal number when killed by a signal.
    var status: Int32
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

enum SpoolProcess {
    /// `$SPOOL_EXECUTABLE`, else `spool` next to the test binary (SwiftPM puts
    /// every product of the build in the same directory).
    static let executablePath: String = {
        if let raw = getenv("SPOOL_EXECUTABLE") { return String(cString: raw) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let directory = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/spool"
    }()

    /// Runs `spool arguments...` to completion; `stdin` (nil: /dev/null) is its standard input.
    static func run(_ arguments: [String], environment: [String] = [], stdin: [UInt8]? = nil) async throws -> SpoolRun {
        try await start(arguments, environment: environment, stdin: stdin).wait()
    }

    /// Starts `spool arguments...` without waiting for it.
    static func start(_ arguments: [String], environment: [String] = [], stdin: [UInt8]? = nil) throws -> RunningSpool {
        let scratch = try TemporaryDirectory(prefix: "spool-cli-run")
        let outPath = scratch.appending("stdout")
        let errPath = scratch.appending("stderr")
        var inPath = "/dev/null"
        if let stdin {
            inPath = scratch.appending("stdin")
            let fs = PosixFileSystem()
            let handle = try fs.open(inPath, mode: .createNew)
            try handle.write(stdin, at: 0)
            try handle.close()
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executablePath] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = (["PATH=/usr/bin:/bin"] + environment).map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executablePath, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw IOError(code: .other, operation: "posix_spawn", path: executablePath, errno: spawned)
        }
        return RunningSpool(pid: pid, scratch: scratch, outPath: outPath, errPath: errPath)
    }
}

/// A `spool` child process started by `SpoolProcess.start`. Wait for it exactly once.
struct RunningSpool: Sendable {
    let pid: pid_t
    let scratch: TemporaryDirectory
    let outPath: String
    let errPath: String

    /// What it printed to stdout so far.
    func stdoutSoFar() throws -> String {
        String(decoding: try ByteSurgery(PosixFileSystem(), path: outPath).readAll(), as: UTF8.self)
    }

    func send(signal number: Int32) {
        _ = kill(pid, number)
    }

    /// Waits for the process to end and collects its output. Polls with
    /// `Task.sleep` instead of blocking in waitpid: tests run on a cooperative
    /// pool of one thread per core, and a blocked thread would starve the
    /// group consumers' heartbeats in other tests running meanwhile.
    func wait() async throws -> SpoolRun {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR {
                throw IOError(code: .other, operation: "waitpid", path: SpoolProcess.executablePath, errno: errno)
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        let fs = PosixFileSystem()
        return SpoolRun(
            status: exitStatus,
            stdout: String(decoding: try ByteSurgery(fs, path: outPath).readAll(), as: UTF8.self),
            stderr: String(decoding: try ByteSurgery(fs, path: errPath).readAll(), as: UTF8.self))
    }
}
