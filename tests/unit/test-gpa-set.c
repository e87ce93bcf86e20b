/* SPDX-License-Identifier: MIT */
/* Unit tests of the page GPA set of the TDX fold (measure/gpa-set.h). */
#include <stdlib.h>

#include "gpa-set.h"
#include "tap.h"

int main(void)
{
    struct igk_gpa_set set = {0};
    bool all_new = true, all_seen = true;
    int r;

    is_int(igk_gpa_set_add(&set, 0x1000), 1, "a new page is added");
    is_int(igk_gpa_set_add(&set, 0x1000), 0, "the same page again is refused");
    is_int(igk_gpa_set_add(&set, 0x2000), 1, "its neighbour is a different page");
    is_int(igk_gpa_set_add(&set, 0), 1, "GPA 0 is a page like any other");
    is_int(igk_gpa_set_add(&set, 0), 0, "GPA 0 twice is refused");
    is_int(igk_gpa_set_add(&set, 0xFFFFFFFFFFFFF000ull), 1, "the last page of the address space");
    is_int(igk_gpa_set_add(&set, 0xFFFFFFFFFFFFF000ull), 0, "the last page twice");
    is_int(igk_gpa_set_add(&set, 0x40000), 1, "page 0 of the next 256 KiB chunk");
    is_int((long long)set.used, 3, "three chunks in use (0, 1 and the last)");
    igk_gpa_set_clear(&set);
    is_int(igk_gpa_set_add(&set, 0x1000), 1, "after clear the set is empty");
    igk_gpa_set_clear(&set);

    /* A contiguous 1 GiB image: one chunk per 64 pages. */
    for (uint64_t p = 0; p < 262144; p++)
        if (igk_gpa_set_add(&set, 0x100000000ull + p * 4096) != 1)
            all_new = false;
    ok(all_new, "262144 contiguous pages are all new");
    is_int((long long)set.used, 4096, "in 4096 chunks");
    ok(set.cap * sizeof(*set.slots) <= 256 * 1024, "a 1 GiB image takes at most 256 KiB (%zu)",
       set.cap * sizeof(*set.slots));
    igk_gpa_set_clear(&set);

    /* Sparse: every page in a 2 MiB region of its own, then each again. */
    for (uint64_t p = 0; p < 100000; p++)
        if (igk_gpa_set_add(&set, p << 21) != 1)
            all_new = false;
    for (uint64_t p = 0; p < 100000; p++)
        if ((r = igk_gpa_set_add(&set, p << 21)) != 0)
            all_seen = false;
    ok(all_new, "100000 sparse pages are all new");
    ok(all_seen, "and each is refused the second time");
    is_int(igk_gpa_set_add(&set, (1ull << 21) + 4096), 1,
           "the page after a sparse one is new (same chunk, other bit)");
    igk_gpa_set_clear(&set);

    /* A bounded set: 256 slots hold 128 chunks, then it is full. */
    set.max_cap = 256;
    all_new = true;
    for (uint64_t c = 0; c < 128; c++)
        if (igk_gpa_set_add(&set, c << 18) != 1)
            all_new = false;
    ok(all_new, "bounded: 128 chunks fit in 256 slots");
    is_int(igk_gpa_set_add(&set, 128ull << 18), IGK_GPA_SET_FULL, "bounded: the 129th is refused");
    is_int((long long)set.used, 128, "bounded: the set is unchanged");
    is_int((long long)set.cap, 256, "bounded: the table did not grow");
    is_int(igk_gpa_set_add(&set, (5ull << 18) + 4096), 1,
           "bounded: a new page of a chunk it has still fits");
    is_int(igk_gpa_set_add(&set, 5ull << 18), 0, "bounded: and duplicates are still seen");
    igk_gpa_set_clear(&set);
    is_int((long long)set.max_cap, 256, "bounded: clear keeps the bound");
    igk_gpa_set_clear(&set);

    /* A bound that is no power of two: the table stops at the one below. */
    set.max_cap = 1000;
    all_new = true;
    for (uint64_t c = 0; c < 256; c++)
        if (igk_gpa_set_add(&set, c << 18) != 1)
            all_new = false;
    ok(all_new && set.cap == 512, "bounded at 1000: 256 chunks in 512 slots");
    is_int(igk_gpa_set_add(&set, 256ull << 18), IGK_GPA_SET_FULL, "bounded at 1000: then full");
    is_int(igk_gpa_set_add(&set, 255ull << 18), 0, "bounded at 1000: lookups still work");
    igk_gpa_set_clear(&set);
    set.max_cap = 0;

    /* Partitions: a function of the chunk, in range, and even for any layout. */
    {
        unsigned count[4] = {0}, bad = 0;
        for (uint64_t c = 0; c < 4096; c++) {
            unsigned part = igk_gpa_set_partition(c << 30, 4); /* every 4096th chunk */
            bad += part >= 4 || igk_gpa_set_partition((c << 30) + 0x3F000, 4) != part;
            count[part < 4 ? part : 0]++;
        }
        is_int(bad, 0, "partition: in range, the same for every page of a chunk");
        ok(count[0] > 900 && count[1] > 900 && count[2] > 900 && count[3] > 900,
           "partition: 4096 strided chunks spread evenly (%u %u %u %u)", count[0], count[1],
           count[2], count[3]);
    }
    return tap_done();
}
