/* SPDX-License-Identifier: MIT */
/*
 * The guest memory image one platform's loader builds from a file: its
 * PAGE_DATA directives merged into contiguous regions, its parameter areas
 * with their insert GPAs, and its VP contexts.  A header applies when its
 * mask has the platform's bit (docs/igvm-format.md 4.2, the loader's rule);
 * parameter areas and usages carry no mask and always apply.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "util.h"

IGK_PUBLIC const char *igk_region_kind_name(enum igk_region_kind kind)
{
    switch (kind) {
    case IGK_REGION_MEASURED:
        return "measured";
    case IGK_REGION_ZERO:
        return "zero";
    case IGK_REGION_UNMEASURED:
        return "unmeasured";
    case IGK_REGION_SHARED:
        return "shared";
    }
    return "unknown";
}

/* SHARED wins over UNMEASURED (the crate skips shared pages entirely, s. 8). */
static enum igk_region_kind page_kind(const struct igk_header *h)
{
    if (h->u.page_data.flags & IGK_PAGE_FLAG_SHARED)
        return IGK_REGION_SHARED;
    if (h->u.page_data.flags & IGK_PAGE_FLAG_UNMEASURED)
        return IGK_REGION_UNMEASURED;
    return h->data ? IGK_REGION_MEASURED : IGK_REGION_ZERO;
}

IGK_PUBLIC void igk_memory_image_free(struct igk_memory_image *image)
{
    if (!image)
        return;
    free(image->regions);
    free(image->areas);
    free(image->vp_contexts);
    free(image->page_storage);
    free(image);
}

/* Area index -> position in img->areas + 1 (0 = empty); open addressing. */
struct area_map {
    size_t *slots;
    size_t cap;
};

static size_t *area_slot(const struct igk_memory_image *img, struct area_map *map, uint32_t key)
{
    size_t k = (key * 2654435761u) & (map->cap - 1);

    while (map->slots[k] && img->areas[map->slots[k] - 1].area_index != key)
        k = (k + 1) & (map->cap - 1);
    return &map->slots[k];
}

static bool applies(const struct igk_header *h, uint32_t platform_mask)
{
    uint32_t mask;
    return !igk_header_mask(h, &mask) || (mask & platform_mask);
}

IGK_PUBLIC int igk_igvm_memory_image(const struct igk_igvm *igvm, uint32_t platform_mask,
                                     struct igk_memory_image **ret_image, struct igk_error *err)
{
    struct igk_memory_image *img;
    size_t n_pages = 0, n_areas = 0, n_vps = 0, used = 0;
    struct area_map map = {NULL, 16};
    int r;

    *ret_image = NULL;
    r = igk_igvm_require_full(igvm, "a memory image", err);
    if (r < 0)
        return r;
    img = calloc(1, sizeof(*img));
    if (!img)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    img->platform_mask = platform_mask;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (!applies(h, platform_mask))
            continue;
        n_pages += h->type == IGK_VHT_PAGE_DATA;
        n_areas += h->type == IGK_VHT_PARAMETER_AREA;
        n_vps += h->type == IGK_VHT_VP_CONTEXT;
    }
    /* At most one region per page: size the arrays for the worst case. */
    img->page_storage = calloc(n_pages + 1, sizeof(*img->page_storage));
    img->regions = calloc(n_pages + 1, sizeof(*img->regions));
    img->areas = calloc(n_areas + 1, sizeof(*img->areas));
    img->vp_contexts = calloc(n_vps + 1, sizeof(*img->vp_contexts));
    while (map.cap < 2 * n_areas + 16)
        map.cap *= 2;
    map.slots = calloc(map.cap, sizeof(*map.slots));
    if (!img->page_storage || !img->regions || !img->areas || !img->vp_contexts || !map.slots) {
        free(map.slots);
        igk_memory_image_free(img);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (!applies(h, platform_mask))
            continue;
        switch (h->type) {
        case IGK_VHT_PAGE_DATA: {
            struct igk_memory_region *last =
                img->n_regions ? &img->regions[img->n_regions - 1] : NULL;
            enum igk_region_kind kind = page_kind(h);
            uint64_t gpa = h->u.page_data.gpa;
            if (!last || last->kind != kind || last->data_type != h->u.page_data.data_type ||
                last->gpa + last->size != gpa || last->gpa + last->size < last->gpa) {
                last = &img->regions[img->n_regions++];
                last->gpa = gpa;
                last->kind = kind;
                last->data_type = h->u.page_data.data_type;
                last->pages = &img->page_storage[used];
            }
            img->page_storage[used++] = i;
            last->n_pages++;
            last->size += IGK_PAGE_SIZE;
            break;
        }
        case IGK_VHT_PARAMETER_AREA: {
            struct igk_memory_parameter_area *a = &img->areas[img->n_areas++];
            a->area_index = h->u.parameter_area.parameter_area_index;
            a->size = h->u.parameter_area.number_of_bytes;
            a->area_header = i;
            a->initial_data = h->data;
            /* Indices are unique (rule 14): the first declaration is kept. */
            {
                size_t *slot = area_slot(img, &map, a->area_index);
                if (!*slot)
                    *slot = img->n_areas;
            }
            break;
        }
        case IGK_VHT_PARAMETER_INSERT: {
            /* Inserted at most once (rule 16). */
            size_t *slot = area_slot(img, &map, h->u.parameter_insert.parameter_area_index);
            if (*slot && !img->areas[*slot - 1].inserted) {
                struct igk_memory_parameter_area *a = &img->areas[*slot - 1];
                a->inserted = true;
                a->insert_gpa = h->u.parameter_insert.gpa;
                a->insert_header = i;
            }
            break;
        }
        case IGK_VHT_VP_CONTEXT: {
            struct igk_memory_vp_context *v = &img->vp_contexts[img->n_vp_contexts++];
            v->header = i;
            v->vp_index = h->u.vp_context.vp_index;
            v->gpa = h->u.vp_context.gpa;
            v->data = h->data;
            v->data_size = h->data_size;
            break;
        }
        default:
            break;
        }
    }
    free(map.slots);
    *ret_image = img;
    return 0;
}
