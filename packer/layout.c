/* SPDX-License-Identifier: MIT */
/*
 * Per-platform directive lists and the order-preserving merge (layout.h).
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "resource-limits.h"
#include "util.h"

void igk_layout_done(struct igk_layout *layout)
{
    free(layout->entries);
    memset(layout, 0, sizeof(*layout));
}

int igk_layout_add(struct igk_layout *layout, const struct igk_layout_entry *entry,
                   struct igk_error *err)
{
    /* Bounds the memory any input can make the packer reserve (resource-limits.h). */
    if (layout->n >= igk_limit_value(IGK_LIMIT_PACKED_PAGES))
        return igk_limit_fail(err, IGK_LIMIT_PACKED_PAGES, "the image's page directives",
                              (uint64_t)layout->n + 1);
    if (layout->n == layout->cap) {
        size_t cap = layout->cap ? 2 * layout->cap : 256;
        struct igk_layout_entry *e = realloc(layout->entries, cap * sizeof(*e));

        if (!e)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        layout->entries = e;
        layout->cap = cap;
    }
    layout->entries[layout->n++] = *entry;
    return 0;
}

int igk_layout_add_pages(struct igk_layout *layout, uint64_t gpa, uint64_t size,
                         const uint8_t *data, uint32_t flags, uint16_t data_type,
                         struct igk_error *err)
{
    for (uint64_t off = 0; off < size; off += IGK_PAGE_SIZE) {
        struct igk_layout_entry e = {
            .type = IGK_VHT_PAGE_DATA,
            .gpa = gpa + off,
            .data = data ? data + off : NULL,
            .flags = flags,
            .data_type = data_type,
        };
        int r = igk_layout_add(layout, &e, err);

        if (r < 0)
            return r;
    }
    return 0;
}

bool igk_layout_entry_equal(const struct igk_layout_entry *a, const struct igk_layout_entry *b)
{
    /* A VP context's mask must name exactly one platform (docs/igvm-format.md 6.5). */
    if (a->type != b->type || a->type == IGK_VHT_VP_CONTEXT)
        return false;
    if (a->gpa != b->gpa || a->flags != b->flags || a->data_type != b->data_type ||
        a->size != b->size)
        return false;
    if (!a->data || !b->data)
        return !a->data && !b->data;
    return a->data == b->data || memcmp(a->data, b->data, IGK_PAGE_SIZE) == 0;
}

/* One layout's entries sorted by GPA, to find an entry further down its list. */
struct gpa_pos {
    uint64_t gpa;
    size_t pos;
};

struct gpa_index {
    const struct igk_layout *layout;
    struct gpa_pos *by_gpa;
};

static int cmp_gpa_pos(const void *pa, const void *pb)
{
    const struct gpa_pos *a = pa, *b = pb;

    if (a->gpa != b->gpa)
        return a->gpa < b->gpa ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int index_build(struct gpa_index *idx, const struct igk_layout *layout,
                       struct igk_error *err)
{
    idx->layout = layout;
    idx->by_gpa = malloc((layout->n ? layout->n : 1) * sizeof(*idx->by_gpa));
    if (!idx->by_gpa)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < layout->n; i++)
        idx->by_gpa[i] = (struct gpa_pos){layout->entries[i].gpa, i};
    /* Ties are broken by position, so the order is total and qsort deterministic. */
    qsort(idx->by_gpa, layout->n, sizeof(*idx->by_gpa), cmp_gpa_pos);
    return 0;
}

/* Whether idx's layout holds an entry equal to e at a position after cursor. */
static bool index_has_later(const struct gpa_index *idx, const struct igk_layout_entry *e,
                            size_t cursor)
{
    const struct igk_layout_entry *entries = idx->layout->entries;
    size_t lo = 0, hi = idx->layout->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (idx->by_gpa[mid].gpa < e->gpa)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < idx->layout->n && idx->by_gpa[lo].gpa == e->gpa; lo++) {
        size_t pos = idx->by_gpa[lo].pos;

        if (pos > cursor && igk_layout_entry_equal(&entries[pos], e))
            return true;
    }
    return false;
}

static int emit(struct igk_igvm *igvm, const struct igk_layout_entry *e, uint32_t mask,
                struct igk_error *err)
{
    struct igk_header h = {.type = e->type};

    switch (e->type) {
    case IGK_VHT_PAGE_DATA:
        h.u.page_data.gpa = e->gpa;
        h.u.page_data.compatibility_mask = mask;
        h.u.page_data.flags = e->flags;
        h.u.page_data.data_type = e->data_type;
        h.data = e->data;
        h.data_size = e->data ? IGK_PAGE_SIZE : 0;
        break;
    case IGK_VHT_VP_CONTEXT:
        h.u.vp_context.gpa = e->gpa;
        h.u.vp_context.compatibility_mask = mask;
        h.u.vp_context.vp_index = e->vp_index;
        h.data = e->data;
        h.data_size = IGK_PAGE_SIZE;
        break;
    case IGK_VHT_REQUIRED_MEMORY:
        h.u.required_memory.gpa = e->gpa;
        h.u.required_memory.compatibility_mask = mask;
        h.u.required_memory.number_of_bytes = e->size;
        h.u.required_memory.flags = e->flags;
        break;
    default:
        return igk_error_set(err, IGK_E_INTERNAL, "layout: unexpected directive 0x%x", e->type);
    }
    return igk_igvm_append(igvm, &h, err);
}

int igk_layout_merge(const struct igk_layout *layouts, const uint32_t *masks, size_t n,
                     struct igk_igvm *igvm, struct igk_error *err)
{
    struct gpa_index idx[IGK_PLATFORM_MAX] = {{0}};
    size_t cursor[IGK_PLATFORM_MAX] = {0};
    int r = 0;

    if (n > IGK_PLATFORM_MAX)
        return igk_error_set(err, IGK_E_INTERNAL, "layout: too many platforms");
    for (size_t i = 0; i < n; i++)
        if ((r = index_build(&idx[i], &layouts[i], err)) < 0)
            goto out;

    for (;;) {
        const struct igk_layout_entry *head = NULL;
        size_t pick = n;
        uint32_t mask;

        /*
         * Prefer a head that no other list still holds further down: emitting
         * it now cannot make another platform emit its own copy later.  When
         * every head is blocked (lists in crossed order), the first list's
         * head goes out with the masks of the lists whose head it also is.
         */
        for (size_t i = 0; i < n && pick == n; i++) {
            bool ready = true;

            if (cursor[i] >= layouts[i].n)
                continue;
            head = &layouts[i].entries[cursor[i]];
            for (size_t j = 0; j < n && ready; j++) {
                if (j == i || cursor[j] >= layouts[j].n)
                    continue;
                if (igk_layout_entry_equal(&layouts[j].entries[cursor[j]], head))
                    continue;
                if (index_has_later(&idx[j], head, cursor[j]))
                    ready = false;
            }
            if (ready)
                pick = i;
        }
        if (pick == n) {
            for (size_t i = 0; i < n && pick == n; i++)
                if (cursor[i] < layouts[i].n)
                    pick = i;
            if (pick == n)
                break; /* every list emitted */
        }
        head = &layouts[pick].entries[cursor[pick]++];
        mask = masks[pick];
        for (size_t j = 0; j < n; j++) {
            if (j == pick || cursor[j] >= layouts[j].n)
                continue;
            if (igk_layout_entry_equal(&layouts[j].entries[cursor[j]], head)) {
                mask |= masks[j];
                cursor[j]++;
            }
        }
        if ((r = emit(igvm, head, mask, err)) < 0)
            goto out;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(idx[i].by_gpa);
    return r;
}
