/* SPDX-License-Identifier: MIT */
/* Bounded detection of TDX pages added twice (tdx-gpa.h). */
#include <string.h>

#include "measure-private.h"
#include "tdx-gpa.h"

size_t igk_tdx_gpa_max_slots = (size_t)1 << 18;

#define STOP 1 /* ends a walk early: not an error code */
#define MAX_PARTS (1u << 16)

void igk_tdx_gpa_init(struct igk_tdx_gpa *g, const struct igk_igvm *igvm, uint32_t mask,
                      const struct igk_measure_options *options)
{
    memset(g, 0, sizeof(*g));
    g->igvm = igvm;
    g->mask = mask;
    if (options)
        g->options = *options;
    else
        g->options.loader = IGK_LOADER_QEMU;
    g->options.progress = NULL;
    g->set.max_cap = igk_tdx_gpa_max_slots;
}

/* Walks the pages the TDX module adds, in order: every event but shared pages. */
static int walk_added(const struct igk_tdx_gpa *g, igk_page_event_fn fn, void *user)
{
    return igk_walk_mask(g->igvm, IGK_PLATFORM_TDX, g->mask, &g->options, fn, user, NULL);
}

struct find_first {
    uint64_t gpa;
    uint32_t directive;
};

static int find_first(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct find_first *f = user;

    (void)err;
    if (ev->kind == IGK_EVENT_SHARED || ev->gpa != f->gpa)
        return 0;
    f->directive = ev->directive_index;
    return -STOP;
}

/* The duplicate's error: the directive that added gpa first is found by a walk. */
static int duplicate(const struct igk_tdx_gpa *g, uint64_t gpa, uint32_t directive,
                     struct igk_error *err)
{
    struct find_first f = {.gpa = gpa, .directive = UINT32_MAX};

    walk_added(g, find_first, &f);
    return igk_error_set(err, IGK_E_INVALID,
                         "GPA %#llx added twice (directives #%u and #%u): the TDX module "
                         "refuses a second TDH.MEM.PAGE.ADD",
                         (unsigned long long)gpa, f.directive, directive);
}

/* Names the header as the walker does for an error raised during the walk. */
static void name_header(const struct igk_tdx_gpa *g, uint32_t directive, struct igk_error *err)
{
    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    size_t number;

    while ((h = igk_igvm_next_header(g->igvm, &cursor, &scratch, &number)))
        if (number == directive) {
            igk_error_set_header(err, directive, h->type);
            if (h->file_offset)
                igk_error_set_offset(err, h->file_offset);
            return;
        }
}

int igk_tdx_gpa_add(struct igk_tdx_gpa *g, uint64_t gpa, uint32_t directive,
                    struct igk_error *err)
{
    int r;

    /* TDH.MEM.PAGE.ADD takes a 4 KiB page; a validated file has no other. */
    if (gpa & (IGK_PAGE_SIZE - 1))
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: GPA %#llx is not 4 KiB aligned", directive,
                             (unsigned long long)gpa);
    g->added++;
    if (g->overflowed)
        return 0;
    r = igk_gpa_set_add(&g->set, gpa);
    if (r == IGK_GPA_SET_FULL) {
        /* Spread too wide to track: igk_tdx_gpa_finish() searches instead. */
        g->overflowed = true;
        igk_gpa_set_clear(&g->set);
        return 0;
    }
    if (r < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (r == 0)
        return duplicate(g, gpa, directive, err);
    return 0;
}

/* One pass: the first duplicate among the offered pages of one partition. */
struct pass {
    struct igk_gpa_set set;
    unsigned parts, part;
    uint64_t seen, limit;   /* pages walked; pages offered during the fold */
    uint64_t found_ordinal; /* UINT64_MAX: none */
    uint64_t found_gpa;
    uint32_t found_directive;
    int result; /* 0, IGK_GPA_SET_FULL or -1 */
};

static int pass_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct pass *p = user;
    uint64_t ordinal;
    int r;

    (void)err;
    if (ev->kind == IGK_EVENT_SHARED)
        return 0;
    ordinal = p->seen++;
    if (ordinal >= p->limit)
        return -STOP;
    if (igk_gpa_set_partition(ev->gpa, p->parts) != p->part)
        return 0;
    r = igk_gpa_set_add(&p->set, ev->gpa);
    if (r < 0) {
        p->result = r;
        return -STOP;
    }
    if (r == 0) {
        p->found_ordinal = ordinal;
        p->found_gpa = ev->gpa;
        p->found_directive = ev->directive_index;
        return -STOP;
    }
    return 0;
}

int igk_tdx_gpa_finish(struct igk_tdx_gpa *g, struct igk_error *err)
{
    struct pass best = {.found_ordinal = UINT64_MAX};
    uint64_t per_pass = g->set.max_cap / 2 ? g->set.max_cap / 2 : 1; /* chunks a set holds */
    unsigned parts = 2;

    if (!g->overflowed)
        return 0;
    /* At most one chunk per page: twice the partitions that would just fit
     * them all leaves room for an uneven spread, and saves passes that fail. */
    while (parts < MAX_PARTS && parts * per_pass < 2 * g->added)
        parts *= 2;
    for (; parts <= MAX_PARTS; parts *= 2) {
        bool fits = true;

        for (unsigned part = 0; part < parts && fits; part++) {
            struct pass p = {.parts = parts, .part = part, .limit = g->added,
                             .found_ordinal = UINT64_MAX};

            p.set.max_cap = g->set.max_cap;
            walk_added(g, pass_event, &p);
            igk_gpa_set_clear(&p.set);
            if (p.result == -1)
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            fits = p.result == 0;
            if (p.found_ordinal < best.found_ordinal)
                best = p;
        }
        if (!fits) {
            best.found_ordinal = UINT64_MAX;
            continue;
        }
        if (best.found_ordinal == UINT64_MAX)
            return 0;
        duplicate(g, best.found_gpa, best.found_directive, err);
        name_header(g, best.found_directive, err);
        return IGK_E_INVALID;
    }
    return igk_error_set(err, IGK_E_UNSUPPORTED,
                         "the TDX pages are spread too widely to check for duplicates in "
                         "bounded memory");
}

void igk_tdx_gpa_free(struct igk_tdx_gpa *g)
{
    igk_gpa_set_clear(&g->set);
}
