/* SPDX-License-Identifier: MIT */
/*
 * A readable dump of an IGVM model, as text or JSON (internal; used by
 * `igvmkit inspect`).  Both forms carry the same content: the fixed header,
 * then every header with its index, file offset, type, decoded fields, data
 * length and data SHA-256.  JSON keys are stable: they are the field names
 * of docs/igvm-format.md, lower case.
 */
#ifndef IGK_DUMP_H
#define IGK_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/igvm.h>

struct igk_dump_options {
    bool json;
    /* When set, only headers for the platform with this mask bit (mask &
     * platform_mask != 0) and headers without a mask (section 4.2). */
    bool filter;
    uint32_t platform_mask;
    const char *platform_name; /* shown when filtering */
};

/* "schema" of the JSON documents (full dump and summary). */
#define IGK_DUMP_SCHEMA 1
/* PAGE_DATA ranges the text summary lists before "... N more". */
#define IGK_SUMMARY_MAX_RANGES 32

/* The dump as NUL-terminated malloc()ed text. */
int igk_igvm_dump(const struct igk_igvm *igvm, const struct igk_dump_options *opt,
                  char **ret_text, size_t *ret_len, struct igk_error *err);

/*
 * The summary: fixed-header facts, platforms, header counts (and data bytes)
 * per type, the PAGE_DATA GPA ranges (runs contiguous in file order with one
 * mask) and sizes.  Honours opt->json and opt->filter like igk_igvm_dump().
 * Works on lean models too (it reads no page data).
 */
int igk_igvm_summary(const struct igk_igvm *m, const struct igk_dump_options *opt,
                     char **ret_text, size_t *ret_len, struct igk_error *err);

#endif /* IGK_DUMP_H */
