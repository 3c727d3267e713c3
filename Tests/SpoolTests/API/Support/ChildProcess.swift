// SPDX-License-Identifier: Apache-2.0
// A child process (posix_spawn) whose stdout and stderr go to files, so the
// test can read what it reported so far while it runs, then SIGKILL it.
// Finds executables next to the test binary, like CLI/SpoolProcess.swift.
#if canImport(Glibc)
import Glibc
#endif
import SpoolTestSupport

struct SpawnFailed: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "posix_spawn(\(path)) failed: errno \(errno)" }
}

final class ChildProcess: Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    /// `$<environmentOverride>`, else `name` in the directory of the running
    /// test binary (SwiftPM puts every product of a build there).
    static func builtExecutable(_ name: String, environmentOverride: String) -> String {
        if let raw = getenv(environmentOverride) { return String(cString: raw) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/") + "/" + name
    }

    /// Starts `executable arguments...` with stdin from /dev/null and its
    /// output in `outputDirectory/<tag>.stdout|.stderr`.
    init(executable: String, arguments: [String], outputDirectory: TemporaryDirectory, tag: String) throws {
        stdoutPath = outputDirectory.appending("\(tag).stdout")
        stderrPath = outputDirectory.appending("\(tag).stderr")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment: [String] = ["PATH=/usr/bin:/bin"]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnFailed(path: executable, errno: spawned) }
        self.pid = pid
    }

    /// Whether the child is still running (reaps it if it exited).
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// SIGKILL, then waits; returns the wait status decoded as exit code or 128 + signal.
    @discardableResult
    func killNow() -> Int32 {
        kill(pid, SIGKILL)
        return waitForExit()
    }

    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Complete lines written to stdout so far (a trailing partial line is left out).
    func stdoutLines() -> [String] {
        let text = Self.readFile(stdoutPath)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func stderrText() -> String { Self.readFile(stderrPath) }

    static func readFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
