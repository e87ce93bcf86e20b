/* SPDX-License-Identifier: MIT */
/*
 * The TDX module refuses a page added twice (TDH.MEM.PAGE.ADD on a GPA that
 * is already mapped fails, docs/measure-tdx.md 4), so the TDX fold refuses
 * such a file too, naming both directives.  Internal to measure/.
 *
 * Memory stays bounded whatever the file: pages are tracked in a GPA set of
 * at most igk_tdx_gpa_max_slots chunk slots while the fold streams.  Real
 * images are runs of contiguous pages and never fill it (1 GiB takes 4096
 * slots).  A file whose pages are spread so widely that they would need more
 * stops the tracking; once the walk is over, igk_tdx_gpa_finish() walks the
 * directives again, once per partition of the address space, with a set of
 * the same bound per pass, doubling the partitions until each pass fits.
 * The duplicate reported is the same as with unbounded tracking: the first
 * page, in walk order, added a second time.  Only a trace (explain) of such
 * a file differs: it goes on past the duplicate until the walk ends.
 */
#ifndef IGK_TDX_GPA_H
#define IGK_TDX_GPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/measure.h>

#include "gpa-set.h"

/* Bound of each set, in 16-byte slots (4 MiB).  Tests lower it. */
extern size_t igk_tdx_gpa_max_slots;

struct igk_tdx_gpa {
    struct igk_gpa_set set;
    const struct igk_igvm *igvm;
    uint32_t mask;
    /* The caller's options without progress: these walks are not the measurement's. */
    struct igk_measure_options options;
    uint64_t added;  /* pages offered by igk_tdx_gpa_add() */
    bool overflowed; /* the set filled up: igk_tdx_gpa_finish() searches */
};

void igk_tdx_gpa_init(struct igk_tdx_gpa *g, const struct igk_igvm *igvm, uint32_t mask,
                      const struct igk_measure_options *options);

/*
 * Offers the next page the TDX module adds, in walk order.  Returns 0, or
 * IGK_E_INVALID for a GPA that is not 4 KiB aligned or that was seen before
 * (while the set still tracks pages), or IGK_E_INTERNAL.
 */
int igk_tdx_gpa_add(struct igk_tdx_gpa *g, uint64_t gpa, uint32_t directive,
                    struct igk_error *err);

/*
 * After the walk, successful or not: when the set filled up, finds the first
 * page of those offered that was added twice.  Returns IGK_E_INVALID with the
 * duplicate's message, 0 when there is none (or nothing to search), or
 * IGK_E_INTERNAL.
 */
int igk_tdx_gpa_finish(struct igk_tdx_gpa *g, struct igk_error *err);

void igk_tdx_gpa_free(struct igk_tdx_gpa *g);

#endif /* IGK_TDX_GPA_H */
