/* SPDX-License-Identifier: MIT */
/* Storage behind struct igk_igvm (internal to igvm/). */
#ifndef IGK_MODEL_PRIVATE_H
#define IGK_MODEL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct igk_igvm_private {
    size_t cap_headers;
    uint8_t **blobs; /* igk_igvm_keep() copies */
    size_t n_blobs, cap_blobs;
    struct igk_mapped_file mapping; /* igk_igvm_read_file() */
};

#endif /* IGK_MODEL_PRIVATE_H */
