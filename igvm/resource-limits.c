/* SPDX-License-Identifier: MIT */
/*
 * The resource limit table (resource-limits.h).  Values are chosen so that the
 * largest legitimate input fits with room (an OVMF build is 2-8 MiB, its SEV
 * and TDVF sections a few MiB; direct boot pre-validates the default 2 GiB of
 * RAM as 524288 pages) while the worst-case memory for any input stays well
 * below 256 MiB of bookkeeping.  igvmkit(1), LIMITS, lists the same values.
 */
#include "resource-limits.h"

static const struct igk_limit limits[IGK_LIMIT_COUNT] = {
    [IGK_LIMIT_IGVM_FILE] = {"igvm-file", UINT32_MAX, "bytes"},
    [IGK_LIMIT_IGVM_HEADERS] = {"igvm-headers", (uint64_t)4 << 20, "headers"},
    [IGK_LIMIT_DESCRIPTOR_SIZE] = {"descriptor-size", (uint64_t)1 << 20, "bytes"},
    [IGK_LIMIT_YAML_DEPTH] = {"yaml-depth", 16, "levels"},
    [IGK_LIMIT_FIRMWARE_SIZE] = {"firmware-size", (uint64_t)64 << 20, "bytes"},
    [IGK_LIMIT_FIRMWARE_SECTIONS] = {"firmware-sections", (uint64_t)256 << 20, "bytes"},
    [IGK_LIMIT_KERNEL_SIZE] = {"kernel-size", (uint64_t)512 << 20, "bytes"},
    [IGK_LIMIT_INITRD_SIZE] = {"initrd-size", (uint64_t)2 << 30, "bytes"},
    [IGK_LIMIT_MEMORY] = {"memory", (uint64_t)16 << 40, "bytes"},
    [IGK_LIMIT_PACKED_PAGES] = {"packed-pages", (uint64_t)1 << 20, "pages"},
    [IGK_LIMIT_SMALL_FILE] = {"small-file", (uint64_t)1 << 20, "bytes"},
};

const struct igk_limit *igk_limit(enum igk_limit_id id)
{
    return &limits[id < IGK_LIMIT_COUNT ? id : 0];
}

int igk_limit_fail(struct igk_error *err, enum igk_limit_id id, const char *what, uint64_t have)
{
    const struct igk_limit *l = igk_limit(id);

    return igk_error_set(err, IGK_E_INVALID, "%s (%llu %s) exceeds the limit '%s' of %llu %s", what,
                         (unsigned long long)have, l->unit, l->name, (unsigned long long)l->value,
                         l->unit);
}
