// SPDX-License-Identifier: Apache-2.0
// The one raw write(2) loop the CLI's standard streams share: retries on
// EINTR and short writes. (Glibc's `stdout`/`stderr` FILE globals are not
// usable from Swift 6 strict concurrency, and buffering is ours anyway.)
#if canImport(Glibc)
import Glibc
#endif

enum FileDescriptorWrite {
    /// Writes all of `bytes` to `fd`; returns errno on failure, 0 on success.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard var p = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            p += n
            left -= n
        }
        return 0
    }
}
