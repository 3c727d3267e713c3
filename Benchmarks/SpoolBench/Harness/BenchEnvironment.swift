// SPDX-License-Identifier: Apache-2.0
// What the numbers were measured on: Spool version, build configuration,
// CPU, memory, kernel, the data directory's file system, load and time.
// Everything is read from /proc and uname (best effort: "unknown").
#if canImport(Glibc)
import Glibc
#endif

struct BenchEnvironment: Sendable {
    static let spoolVersion = "0.1.0"

    var spoolVersion: String
    var optimized: Bool
    var buildConfiguration: String
    var cpuModel: String
    var cpuCount: Int
    var memoryBytes: Int64
    var kernel: String
    var dataDirectory: String
    var fileSystem: String
    var mountDevice: String
    var hostname: String
    var startedAt: String
    var loadAverage: String
    var peakRSSMethod: String

    /// Not inlined into a condition: the optimiser folds it per build, and a
    /// folded `if` in the caller would be reported as unreachable code.
    @inline(never)
    static func isOptimizedBuild() -> Bool {
        !_isDebugAssertConfiguration()
    }

    static func detect(dataDirectory: String) -> BenchEnvironment {
        let optimized = isOptimizedBuild()
        let cpuinfo = TextFile.read("/proc/cpuinfo") ?? ""
        var model = "unknown"
        var processors = 0
        for line in cpuinfo.split(separator: "\n") {
            if line.hasPrefix("processor") { processors += 1 }
            if model == "unknown", line.hasPrefix("model name"), let colon = line.firstIndex(of: ":") {
                model = line[line.index(after: colon)...].trimmingSpaces()
            }
        }
        if processors == 0 { processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
        var memory: Int64 = 0
        for line in (TextFile.read("/proc/meminfo") ?? "").split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let digits = line.filter { $0.isNumber }
            memory = (Int64(String(digits)) ?? 0) * 1024
        }
        let (fsType, device) = fileSystem(of: dataDirectory)
        return BenchEnvironment(
            spoolVersion: spoolVersion,
            optimized: optimized,
            buildConfiguration: optimized ? "release (optimised)" : "debug (NOT optimised)",
            cpuModel: model,
            cpuCount: processors,
            memoryBytes: memory,
            kernel: kernelDescription(),
            dataDirectory: dataDirectory,
            fileSystem: fsType,
            mountDevice: device,
            hostname: hostname(),
            startedAt: utcTimestamp(),
            loadAverage: loadAverage(),
            peakRSSMethod: PeakMemory.method)
    }

    private static func kernelDescription() -> String {
        var u = utsname()
        guard uname(&u) == 0 else { return "unknown" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return "\(field(u.sysname)) \(field(u.release)) \(field(u.machine))"
    }

    private static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { formatFixed($0, decimals: 2) }.joined(separator: " ")
    }

    static func utcTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// The file system type and device of the mount holding `path` (the
    /// longest mount point of /proc/mounts that prefixes its real path).
    static func fileSystem(of path: String) -> (type: String, device: String) {
        var real = path
        if let resolved = realpath(path, nil) {
            real = String(cString: resolved)
            free(resolved)
        }
        var best: (length: Int, type: String, device: String) = (-1, "unknown", "unknown")
        for line in (TextFile.read("/proc/mounts") ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = String(fields[1])
            let matches = real == mountPoint || mountPoint == "/" || real.hasPrefix(mountPoint + "/")
            if matches, mountPoint.count > best.length {
                best = (mountPoint.count, String(fields[2]), String(fields[0]))
            }
        }
        return (best.type, best.device)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
