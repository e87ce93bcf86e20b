/* SPDX-License-Identifier: MIT */
/*
 * Little-endian load/store helpers.  Every on-disk field in igvmkit (IGVM
 * headers, OVMF tables, bzImage setup headers, SNP structures) is encoded and
 * decoded through these, never by casting a struct over bytes: the layouts
 * are packed and unaligned, and the host may not be little endian.
 */
#ifndef IGK_LE_H
#define IGK_LE_H

#include <stdint.h>

static inline uint16_t igk_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t igk_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t igk_le64(const uint8_t *p)
{
    return (uint64_t)igk_le32(p) | ((uint64_t)igk_le32(p + 4) << 32);
}

static inline void igk_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void igk_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void igk_put_le64(uint8_t *p, uint64_t v)
{
    igk_put_le32(p, (uint32_t)v);
    igk_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* IGK_LE_H */
