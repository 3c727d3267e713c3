// SPDX-License-Identifier: Apache-2.0
// Syscall wrappers with stable C signatures for Swift.
#define _GNU_SOURCE
#include "CSpoolShims.h"
#include <errno.h>
#include <sys/file.h>
#include <unistd.h>

int spool_fdatasync(int fd) { return fdatasync(fd); }
int spool_flock_exclusive_nonblocking(int fd) { return flock(fd, LOCK_EX | LOCK_NB); }
int spool_errno(void) { return errno; }
