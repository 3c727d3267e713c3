// SPDX-License-Identifier: Apache-2.0
// PLACEHOLDER: bitwise CRC-32C; replaced by the SSE4.2 implementation.
#include "CSpoolShims.h"

uint32_t spool_crc32c_sw(uint32_t crc, const void *buf, size_t len) {
    const uint8_t *p = buf;
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}
uint32_t spool_crc32c_hw(uint32_t crc, const void *buf, size_t len) { return spool_crc32c_sw(crc, buf, len); }
int spool_crc32c_has_hw(void) { return 0; }
uint32_t spool_crc32c(uint32_t crc, const void *buf, size_t len) { return spool_crc32c_sw(crc, buf, len); }
