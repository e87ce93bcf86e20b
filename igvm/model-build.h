/* SPDX-License-Identifier: MIT */
/* Building large models (internal, for the packer). */
#ifndef IGK_MODEL_BUILD_H
#define IGK_MODEL_BUILD_H

#include <stddef.h>

struct igk_igvm;
struct igk_error;

/*
 * Grows the header array to hold at least n headers in all, so that a
 * builder that knows its count appends without the array doubling (a
 * direct-boot model can have millions of headers).  0 or IGK_E_INTERNAL.
 */
int igk_igvm_reserve(struct igk_igvm *igvm, size_t n, struct igk_error *err);

#endif /* IGK_MODEL_BUILD_H */
