// SPDX-License-Identifier: Apache-2.0
// The process's file-descriptor budget. Every open segment holds three
// descriptors, so callers check the budget before creating many partitions
// instead of failing with EMFILE halfway through.
#if canImport(Glibc)
import Glibc
#endif

package enum DescriptorLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit (as servers such as
    /// Kafka ask operators to do) and returns the resulting soft limit.
    @discardableResult
    package static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Descriptors this process has open now (entries of /proc/self/fd).
    package static func openCount() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while readdir(dir) != nil { count += 1 }
        return max(0, count - 3)  // ".", "..", and the directory stream itself
    }

    /// Descriptors still available under the soft limit.
    package static func available() -> Int {
        let limit = raiseToHardLimit()
        return limit == Int.max ? Int.max : limit - openCount()
    }
}
