// SPDX-License-Identifier: Apache-2.0
// Runs a built executable of this package as a child process (posix_spawn),
// stdout and stderr to files (no pipes, no deadlock), stdin from /dev/null;
// can SIGKILL it mid-flight. Executables are found next to the test binary,
// where SwiftPM puts every product of the build.
#if canImport(Glibc)
import Glibc
#endif
import FileIO

struct ChildProcess {
    struct Exit: Sendable, CustomStringConvertible {
        /// Exit status, or nil when a signal ended the process.
        var status: Int32?
        /// The signal that ended the process, if any.
        var signal: Int32?
        var stdout: [UInt8]
        var stderr: [UInt8]

        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        var description: String {
            "status \(status.map(String.init) ?? "-") signal \(signal.map(String.init) ?? "-")\n--- stdout\n\(stdoutText)--- stderr\n\(stderrText)"
        }
    }

    /// `name` next to the running test binary (or `$SPOOL_BIN_DIR/name`).
    static func builtExecutable(_ name: String) -> String {
        if let raw = getenv("SPOOL_BIN_DIR") { return String(cString: raw) + "/" + name }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let directory = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/" + name
    }

    static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    let pid: pid_t
    let outPath: String
    let errPath: String

    /// Starts `executable arguments...`; output goes to files in `scratch`.
    /// Arguments may hold any bytes except NUL (they are passed as C strings).
    init(_ executable: String, _ arguments: [[UInt8]], scratch: String, environment: [String] = []) throws {
        outPath = scratch + "/stdout"
        errPath = scratch + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            return p
        }
        let argv = ([Array(executable.utf8)] + arguments).map(cString) + [nil]
        let envp = (["PATH=/usr/bin:/bin"] + environment).map { cString(Array($0.utf8)) } + [nil]
        defer {
            argv.forEach { $0?.deallocate() }
            envp.forEach { $0?.deallocate() }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw IOError(code: .other, operation: "posix_spawn", path: executable, errno: spawned) }
        pid = child
    }

    /// Sends SIGKILL (the process cannot clean up).
    func kill9() { _ = Glibc.kill(pid, SIGKILL) }

    /// Waits for the process to end and collects its output.
    func wait() throws -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw IOError(code: .other, operation: "waitpid", path: "\(pid)", errno: errno) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        let fs = PosixFileSystem()
        return Exit(status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
                    stdout: (try? fs.readFile(outPath)) ?? [], stderr: (try? fs.readFile(errPath)) ?? [])
    }

    /// Waits at most `milliseconds`; a process still running then is killed
    /// (SIGKILL) and reported with `timedOut`.
    /// Polls without blocking a thread of the cooperative pool (other tests share its few threads).
    func wait(milliseconds: Int) async throws -> (exit: Exit, timedOut: Bool) {
        var status: Int32 = 0
        var waited = 0
        while waited < milliseconds {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw IOError(code: .other, operation: "waitpid", path: "\(pid)", errno: errno) }
            try await Task.sleep(for: .milliseconds(2))
            waited += 2
        }
        if waited >= milliseconds {
            kill9()
            return (try wait(), true)
        }
        let signal = status & 0x7F
        let fs = PosixFileSystem()
        return (Exit(status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
                     stdout: (try? fs.readFile(outPath)) ?? [], stderr: (try? fs.readFile(errPath)) ?? []), false)
    }

    /// Runs to completion.
    static func run(_ executable: String, _ arguments: [[UInt8]], scratch: String, environment: [String] = []) throws -> Exit {
        try ChildProcess(executable, arguments, scratch: scratch, environment: environment).wait()
    }

    /// Runs a system tool (mount, umount) and returns its exit status.
    static func system(_ tool: String, _ arguments: [String], scratch: String) throws -> Exit {
        try run(tool, arguments.map { Array($0.utf8) }, scratch: scratch)
    }
}

/// Sleeps the calling thread (not the cooperative pool's time) for `ms` milliseconds.
func sleepMillis(_ ms: Int) {
    var request = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) < 0 && errno == EINTR { request = remaining }
}
