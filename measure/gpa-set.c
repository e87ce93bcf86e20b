/* SPDX-License-Identifier: MIT */
/* A set of page GPAs as 64-page bitmap chunks (gpa-set.h). */
#include <stdlib.h>

#include "gpa-set.h"

#define CHUNK_SHIFT 18 /* 64 pages of 4 KiB */

/* The splitmix64 finalizer: every key bit reaches every bit of the hash. */
static uint64_t mix(uint64_t key)
{
    key ^= key >> 30;
    key *= 0xBF58476D1CE4E5B9ull;
    key ^= key >> 27;
    key *= 0x94D049BB133111EBull;
    key ^= key >> 31;
    return key;
}

/* The table uses the low bits of the hash, partitions the high ones. */
static size_t slot_of(uint64_t key, size_t cap)
{
    return (size_t)mix(key) & (cap - 1);
}

unsigned igk_gpa_set_partition(uint64_t gpa, unsigned parts)
{
    return (unsigned)((mix((gpa >> CHUNK_SHIFT) + 1) >> 32) % parts);
}

static struct igk_gpa_chunk *find(struct igk_gpa_chunk *slots, size_t cap, uint64_t key)
{
    size_t j;

    for (j = slot_of(key, cap); slots[j].key && slots[j].key != key; j = (j + 1) & (cap - 1))
        ;
    return &slots[j];
}

static int grow(struct igk_gpa_set *set)
{
    size_t cap = set->cap ? set->cap * 2 : 256;
    struct igk_gpa_chunk *slots;

    if (set->max_cap && cap > set->max_cap) {
        size_t limit = 1;
        while (limit <= set->max_cap / 2)
            limit *= 2; /* probing masks with cap - 1: a power of two */
        if (set->cap >= limit)
            return IGK_GPA_SET_FULL;
        cap = limit;
    }
    slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].key)
            *find(slots, cap, set->slots[i].key) = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 0;
}

int igk_gpa_set_add(struct igk_gpa_set *set, uint64_t gpa)
{
    uint64_t key = (gpa >> CHUNK_SHIFT) + 1; /* at most 2^46: never wraps to 0 */
    uint64_t bit = 1ull << ((gpa >> 12) & 63);
    struct igk_gpa_chunk *c = set->cap ? find(set->slots, set->cap, key) : NULL;
    int r;

    if (!c || !c->key) {
        /* A new chunk: keep the table at most half full. */
        if ((set->used + 1) * 2 > set->cap) {
            r = grow(set);
            if (r < 0)
                return r;
            c = find(set->slots, set->cap, key);
        }
        c->key = key;
        set->used++;
    } else if (c->pages & bit) {
        return 0;
    }
    c->pages |= bit;
    return 1;
}

void igk_gpa_set_clear(struct igk_gpa_set *set)
{
    free(set->slots);
    set->slots = NULL;
    set->cap = set->used = 0; /* max_cap stays */
}
