/* SPDX-License-Identifier: MIT */
/*
 * A set of 4 KiB-aligned guest physical addresses (internal to measure/):
 * the TDX fold refuses a page added twice, as the TDX module does.
 *
 * Pages are kept as bits of 64-page (256 KiB) chunks in an open-addressing
 * table of 16-byte slots at most half full: 32 to 64 bytes per chunk, so
 * under a byte per page for the contiguous runs images are made of (256 KiB
 * for 1 GiB), and at worst 64 bytes per page when every page lies in a
 * chunk of its own.
 */
#ifndef IGK_GPA_SET_H
#define IGK_GPA_SET_H

#include <stddef.h>
#include <stdint.h>

struct igk_gpa_chunk {
    uint64_t key;   /* chunk number + 1; 0 = empty slot */
    uint64_t pages; /* bit i: page i of the chunk is in the set */
};

struct igk_gpa_set {
    struct igk_gpa_chunk *slots;
    size_t cap, used;
    size_t max_cap; /* most slots the table may have; 0: no limit */
};

#define IGK_GPA_SET_FULL (-2)

/*
 * Adds gpa (4 KiB aligned).  Returns 1 if it was added, 0 if it was in the
 * set already, -1 if out of memory, IGK_GPA_SET_FULL if the table would
 * need more than max_cap slots (the set is unchanged).
 */
int igk_gpa_set_add(struct igk_gpa_set *set, uint64_t gpa);

/*
 * Which of `parts` partitions gpa's chunk falls in, spread by a hash so that
 * no layout of pages fills one partition more than the others.
 */
unsigned igk_gpa_set_partition(uint64_t gpa, unsigned parts);

/* Frees the table; the set is empty again.  */
void igk_gpa_set_clear(struct igk_gpa_set *set);

#endif /* IGK_GPA_SET_H */
