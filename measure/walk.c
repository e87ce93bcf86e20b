/* SPDX-License-Identifier: MIT */
/*
 * The walker: directives of one platform -> ordered page events.  Every
 * measurement algorithm and the explain trace fold these events, so the
 * loader rules (docs/measure-snp.md sections 3-5, docs/measure-tdx.md 3,
 * docs/measure-vbs.md 2) live here and nowhere else.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/measure.h>

#include "le.h"
#include "measure-private.h"
#include "util.h"

static const char *const loader_names[IGK_LOADER_MAX] = {
    [IGK_LOADER_QEMU] = "qemu",
    [IGK_LOADER_QEMU_CLASSIC] = "qemu-classic",
    [IGK_LOADER_OPENVMM] = "openvmm",
    [IGK_LOADER_QEMU8] = "qemu-8",
};

IGK_PUBLIC const char *igk_loader_name(enum igk_loader loader)
{
    if ((unsigned)loader >= IGK_LOADER_MAX)
        return "unknown";
    return loader_names[loader];
}

IGK_PUBLIC int igk_loader_from_name(const char *name)
{
    for (int i = 0; name && i < IGK_LOADER_MAX; i++)
        if (!strcmp(name, loader_names[i]))
            return i;
    return -1;
}

IGK_PUBLIC const char *igk_event_kind_name(enum igk_event_kind kind)
{
    switch (kind) {
    case IGK_EVENT_NORMAL:
        return "normal";
    case IGK_EVENT_VMSA:
        return "vmsa";
    case IGK_EVENT_ZERO:
        return "zero";
    case IGK_EVENT_UNMEASURED:
        return "unmeasured";
    case IGK_EVENT_SECRETS:
        return "secrets";
    case IGK_EVENT_CPUID:
        return "cpuid";
    case IGK_EVENT_SHARED:
        return "shared";
    case IGK_EVENT_REGISTER:
        return "register";
    }
    return "unknown";
}

#define MAX_AREA_PAGES (1u << 20) /* 4 GiB */

/* Parameter areas declared so far: index -> size (few per file). */
struct area {
    uint32_t index;
    uint64_t size;
};

struct walk {
    const struct igk_igvm *igvm;
    enum igk_platform_type platform;
    enum igk_loader loader;
    uint32_t mask;
    igk_page_event_fn fn;
    void *user;
    struct area *areas;
    size_t n_areas, cap_areas;
    const struct igk_measure_options *options;
    uint8_t *vmsa_copy; /* options->set_sev_features: the VMSA as launched */
};

static int emit(struct walk *w, struct igk_page_event *ev, struct igk_error *err)
{
    return w->fn(ev, w->user, err);
}

/* SEV_FEATURES in the VMSA save area (docs/firmware.md section 6). */
#define VMSA_SEV_FEATURES 0x3B0u

/*
 * A VMSA event; with options->set_sev_features the page handed on is a copy
 * whose SEV_FEATURES is the value asked for (a short page is left to the
 * algorithms, which refuse it).
 */
static int emit_vmsa(struct walk *w, struct igk_page_event *ev, struct igk_error *err)
{
    if (!w->options || !w->options->set_sev_features || !ev->data ||
        ev->data_size < IGK_PAGE_SIZE)
        return emit(w, ev, err);
    if (!w->vmsa_copy && !(w->vmsa_copy = malloc(IGK_PAGE_SIZE)))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    memcpy(w->vmsa_copy, ev->data, IGK_PAGE_SIZE);
    igk_put_le64(w->vmsa_copy + VMSA_SEV_FEATURES, w->options->sev_features);
    ev->data = w->vmsa_copy;
    ev->event_flags |= IGK_EVENT_F_FEATURES;
    return emit(w, ev, err);
}

static int remember_area(struct walk *w, const struct igk_parameter_area *pa, struct igk_error *err)
{
    if (w->n_areas == w->cap_areas) {
        size_t cap = w->cap_areas ? w->cap_areas * 2 : 8;
        struct area *a = realloc(w->areas, cap * sizeof(*a));
        if (!a)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        w->areas = a;
        w->cap_areas = cap;
    }
    w->areas[w->n_areas].index = pa->parameter_area_index;
    w->areas[w->n_areas].size = pa->number_of_bytes;
    w->n_areas++;
    return 0;
}

static bool is_sev(enum igk_platform_type p)
{
    return p == IGK_PLATFORM_SEV_SNP || p == IGK_PLATFORM_SEV_ES || p == IGK_PLATFORM_SEV;
}

/* Event kind of a 4 KiB page of a PAGE_DATA directive (module comment in measure.h). */
static enum igk_event_kind page_kind(const struct walk *w, const struct igk_page_data *pd,
                                     bool has_data)
{
    bool shared = pd->flags & IGK_PAGE_FLAG_SHARED;
    bool unmeasured = pd->flags & IGK_PAGE_FLAG_UNMEASURED;

    /* QEMU ignores SHARED (docs/loaders.md section 1); the crate and every
     * non-SEV platform leave shared pages out of private memory. */
    if (shared && (!is_sev(w->platform) || w->loader == IGK_LOADER_OPENVMM))
        return IGK_EVENT_SHARED;
    if (w->platform == IGK_PLATFORM_SEV_SNP) {
        /* docs/measure-snp.md section 3: the data type decides before the flag. */
        if (pd->data_type == IGK_PAGE_DATA_SECRETS)
            return IGK_EVENT_SECRETS;
        if (pd->data_type == IGK_PAGE_DATA_CPUID_DATA || pd->data_type == IGK_PAGE_DATA_CPUID_XF)
            return IGK_EVENT_CPUID;
    }
    if (unmeasured)
        return IGK_EVENT_UNMEASURED;
    if (!has_data && w->platform == IGK_PLATFORM_SEV_SNP &&
        w->loader == IGK_LOADER_QEMU_CLASSIC)
        return IGK_EVENT_ZERO; /* the classic launch's native zero pages */
    return IGK_EVENT_NORMAL;
}

static int walk_page_data(struct walk *w, uint32_t index, const struct igk_header *h,
                          struct igk_error *err)
{
    const struct igk_page_data *pd = &h->u.page_data;
    struct igk_page_event ev = {
        .directive_index = index,
        .gpa = pd->gpa,
        .data = h->data,
        .data_size = h->data ? h->data_size : 0,
        .header_type = h->type,
        .page_flags = pd->flags,
    };
    unsigned pages = 1;

    if (w->platform == IGK_PLATFORM_VSM && pd->data_type != IGK_PAGE_DATA_NORMAL &&
        !(pd->flags & IGK_PAGE_FLAG_SHARED))
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "directive #%u: VBS measures NORMAL pages only (data type %u)",
                             index, pd->data_type);
    if (ev.data_size > IGK_PAGE_SIZE)
        ev.data_size = IGK_PAGE_SIZE;
    ev.kind = page_kind(w, pd, h->data != NULL);
    /* QEMU maps a 2 MiB page as 512 small ones, data in the first; the crate
     * measures one 4 KiB step (docs/measure-snp.md section 4).  TDX refuses 2 MiB
     * pages in its own fold, so it gets the one event that carries the flag. */
    if ((pd->flags & IGK_PAGE_FLAG_IS_2MB) && w->loader != IGK_LOADER_OPENVMM &&
        w->platform != IGK_PLATFORM_TDX && ev.kind != IGK_EVENT_SHARED)
        pages = 512;
    for (unsigned i = 0; i < pages; i++) {
        int r;

        if (i == 1) {
            ev.data = NULL;
            ev.data_size = 0;
            if (ev.kind == IGK_EVENT_NORMAL && w->platform == IGK_PLATFORM_SEV_SNP &&
                w->loader == IGK_LOADER_QEMU_CLASSIC)
                ev.kind = IGK_EVENT_ZERO;
        }
        ev.page_index = i;
        ev.gpa = pd->gpa + (uint64_t)i * IGK_PAGE_SIZE;
        r = emit(w, &ev, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static int walk_insert(struct walk *w, uint32_t index, const struct igk_header *h,
                       struct igk_error *err)
{
    const struct igk_parameter_insert *pi = &h->u.parameter_insert;
    const struct area *area = NULL;
    uint64_t pages, last;

    for (size_t i = w->n_areas; i-- > 0;)
        if (w->areas[i].index == pi->parameter_area_index) {
            area = &w->areas[i];
            break;
        }
    if (!area)
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: parameter area %u is not declared before its insert",
                             index, pi->parameter_area_index);
    pages = area->size / IGK_PAGE_SIZE;
    /* Every page is one measurement step: refuse what no loader could insert
     * rather than spin for hours on a hostile size. */
    if (pages > MAX_AREA_PAGES)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "directive #%u: parameter area %u of %llu bytes is larger than the "
                             "4 GiB a loader can insert",
                             index, pi->parameter_area_index, (unsigned long long)area->size);
    if (pages && (!igk_mul_u64(pages - 1, IGK_PAGE_SIZE, &last) ||
                  !igk_add_u64(pi->gpa, last, &last)))
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: parameter area %u at GPA %#llx wraps the address space",
                             index, pi->parameter_area_index, (unsigned long long)pi->gpa);
    for (uint64_t p = 0; p < pages; p++) {
        struct igk_page_event ev = {
            .kind = IGK_EVENT_UNMEASURED,
            .directive_index = index,
            .gpa = pi->gpa + p * IGK_PAGE_SIZE,
            .header_type = h->type,
            .page_index = (uint32_t)p,
        };
        int r = emit(w, &ev, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static int walk_error_range(struct walk *w, uint32_t index, const struct igk_header *h,
                            struct igk_error *err)
{
    const struct igk_error_range *er = &h->u.error_range;
    uint64_t pages = ((uint64_t)er->size_bytes + IGK_PAGE_SIZE - 1) / IGK_PAGE_SIZE;

    for (uint64_t p = 0; p < pages; p++) {
        struct igk_page_event ev = {
            .kind = IGK_EVENT_UNMEASURED,
            .directive_index = index,
            .gpa = er->gpa + p * IGK_PAGE_SIZE,
            .header_type = h->type,
            .page_index = (uint32_t)p,
            .event_flags = IGK_EVENT_F_ACCEPT_RW,
        };
        int r = emit(w, &ev, err);
        if (r < 0)
            return r;
    }
    return 0;
}

/*
 * SEV: --vcpus below the file's own VMSA count.  Every VMSA in the file is
 * launched (one SNP_LAUNCH_UPDATE of type VMSA each, SEV-SNP ABI section 8.17),
 * so a launch with fewer vCPUs than VMSAs does not exist: refused before any
 * event, rather than the file's own digest printed under that count.
 */
static int check_vcpus(const struct walk *w, unsigned vcpus, struct igk_error *err)
{
    uint8_t *seen = calloc(65536 / 8, 1);
    unsigned n_vmsas = 0;

    if (!seen)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < w->igvm->n_headers; i++) {
        const struct igk_header *h = &w->igvm->headers[i];
        uint16_t vp;

        if (h->type != IGK_VHT_VP_CONTEXT || !igk_header_applies(h, w->mask))
            continue;
        vp = h->u.vp_context.vp_index;
        if (!(seen[vp / 8] & (1u << (vp % 8))))
            n_vmsas++;
        seen[vp / 8] |= (uint8_t)(1u << (vp % 8));
    }
    free(seen);
    if (vcpus < n_vmsas)
        return igk_error_set(err, IGK_E_USAGE,
                             "--vcpus %u is below the %u VMSAs (VP contexts) the file launches "
                             "for %s; give --vcpus %u or more, or leave it out",
                             vcpus, n_vmsas, igk_platform_name(w->platform), n_vmsas);
    return 0;
}

/* SEV: VMSA events for vCPUs the file has no context for (--vcpus). */
static int replicate_vmsas(struct walk *w, unsigned vcpus, struct igk_error *err)
{
    const struct igk_header *lowest = NULL;
    uint32_t lowest_index = 0;
    uint8_t *seen;
    int r = 0;

    if (vcpus > 65536)
        return igk_error_set(err, IGK_E_USAGE, "at most 65536 vCPUs can be modelled, not %u",
                             vcpus);
    seen = calloc(65536 / 8, 1);
    if (!seen)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < w->igvm->n_headers; i++) {
        const struct igk_header *h = &w->igvm->headers[i];
        uint16_t vp;

        if (h->type != IGK_VHT_VP_CONTEXT || !igk_header_applies(h, w->mask))
            continue;
        vp = h->u.vp_context.vp_index;
        seen[vp / 8] |= (uint8_t)(1u << (vp % 8));
        if (!lowest || vp < lowest->u.vp_context.vp_index) {
            lowest = h;
            lowest_index = (uint32_t)igk_igvm_header_number(w->igvm, i);
        }
    }
    if (!lowest) {
        r = igk_error_set(err, IGK_E_UNSUPPORTED,
                          "--vcpus %u: the file has no VP context (VMSA) to copy for the other "
                          "vCPUs", vcpus);
        goto out;
    }
    for (unsigned vp = 0; vp < vcpus; vp++) {
        struct igk_page_event ev = {
            .kind = IGK_EVENT_VMSA,
            .directive_index = lowest_index,
            .gpa = lowest->u.vp_context.gpa,
            .data = lowest->data,
            .data_size = lowest->data_size > IGK_PAGE_SIZE ? IGK_PAGE_SIZE : lowest->data_size,
            .vp_index = (uint16_t)vp,
            .header_type = IGK_VHT_VP_CONTEXT,
            .event_flags = IGK_EVENT_F_REPLICATED,
        };
        if (seen[vp / 8] & (1u << (vp % 8)))
            continue;
        r = emit_vmsa(w, &ev, err);
        if (r < 0)
            goto out;
    }
out:
    free(seen);
    return r;
}

/* VBS: every register of every VBS VP context, after all pages (docs/measure-vbs.md 2). */
static int walk_vbs_registers(struct walk *w, struct igk_error *err)
{
    for (size_t i = 0; i < w->igvm->n_headers; i++) {
        const struct igk_header *h = &w->igvm->headers[i];
        size_t number = igk_igvm_header_number(w->igvm, i);
        uint32_t count;

        if (h->type != IGK_VHT_VP_CONTEXT || !igk_header_applies(h, w->mask))
            continue;
        if (!h->data || h->data_size < 4)
            return igk_error_set(err, IGK_E_INVALID,
                                 "directive #%zu: VBS VP context without a register list",
                                 number);
        count = igk_le32(h->data);
        if (count > (h->data_size - 4) / 32)
            return igk_error_set(err, IGK_E_INVALID,
                                 "directive #%zu: VBS VP context claims %u registers in %u bytes",
                                 number, count, h->data_size);
        for (uint32_t k = 0; k < count; k++) {
            struct igk_page_event ev = {
                .kind = IGK_EVENT_REGISTER,
                .directive_index = (uint32_t)number,
                .data = h->data + 4 + (size_t)k * 32,
                .data_size = 32,
                .vp_index = h->u.vp_context.vp_index,
                .header_type = h->type,
                .page_index = k,
            };
            int r = emit(w, &ev, err);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

IGK_PUBLIC int igk_measure_check_vcpus(const struct igk_igvm *igvm, enum igk_platform_type platform,
                                       unsigned vcpus, struct igk_error *err)
{
    struct walk w = {.igvm = igvm, .platform = platform};

    if (!igvm)
        return igk_error_set(err, IGK_E_USAGE, "igk_measure_check_vcpus: NULL model");
    if (!vcpus || !is_sev(platform))
        return 0;
    /* An undeclared platform has mask 0 and no VMSAs: the measurement reports it. */
    igk_igvm_platform_mask(igvm, platform, &w.mask, NULL);
    return check_vcpus(&w, vcpus, err);
}

/* Progress is reported every PROGRESS_STEP bytes of page data (measure.h). */
#define PROGRESS_STEP ((uint64_t)4 << 20)

uint64_t igk_walk_page_bytes(const struct igk_igvm *igvm, uint32_t mask)
{
    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    size_t number;
    uint64_t total = 0;

    while ((h = igk_igvm_next_header(igvm, &cursor, &scratch, &number)))
        if (h->type == IGK_VHT_PAGE_DATA && igk_header_applies(h, mask))
            total += h->data_size;
    return total;
}

int igk_walk_mask(const struct igk_igvm *igvm, enum igk_platform_type platform, uint32_t mask,
                  const struct igk_measure_options *options, igk_page_event_fn fn, void *user,
                  struct igk_error *err)
{
    struct walk w = {
        .igvm = igvm,
        .platform = platform,
        .loader = options ? options->loader : IGK_LOADER_QEMU,
        .mask = mask,
        .fn = fn,
        .user = user,
        .options = options,
    };
    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    size_t number;
    igk_progress_fn progress = options ? options->progress : NULL;
    uint64_t done = 0, total = 0, reported = 0;
    int r = 0;

    if ((unsigned)w.loader >= IGK_LOADER_MAX)
        return igk_error_set(err, IGK_E_USAGE, "unknown loader profile %d", (int)w.loader);
    if (is_sev(platform) && options && options->vcpus && (r = check_vcpus(&w, options->vcpus, err)))
        return r;
    if (progress)
        total = igk_walk_page_bytes(igvm, mask);
    /* The cursor also visits the PAGE_DATA headers a lean model left in the file. */
    while (r >= 0 && (h = igk_igvm_next_header(igvm, &cursor, &scratch, &number))) {
        uint32_t index = (uint32_t)number;

        if (!igk_header_applies(h, mask))
            continue;
        switch (h->type) {
        case IGK_VHT_PARAMETER_AREA:
            r = remember_area(&w, &h->u.parameter_area, err);
            break;
        case IGK_VHT_PAGE_DATA:
            r = walk_page_data(&w, index, h, err);
            done += h->data_size;
            if (progress && done - reported >= PROGRESS_STEP) {
                progress(done, total, options->progress_user);
                reported = done;
            }
            break;
        case IGK_VHT_PARAMETER_INSERT:
            r = walk_insert(&w, index, h, err);
            break;
        case IGK_VHT_ERROR_RANGE:
            if (platform == IGK_PLATFORM_VSM)
                r = walk_error_range(&w, index, h, err);
            break;
        case IGK_VHT_VP_CONTEXT:
            if (is_sev(platform)) {
                struct igk_page_event ev = {
                    .kind = IGK_EVENT_VMSA,
                    .directive_index = index,
                    .gpa = h->u.vp_context.gpa,
                    .data = h->data,
                    .data_size = h->data_size > IGK_PAGE_SIZE ? IGK_PAGE_SIZE : h->data_size,
                    .vp_index = h->u.vp_context.vp_index,
                    .header_type = h->type,
                };
                r = emit_vmsa(&w, &ev, err);
            }
            break;
        default:
            break;
        }
        if (r < 0 && err && err->header_index == IGK_NO_INDEX) {
            igk_error_set_header(err, index, h->type);
            if (h->file_offset)
                igk_error_set_offset(err, h->file_offset);
        }
    }
    if (r >= 0 && is_sev(platform) && options && options->vcpus)
        r = replicate_vmsas(&w, options->vcpus, err);
    if (r >= 0 && platform == IGK_PLATFORM_VSM)
        r = walk_vbs_registers(&w, err);
    if (r >= 0 && progress)
        progress(total, total, options->progress_user);
    free(w.areas);
    free(w.vmsa_copy);
    return r < 0 ? r : 0;
}

IGK_PUBLIC int igk_walk(const struct igk_igvm *igvm, enum igk_platform_type platform,
                        const struct igk_measure_options *options, igk_page_event_fn fn,
                        void *user, struct igk_error *err)
{
    uint32_t mask;
    int r = igk_igvm_platform_mask(igvm, platform, &mask, err);

    if (r < 0)
        return r;
    return igk_walk_mask(igvm, platform, mask, options, fn, user, err);
}
