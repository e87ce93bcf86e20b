/* SPDX-License-Identifier: MIT */
/*
 * Resource limits on untrusted input, as data (not installed).  Every size or
 * count read from a file, a descriptor or the command line is checked against
 * one of these before memory is reserved for it; exceeding one is
 * IGK_E_INVALID (exit 3) with a message naming the limit (igk_limit_fail()).
 * The table is documented in igvmkit(1), LIMITS; tests/unit/test-limits.c
 * checks that every name below appears there.
 */
#ifndef IGK_RESOURCE_LIMITS_H
#define IGK_RESOURCE_LIMITS_H

#include <stdint.h>

#include <igvmkit/error.h>

enum igk_limit_id {
    IGK_LIMIT_IGVM_FILE,         /* bytes of an IGVM file (total_file_size is a u32) */
    IGK_LIMIT_IGVM_HEADERS,      /* variable headers in one IGVM file */
    IGK_LIMIT_DESCRIPTOR_SIZE,   /* bytes of a YAML descriptor */
    IGK_LIMIT_YAML_DEPTH,        /* nesting of YAML collections in a descriptor */
    IGK_LIMIT_FIRMWARE_SIZE,     /* bytes of an OVMF or raw firmware image (+ vars) */
    IGK_LIMIT_FIRMWARE_SECTIONS, /* bytes of guest pages firmware metadata may add */
    IGK_LIMIT_KERNEL_SIZE,       /* bytes of a kernel */
    IGK_LIMIT_INITRD_SIZE,       /* bytes of an initrd */
    IGK_LIMIT_MEMORY,            /* a descriptor's 'memory' */
    IGK_LIMIT_PACKED_PAGES,      /* PAGE_DATA directives one pack may lay out */
    IGK_LIMIT_SMALL_FILE,        /* keys, signatures, reports, quotes */
    IGK_LIMIT_COUNT
};

struct igk_limit {
    const char *name; /* as documented: "firmware-sections" */
    uint64_t value;
    const char *unit; /* "bytes", "headers", "levels", "pages" */
};

/* The limit with that id. */
const struct igk_limit *igk_limit(enum igk_limit_id id);

/* The value of a limit. */
static inline uint64_t igk_limit_value(enum igk_limit_id id)
{
    return igk_limit(id)->value;
}

/*
 * Records "WHAT (N UNIT) exceeds the limit 'NAME' of M UNIT" as IGK_E_INVALID
 * and returns IGK_E_INVALID.  what describes the offending input.
 */
int igk_limit_fail(struct igk_error *err, enum igk_limit_id id, const char *what, uint64_t have);

#endif /* IGK_RESOURCE_LIMITS_H */
