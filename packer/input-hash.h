/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 of a packer input for provenance (internal), read with pread() in
 * 1 MiB chunks rather than through its mapping: a file that shrinks while
 * it is hashed is then reported (IGK_E_IO, "changed while being packed")
 * instead of killing the process with SIGBUS, and hashing adds no
 * anonymous memory beyond the chunk.
 */
#ifndef IGK_INPUT_HASH_H
#define IGK_INPUT_HASH_H

#include <stdint.h>

#include "util.h"

int igk_input_sha256(const struct igk_mapped_file *file, const char *name,
                     uint8_t out[IGK_SHA256_LEN], struct igk_error *err);

#endif /* IGK_INPUT_HASH_H */
