// SPDX-License-Identifier: Apache-2.0
// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and final XOR
// 0xFFFFFFFF, check value crc32c("123456789") = 0xE3069283.
//
// Hardware path: SSE4.2 `crc32q`, three interleaved streams for long buffers
// (the instruction has 3-cycle latency but 1-per-cycle throughput), combined
// with GF(2) "append N zero bytes" shift tables (Mark Adler's scheme). Short
// tails run one stream. Portable path: slicing-by-8.
//
// MARK: Invariants
// I1. Every table is built exactly once, by `crc_init` under `crc_once`, before
//     any function reads it; both public entry points run pthread_once first,
//     so the tables are published with the happens-before pthread_once gives.
// I2. `crc_use_hw` is written only inside `crc_init` (same once).
// I3. All functions take and return the finished (post-inverted) CRC, so
//     spool_crc32c(spool_crc32c(0, a), b) == spool_crc32c(0, a ++ b).
#include "CSpoolShims.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define SPOOL_CRC_X86 1
#include <nmmintrin.h>
#endif

#define CRC32C_POLY 0x82F63B78u

// Block sizes of the 3-way kernel: LONG for bulk, SHORT for the remainder.
#define CRC_LONG 8192
#define CRC_SHORT 256

static pthread_once_t crc_once = PTHREAD_ONCE_INIT;
static uint32_t crc_table[8][256];     // slicing-by-8
static int crc_use_hw;
#ifdef SPOOL_CRC_X86
static uint32_t crc_long_shift[4][256];  // appends CRC_LONG zero bytes
static uint32_t crc_short_shift[4][256]; // appends CRC_SHORT zero bytes
#endif

// MARK: GF(2) shift operators (zlib crc32_combine style)

#ifdef SPOOL_CRC_X86
static uint32_t gf2_matrix_times(const uint32_t *mat, uint32_t vec) {
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1) sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_matrix_square(uint32_t *square, const uint32_t *mat) {
    for (int n = 0; n < 32; n++) square[n] = gf2_matrix_times(mat, mat[n]);
}

// Builds in `even` the operator that feeds `len` zero bytes through the CRC
// register; `len` must be a power of two.
static void crc_zeros_op(uint32_t *even, size_t len) {
    uint32_t odd[32];
    odd[0] = CRC32C_POLY; // one zero bit
    uint32_t row = 1;
    for (int n = 1; n < 32; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_matrix_square(even, odd); // two zero bits
    gf2_matrix_square(odd, even); // four zero bits
    // Each square doubles the count: first into even (one byte), then odd...
    do {
        gf2_matrix_square(even, odd);
        len >>= 1;
        if (len == 0) return;
        gf2_matrix_square(odd, even);
        len >>= 1;
    } while (len);
    memcpy(even, odd, sizeof(odd));
}

static void crc_zeros_tables(uint32_t zeros[4][256], size_t len) {
    uint32_t op[32];
    crc_zeros_op(op, len);
    for (uint32_t n = 0; n < 256; n++) {
        zeros[0][n] = gf2_matrix_times(op, n);
        zeros[1][n] = gf2_matrix_times(op, n << 8);
        zeros[2][n] = gf2_matrix_times(op, n << 16);
        zeros[3][n] = gf2_matrix_times(op, n << 24);
    }
}

static inline uint32_t crc_shift(uint32_t zeros[4][256], uint32_t crc) {
    return zeros[0][crc & 0xff] ^ zeros[1][(crc >> 8) & 0xff] ^
           zeros[2][(crc >> 16) & 0xff] ^ zeros[3][crc >> 24];
}
#endif

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (CRC32C_POLY & (0u - (crc & 1u)));
        crc_table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = crc_table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = crc_table[0][crc & 0xff] ^ (crc >> 8);
            crc_table[k][n] = crc;
        }
    }
#ifdef SPOOL_CRC_X86
    crc_zeros_tables(crc_long_shift, CRC_LONG);
    crc_zeros_tables(crc_short_shift, CRC_SHORT);
    __builtin_cpu_init();
    crc_use_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#else
    crc_use_hw = 0;
#endif
}

// MARK: Portable slicing-by-8

static uint32_t crc_sw_body(uint32_t crc, const unsigned char *p, size_t len) {
    crc = ~crc;
    while (len && ((uintptr_t)p & 7) != 0) {
        crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        len--;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= crc;
        crc = crc_table[7][w & 0xff] ^ crc_table[6][(w >> 8) & 0xff] ^
              crc_table[5][(w >> 16) & 0xff] ^ crc_table[4][(w >> 24) & 0xff] ^
              crc_table[3][(w >> 32) & 0xff] ^ crc_table[2][(w >> 40) & 0xff] ^
              crc_table[1][(w >> 48) & 0xff] ^ crc_table[0][w >> 56];
        p += 8;
        len -= 8;
    }
#endif
    while (len--) crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint32_t spool_crc32c_sw(uint32_t crc, const void *buf, size_t len) {
    pthread_once(&crc_once, crc_init);
    return crc_sw_body(crc, buf, len);
}

// MARK: SSE4.2

#ifdef SPOOL_CRC_X86
__attribute__((target("sse4.2")))
static inline uint64_t crc_q(uint64_t crc, const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return _mm_crc32_u64(crc, w);
}

__attribute__((target("sse4.2")))
static uint32_t crc_hw_body(uint32_t crc, const unsigned char *next, size_t len) {
    uint64_t crc0 = crc ^ 0xffffffffu;
    // Align to 8 so the bulk loads never straddle a cache line needlessly.
    while (len && ((uintptr_t)next & 7) != 0) {
        crc0 = _mm_crc32_u8((uint32_t)crc0, *next++);
        len--;
    }
    // Three independent streams over adjacent blocks, then fold stream 1 and 2
    // in: crc(A||B) = shift(crc(A), |B|) ^ crc_from_zero(B) in register form.
    while (len >= CRC_LONG * 3) {
        uint64_t crc1 = 0, crc2 = 0;
        const unsigned char *end = next + CRC_LONG;
        do {
            crc0 = crc_q(crc0, next);
            crc1 = crc_q(crc1, next + CRC_LONG);
            crc2 = crc_q(crc2, next + CRC_LONG * 2);
            next += 8;
        } while (next < end);
        crc0 = crc_shift(crc_long_shift, (uint32_t)crc0) ^ (uint32_t)crc1;
        crc0 = crc_shift(crc_long_shift, (uint32_t)crc0) ^ (uint32_t)crc2;
        next += CRC_LONG * 2;
        len -= CRC_LONG * 3;
    }
    while (len >= CRC_SHORT * 3) {
        uint64_t crc1 = 0, crc2 = 0;
        const unsigned char *end = next + CRC_SHORT;
        do {
            crc0 = crc_q(crc0, next);
            crc1 = crc_q(crc1, next + CRC_SHORT);
            crc2 = crc_q(crc2, next + CRC_SHORT * 2);
            next += 8;
        } while (next < end);
        crc0 = crc_shift(crc_short_shift, (uint32_t)crc0) ^ (uint32_t)crc1;
        crc0 = crc_shift(crc_short_shift, (uint32_t)crc0) ^ (uint32_t)crc2;
        next += CRC_SHORT * 2;
        len -= CRC_SHORT * 3;
    }
    // One stream for what is left (< 768 bytes, and all of a short buffer).
    while (len >= 8) {
        crc0 = crc_q(crc0, next);
        next += 8;
        len -= 8;
    }
    while (len) {
        crc0 = _mm_crc32_u8((uint32_t)crc0, *next++);
        len--;
    }
    return (uint32_t)crc0 ^ 0xffffffffu;
}
#endif

uint32_t spool_crc32c_hw(uint32_t crc, const void *buf, size_t len) {
    pthread_once(&crc_once, crc_init);
#ifdef SPOOL_CRC_X86
    if (crc_use_hw) return crc_hw_body(crc, buf, len);
#endif
    return crc_sw_body(crc, buf, len);
}

int spool_crc32c_has_hw(void) {
    pthread_once(&crc_once, crc_init);
    return crc_use_hw;
}

uint32_t spool_crc32c(uint32_t crc, const void *buf, size_t len) {
    pthread_once(&crc_once, crc_init);
#ifdef SPOOL_CRC_X86
    if (crc_use_hw) return crc_hw_body(crc, buf, len);
#endif
    return crc_sw_body(crc, buf, len);
}
