/* SPDX-License-Identifier: MIT */
/* Building large models (internal, for the packer). */
#ifndef IGK_MODEL_BUILD_H
#define IGK_MODEL_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct igk_igvm;
struct igk_error;
struct igk_header;

/*
 * Grows the header array to hold at least n headers in all, so that a
 * builder that knows its count appends without the array doubling (a
 * direct-boot model can have millions of headers).  0 or IGK_E_INTERNAL.
 */
int igk_igvm_reserve(struct igk_igvm *igvm, size_t n, struct igk_error *err);

/*
 * Consecutive PAGE_DATA headers of a lean built model: count pages from gpa
 * on, one header each, alike but for the GPA and, when data is not NULL,
 * the 4 KiB of data (data + k * 4096 for the k-th page).
 */
struct igk_page_run {
    size_t first; /* file index of the first header */
    uint32_t count;
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t flags;
    uint16_t data_type;
    const uint8_t *data;
};

/*
 * Makes the empty model igvm lean (igk_igvm_is_lean): igk_igvm_add_built()
 * then keeps its PAGE_DATA headers as runs, which igk_igvm_next_header()
 * expands one header at a time, so a model of a million pages costs a few
 * runs instead of a million headers.  For models that are only walked
 * (measured, explained); writing one needs every header.  IGK_E_USAGE when
 * igvm already has headers.
 */
int igk_igvm_build_lean(struct igk_igvm *igvm, struct igk_error *err);

/*
 * igk_igvm_append() for builders: on a lean built model a PAGE_DATA header
 * joins the last run when it continues it (next GPA, same fields, data
 * contiguous or both data-less, nothing else appended in between) and
 * starts a new run otherwise.  h->data must stay valid as long as the model.
 */
int igk_igvm_add_built(struct igk_igvm *igvm, const struct igk_header *h, struct igk_error *err);

#endif /* IGK_MODEL_BUILD_H */
