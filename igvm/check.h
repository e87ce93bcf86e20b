/* SPDX-License-Identifier: MIT */
/*
 * The validation rules of docs/igvm-format.md section 7, shared by the reader
 * (on headers decoded from a file) and igk_igvm_validate() (on a model built
 * in memory).  Internal to igvm/.
 *
 * Evaluation order follows the reference parser: each header is checked on
 * its own as it is met, in file order (igk_check_type, then igk_check_header),
 * and the cross-header rules run once at the end (igk_check_cross): platform
 * set, then initialization set, then directive set.  With several defects the
 * first per-header defect in file order therefore wins.
 */
#ifndef IGK_CHECK_H
#define IGK_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/igvm.h>

struct igk_check {
    struct igk_error *err;
    uint32_t arch;
    bool have_offsets; /* headers carry real file offsets (model was read) */
    int section;       /* section of the last header seen: 0 none, 1..3 */
    /* Platform type owning each compatibility-mask bit, -1 if none.  With
     * duplicate bits the last platform header wins, as in the crate (s. 3). */
    int bit_platform[32];
};

void igk_check_init(struct igk_check *c, uint32_t arch, bool have_offsets,
                    struct igk_error *err);

/*
 * Framing rules that only need the type code (rules 4-5): one of the three
 * ranges, no optional bit, section order, and a type the reference parser
 * knows.  offset is the TLV's file offset or IGK_NO_OFFSET.
 */
int igk_check_type(struct igk_check *c, size_t index, uint32_t type, uint64_t offset);

/*
 * The platform type a VP context's mask resolves to (exactly one declared
 * platform bit), or -1.
 */
int igk_check_vp_platform(const struct igk_check *c, uint32_t mask);

/* Per-header rules 7, 9-19 on one decoded header (data resolved). */
int igk_check_header(struct igk_check *c, size_t index, const struct igk_header *h);

/* Cross-header rules 8, 11, 12, 14-16, 20 after all headers were checked. */
int igk_check_cross(struct igk_check *c, const struct igk_igvm *igvm);

/* Records a per-header failure: code IGK_E_INVALID, header index/type, offset. */
int igk_check_fail(struct igk_check *c, size_t index, uint32_t type, uint64_t offset,
                   const char *fmt, ...) IGK_PRINTF(5, 6);

#endif /* IGK_CHECK_H */
