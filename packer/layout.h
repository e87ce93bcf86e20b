/* SPDX-License-Identifier: MIT */
/*
 * Per-platform directive lists and their merge into one header sequence
 * (internal).
 *
 * Each platform layout (SEV-SNP, native, TDX) is first built on its own as
 * an ordered list of directives: that order is the platform's measurement
 * order.  igk_layout_merge() then interleaves the lists into one sequence in
 * which an entry shared by several platforms (same directive, GPA, bytes,
 * flags and data type) is emitted once with the combined compatibility mask,
 * while every platform's filtered view stays exactly its own list.
 */
#ifndef IGK_LAYOUT_H
#define IGK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

struct igk_layout_entry {
    uint32_t type;        /* IGK_VHT_PAGE_DATA, _VP_CONTEXT or _REQUIRED_MEMORY */
    uint64_t gpa;
    const uint8_t *data;  /* PAGE_DATA: 4096 bytes or NULL; VP_CONTEXT: 4096 bytes */
    uint32_t flags;       /* PAGE_DATA flags / REQUIRED_MEMORY flags */
    uint16_t data_type;   /* PAGE_DATA */
    uint16_t vp_index;    /* VP_CONTEXT */
    uint32_t size;        /* REQUIRED_MEMORY bytes */
};

struct igk_layout {
    struct igk_layout_entry *entries;
    size_t n, cap;
};

void igk_layout_done(struct igk_layout *layout);

int igk_layout_add(struct igk_layout *layout, const struct igk_layout_entry *entry,
                   struct igk_error *err);

/* Appends one PAGE_DATA per 4 KiB page of [gpa, gpa + size); data may be NULL. */
int igk_layout_add_pages(struct igk_layout *layout, uint64_t gpa, uint64_t size,
                         const uint8_t *data, uint32_t flags, uint16_t data_type,
                         struct igk_error *err);

/* Same directive, GPA, bytes, flags, data type (VP contexts are never shared). */
bool igk_layout_entry_equal(const struct igk_layout_entry *a, const struct igk_layout_entry *b);

/*
 * Appends the merged directives of n layouts to igvm; masks[i] is layout i's
 * platform bit.  Layouts are given in priority order (SEV-SNP first).
 */
int igk_layout_merge(const struct igk_layout *layouts, const uint32_t *masks, size_t n,
                     struct igk_igvm *igvm, struct igk_error *err);

#endif /* IGK_LAYOUT_H */
