// SPDX-License-Identifier: Apache-2.0
// What a workload gets: the settings, fresh data directories under the
// run's scratch root (removed after each case unless --keep), and `measure`,
// which brackets one case with a sync(2), progress lines and its peak RSS.
import FileIO
import Logging
#if canImport(Glibc)
import Glibc
#endif

struct WorkloadContext: Sendable {
    let settings: BenchSettings
    /// The run's scratch root (a fresh mkdtemp directory).
    let root: String
    private let fs = PosixFileSystem()

    init(settings: BenchSettings, root: String) {
        self.settings = settings
        self.root = root
    }

    /// A logger that stays quiet unless something is wrong (recovery
    /// warnings would otherwise interleave with progress lines).
    static func quietLogger() -> Logger {
        var logger = Logger(label: "spool-bench")
        logger.logLevel = .error
        return logger
    }

    /// A new, empty directory path under the root (not yet created: Spool
    /// and LogManager create their own data directories).
    func directory(_ name: String) throws -> String {
        let path = root + "/" + name
        if fs.exists(path) { try fs.removeDirectoryRecursively(path) }
        return path
    }

    /// Creates `directory(name)` on disk.
    func createdDirectory(_ name: String) throws -> String {
        let path = try directory(name)
        try fs.createDirectory(path)
        return path
    }

    /// Writes and deletes a scratch file of `bytes` (untimed), so the case
    /// starts with page-cache memory that was just in use. On VMs whose host
    /// reclaims idle guest memory (this one runs DAMON pageout), the first
    /// buffered write into cold memory runs about 10x slower (measured: dd
    /// of 1.5 GiB at 0.46 GB/s cold, 4.7-5.7 GB/s right after a write+delete),
    /// which would otherwise decide every page-cache ratio by case order.
    func prime(bytes: Int64) {
        let path = root + "/.prime"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer {
            chunk.deallocate()
            close(fd)
            unlink(path)
        }
        chunk.initializeMemory(as: UInt8.self, repeating: 0x5A)
        guard let base = chunk.baseAddress else { return }
        var written: Int64 = 0
        while written < bytes {
            let n = Glibc.write(fd, base, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            written += Int64(n)
        }
    }

    /// Removes a case's directory, unless --keep.
    func discard(_ path: String) {
        guard !settings.keep, fs.exists(path) else { return }
        do { try fs.removeDirectoryRecursively(path) } catch {
            Progress.line("warning: could not remove \(path): \(error)")
        }
    }

    /// Runs one case: a progress line before, the result line after, and
    /// the case's peak RSS filled in. `primeBytes`: about how much the case
    /// writes (see `prime`).
    func measure(_ label: String, primeBytes: Int64 = 0, _ body: () async throws -> BenchResult) async throws
        -> BenchResult
    {
        Progress.line("  \(label) ...")
        // Start every case with no dirty pages from earlier cases, so kernel
        // writeback of someone else's bytes does not land in this case's time.
        sync()
        if settings.prime, primeBytes > 0 { prime(bytes: primeBytes) }
        PeakMemory.reset()
        var result = try await body()
        result.peakRSSBytes = PeakMemory.peakBytes()
        var line = "  \(label): \(formatCount(result.records)) in \(formatFixed(result.seconds, decimals: 3)) s"
        line += " = \(formatRate(result.recordsPerSecond))/s, \(formatFixed(result.megabytesPerSecond, decimals: 1)) MB/s"
        if let p50 = result.p50Micros, let p99 = result.p99Micros {
            line += ", p50 \(formatMicros(p50)) p99 \(formatMicros(p99))"
        }
        if let ok = result.checksumOK { line += ok ? ", checksum ok" : ", CHECKSUM MISMATCH" }
        Progress.line(line)
        return result
    }
}
