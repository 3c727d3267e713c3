// SPDX-License-Identifier: Apache-2.0
// Peak resident memory per workload. getrusage's ru_maxrss is a high-water
// mark for the whole process life; Linux lets a process reset its own
// high-water mark (write "5" to /proc/self/clear_refs, since 4.0), after
// which VmHWM in /proc/self/status is the peak since the reset.
#if canImport(Glibc)
import Glibc
#endif

enum PeakMemory {
    /// Whether the per-workload reset works here (checked once).
    static let resettable: Bool = TextFile.write("5", to: "/proc/self/clear_refs") == nil

    static var method: String {
        resettable ? "VmHWM after clear_refs reset (per workload)" : "getrusage ru_maxrss (process-wide high-water mark)"
    }

    /// Starts a new peak measurement (no-op when not resettable).
    static func reset() {
        if resettable { TextFile.write("5", to: "/proc/self/clear_refs") }
    }

    /// Peak resident bytes since the last `reset()` (or process start).
    static func peakBytes() -> Int64 {
        if resettable, let status = TextFile.read("/proc/self/status") {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                if let kb = Int64(String(line.filter { $0.isNumber })) { return kb * 1024 }
            }
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int64(usage.ru_maxrss) * 1024
    }
}
