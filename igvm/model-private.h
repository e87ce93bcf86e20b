/* SPDX-License-Identifier: MIT */
/* Storage behind struct igk_igvm (internal to igvm/). */
#ifndef IGK_MODEL_PRIVATE_H
#define IGK_MODEL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct igk_held_input;
struct igk_page_run;

struct igk_igvm_private {
    size_t cap_headers;
    /* Lean models (igk_igvm_read_file_lean) leave PAGE_DATA in the file and
     * keep the file index of each entry of headers[], and how many headers
     * the file has in all. */
    bool lean;
    size_t *numbers;
    size_t n_file_headers;
    /* Lean built models (igk_igvm_build_lean, model-build.h): the PAGE_DATA
     * headers are runs the cursor expands instead of TLVs in a file. */
    struct igk_page_run *runs;
    size_t n_runs, cap_runs;
    uint8_t **blobs; /* igk_igvm_keep() copies */
    size_t n_blobs, cap_blobs;
    struct igk_mapped_file mapping; /* igk_igvm_read_file() */
    struct igk_held_input *held;    /* igk_igvm_hold_input() (held-input.h) */
    size_t n_held;
};

struct igk_igvm;
struct igk_header;
struct igk_error;

/*
 * igk_igvm_append() for the reader: also records the header's file index
 * when the model is lean.
 */
int igk_igvm_append_numbered(struct igk_igvm *igvm, const struct igk_header *header, size_t number,
                             struct igk_error *err);


#endif /* IGK_MODEL_PRIVATE_H */
