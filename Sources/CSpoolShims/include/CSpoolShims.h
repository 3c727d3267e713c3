// SPDX-License-Identifier: Apache-2.0
// CSpoolShims: the few things Swift cannot do well or portably by itself.
//
//  - CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init/xorout
//    0xFFFFFFFF): SSE4.2 `crc32` instructions chosen at run time (cpuid),
//    portable slicing-by-8 fallback.
//  - Thin wrappers over syscalls that Glibc's Swift overlay imports awkwardly
//    (fdatasync, flock, fallocate, posix_fadvise), all prefixed `spool_`.
#ifndef CSPOOLSHIMS_H
#define CSPOOLSHIMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Continues a CRC-32C over `len` bytes. Pass 0 to start; the result is the
/// finished checksum of everything fed so far (pre/post inversion included).
uint32_t spool_crc32c(uint32_t crc, const void *buf, size_t len);
/// Portable slicing-by-8 implementation (always available).
uint32_t spool_crc32c_sw(uint32_t crc, const void *buf, size_t len);
/// Hardware implementation; only call when spool_crc32c_has_hw() != 0.
uint32_t spool_crc32c_hw(uint32_t crc, const void *buf, size_t len);
/// 1 when the CPU has SSE4.2 and the dispatcher uses the hardware path.
int spool_crc32c_has_hw(void);

/// fdatasync(2); returns 0 or -1 with errno set.
int spool_fdatasync(int fd);
/// flock(fd, LOCK_EX | LOCK_NB); returns 0, or -1 with errno set (EWOULDBLOCK when held).
int spool_flock_exclusive_nonblocking(int fd);
/// Current errno value.
int spool_errno(void);

#ifdef __cplusplus
}
#endif
#endif
