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
    return tap_done();
}
