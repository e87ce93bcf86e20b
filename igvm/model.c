/* SPDX-License-Identifier: MIT */
/*
 * The in-memory IGVM model: construction, storage of kept blobs, and the
 * per-platform view (docs/igvm-format.md section 4.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "held-input.h"
#include "model-build.h"
#include "model-private.h"
#include "util.h"

IGK_PUBLIC struct igk_igvm *igk_igvm_new(uint32_t format_version, enum igk_arch arch)
{
    struct igk_igvm *igvm = calloc(1, sizeof(*igvm));

    if (!igvm)
        return NULL;
    igvm->priv = calloc(1, sizeof(*igvm->priv));
    if (!igvm->priv) {
        free(igvm);
        return NULL;
    }
    igvm->format_version = format_version;
    igvm->arch = format_version >= 2 ? arch : IGK_ARCH_X64;
    igvm->page_size = IGK_PAGE_SIZE;
    return igvm;
}

IGK_PUBLIC struct igk_igvm *igk_igvm_free(struct igk_igvm *igvm)
{
    if (!igvm)
        return NULL;
    if (igvm->priv) {
        for (size_t i = 0; i < igvm->priv->n_blobs; i++)
            free(igvm->priv->blobs[i]);
        free(igvm->priv->blobs);
        igk_unmap_file(&igvm->priv->mapping);
        igk_held_inputs_free(igvm);
        free(igvm->priv->numbers);
        free(igvm->priv->runs);
        free(igvm->priv);
    }
    free(igvm->headers);
    free(igvm);
    return NULL;
}

IGK_PUBLIC const uint8_t *igk_igvm_keep(struct igk_igvm *igvm, const void *data, size_t len)
{
    struct igk_igvm_private *p = igvm->priv;
    uint8_t *copy;

    if (p->n_blobs == p->cap_blobs) {
        size_t cap = p->cap_blobs ? 2 * p->cap_blobs : 64;
        uint8_t **nb = realloc(p->blobs, cap * sizeof(*nb));
        if (!nb)
            return NULL;
        p->blobs = nb;
        p->cap_blobs = cap;
    }
    copy = malloc(len ? len : 1);
    if (!copy)
        return NULL;
    if (len)
        memcpy(copy, data, len);
    p->blobs[p->n_blobs++] = copy;
    return copy;
}

int igk_igvm_reserve(struct igk_igvm *igvm, size_t n, struct igk_error *err)
{
    struct igk_igvm_private *p = igvm->priv;
    struct igk_header *nh;

    if (n <= p->cap_headers || p->lean)
        return 0;
    nh = realloc(igvm->headers, n * sizeof(*nh));
    if (!nh)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    igvm->headers = nh;
    p->cap_headers = n;
    return 0;
}

int igk_igvm_append_numbered(struct igk_igvm *igvm, const struct igk_header *header, size_t number,
                             struct igk_error *err)
{
    struct igk_igvm_private *p = igvm->priv;

    if (igvm->n_headers == p->cap_headers) {
        size_t cap = p->cap_headers ? 2 * p->cap_headers : 64;
        struct igk_header *nh = realloc(igvm->headers, cap * sizeof(*nh));
        if (!nh)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        igvm->headers = nh;
        if (igvm->priv->lean) {
            size_t *nn = realloc(p->numbers, cap * sizeof(*nn));
            if (!nn)
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            p->numbers = nn;
        }
        p->cap_headers = cap;
    }
    if (igvm->priv->lean)
        p->numbers[igvm->n_headers] = number;
    igvm->headers[igvm->n_headers++] = *header;
    return 0;
}

IGK_PUBLIC int igk_igvm_append(struct igk_igvm *igvm, const struct igk_header *header,
                               struct igk_error *err)
{
    /* A lean model's cursor finds the PAGE_DATA headers left in the file
     * between the stored ones: a header the file does not have breaks that. */
    int r = igk_igvm_require_full(igvm, "adding a header", err);

    if (r < 0)
        return r;
    return igk_igvm_append_numbered(igvm, header, igvm->n_headers, err);
}

int igk_igvm_build_lean(struct igk_igvm *igvm, struct igk_error *err)
{
    if (igvm->n_headers || igvm->priv->lean || igvm->file)
        return igk_error_set(err, IGK_E_USAGE, "only an empty built model can be made lean");
    igvm->priv->lean = true;
    return 0;
}

/* Whether page k of the run, where k = run->count, would be h. */
static bool continues_run(const struct igk_page_run *run, size_t number, const struct igk_header *h)
{
    const struct igk_page_data *pd = &h->u.page_data;
    uint64_t k = run->count;

    return number == run->first + k && run->count < UINT32_MAX &&
           pd->gpa == run->gpa + k * IGK_PAGE_SIZE &&
           pd->compatibility_mask == run->compatibility_mask && pd->flags == run->flags &&
           pd->data_type == run->data_type &&
           (run->data ? h->data == run->data + k * IGK_PAGE_SIZE : !h->data);
}

static int add_page_run(struct igk_igvm *igvm, const struct igk_header *h, struct igk_error *err)
{
    struct igk_igvm_private *p = igvm->priv;
    const struct igk_page_data *pd = &h->u.page_data;
    size_t number = p->n_file_headers;

    /* Built pages have no file behind them: whole pages or none. */
    if (pd->file_offset || pd->reserved || h->data_size != (h->data ? IGK_PAGE_SIZE : 0))
        return igk_error_set(err, IGK_E_USAGE,
                             "a lean built model holds PAGE_DATA of one whole page or none");
    if (p->n_runs && continues_run(&p->runs[p->n_runs - 1], number, h)) {
        p->runs[p->n_runs - 1].count++;
    } else {
        if (p->n_runs == p->cap_runs) {
            size_t cap = p->cap_runs ? 2 * p->cap_runs : 16;
            struct igk_page_run *nr = realloc(p->runs, cap * sizeof(*nr));

            if (!nr)
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            p->runs = nr;
            p->cap_runs = cap;
        }
        p->runs[p->n_runs++] = (struct igk_page_run){
            .first = number,
            .count = 1,
            .gpa = pd->gpa,
            .compatibility_mask = pd->compatibility_mask,
            .flags = pd->flags,
            .data_type = pd->data_type,
            .data = h->data,
        };
    }
    p->n_file_headers++;
    return 0;
}

int igk_igvm_add_built(struct igk_igvm *igvm, const struct igk_header *h, struct igk_error *err)
{
    struct igk_igvm_private *p = igvm->priv;
    int r;

    if (!p->lean)
        return igk_igvm_append(igvm, h, err);
    if (igvm->file)
        return igk_igvm_require_full(igvm, "adding a header", err);
    if (h->type == IGK_VHT_PAGE_DATA)
        return add_page_run(igvm, h, err);
    r = igk_igvm_append_numbered(igvm, h, p->n_file_headers, err);
    if (r == 0)
        p->n_file_headers++;
    return r;
}

int igk_igvm_require_full(const struct igk_igvm *igvm, const char *what, struct igk_error *err)
{
    if (!igvm->priv->lean)
        return 0;
    return igk_error_set(err, IGK_E_USAGE,
                         "%s needs every header, but this model was read lean, without its "
                         "PAGE_DATA headers",
                         what);
}

int igk_igvm_file_fd(const struct igk_igvm *igvm)
{
    const struct igk_mapped_file *m = &igvm->priv->mapping;

    return m->map && m->data == igvm->file ? m->fd : -1;
}

IGK_PUBLIC bool igk_igvm_is_lean(const struct igk_igvm *igvm)
{
    return igvm->priv->lean;
}

IGK_PUBLIC size_t igk_igvm_header_number(const struct igk_igvm *igvm, size_t i)
{
    return igvm->priv->lean ? igvm->priv->numbers[i] : i;
}

IGK_PUBLIC const struct igk_supported_platform *
igk_igvm_find_platform(const struct igk_igvm *igvm, enum igk_platform_type type)
{
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_SUPPORTED_PLATFORM && h->u.platform.platform_type == type)
            return &h->u.platform;
    }
    return NULL;
}

const char *igk_igvm_declared_names(const struct igk_igvm *igvm, char *out, size_t size)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < igvm->n_headers && used < size; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                                 igk_platform_name(h->u.platform.platform_type));
    }
    return used ? out : "none";
}

IGK_PUBLIC int igk_igvm_platform_mask(const struct igk_igvm *igvm, enum igk_platform_type type,
                                      uint32_t *ret_mask, struct igk_error *err)
{
    const struct igk_supported_platform *p = igk_igvm_find_platform(igvm, type);
    char have[256];

    if (p) {
        *ret_mask = p->compatibility_mask;
        return 0;
    }
    return igk_error_set(err, IGK_E_UNSUPPORTED,
                         "the file does not declare platform %s (it declares: %s)",
                         igk_platform_name(type), igk_igvm_declared_names(igvm, have, sizeof(have)));
}

IGK_PUBLIC bool igk_header_mask(const struct igk_header *h, uint32_t *ret_mask)
{
    uint32_t m;

    switch (h->type) {
    case IGK_VHT_SUPPORTED_PLATFORM:
        m = h->u.platform.compatibility_mask;
        break;
    case IGK_VHT_GUEST_POLICY:
        m = h->u.guest_policy.compatibility_mask;
        break;
    case IGK_VHT_RELOCATABLE_REGION:
        if (!h->u.relocatable_region)
            return false; /* a built header without its body */
        m = h->u.relocatable_region->compatibility_mask;
        break;
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION:
        if (!h->u.page_table_relocation)
            return false; /* a built header without its body */
        m = h->u.page_table_relocation->compatibility_mask;
        break;
    case IGK_VHT_CORIM_DOCUMENT:
    case IGK_VHT_CORIM_SIGNATURE:
        m = h->u.corim.compatibility_mask;
        break;
    case IGK_VHT_CCA_POLICY:
        if (!h->u.cca_policy)
            return false; /* a built header without its body */
        m = h->u.cca_policy->compatibility_mask;
        break;
    case IGK_VHT_PAGE_DATA:
        m = h->u.page_data.compatibility_mask;
        break;
    case IGK_VHT_PARAMETER_INSERT:
        m = h->u.parameter_insert.compatibility_mask;
        break;
    case IGK_VHT_VP_CONTEXT:
        m = h->u.vp_context.compatibility_mask;
        break;
    case IGK_VHT_REQUIRED_MEMORY:
        m = h->u.required_memory.compatibility_mask;
        break;
    case IGK_VHT_ERROR_RANGE:
        m = h->u.error_range.compatibility_mask;
        break;
    case IGK_VHT_SNP_ID_BLOCK:
        if (!h->u.snp_id_block)
            return false; /* a built header without its body */
        m = h->u.snp_id_block->compatibility_mask;
        break;
    case IGK_VHT_VBS_MEASUREMENT:
        if (!h->u.vbs_measurement)
            return false; /* a built header without its body */
        m = h->u.vbs_measurement->compatibility_mask;
        break;
    default: /* parameter areas and usages carry no mask */
        return false;
    }
    if (ret_mask)
        *ret_mask = m;
    return true;
}

IGK_PUBLIC bool igk_header_applies(const struct igk_header *h, uint32_t platform_mask)
{
    uint32_t m;

    if (!igk_header_mask(h, &m))
        return true;
    return (m & platform_mask) == platform_mask;
}

IGK_PUBLIC int igk_header_section(uint32_t type)
{
    if (type >= 0x001 && type <= 0x100)
        return 1;
    if (type >= 0x101 && type <= 0x200)
        return 2;
    if (type >= 0x301 && type <= 0x400)
        return 3;
    return 0;
}

IGK_PUBLIC uint32_t igk_header_struct_size(uint32_t type)
{
    switch (type) {
    case IGK_VHT_SUPPORTED_PLATFORM:
    case IGK_VHT_GUEST_POLICY:
    case IGK_VHT_CORIM_DOCUMENT:
    case IGK_VHT_CORIM_SIGNATURE:
    case IGK_VHT_PARAMETER_AREA:
    case IGK_VHT_PARAMETER_INSERT:
    case IGK_VHT_ERROR_RANGE:
        return 16;
    case IGK_VHT_RELOCATABLE_REGION:
        return 48;
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION:
    case IGK_VHT_CCA_POLICY:
        return 32;
    case IGK_VHT_PAGE_DATA:
    case IGK_VHT_REQUIRED_MEMORY:
        return 24;
    case IGK_VHT_VP_CONTEXT:
        return 20;
    case IGK_VHT_VP_COUNT_PARAMETER:
    case IGK_VHT_SRAT:
    case IGK_VHT_MADT:
    case IGK_VHT_MMIO_RANGES:
    case IGK_VHT_MEMORY_MAP:
    case IGK_VHT_COMMAND_LINE:
    case IGK_VHT_SLIT:
    case IGK_VHT_PPTT:
    case IGK_VHT_DEVICE_TREE:
    case IGK_VHT_ENVIRONMENT_INFO_PARAMETER:
        return 8;
    case IGK_VHT_SNP_ID_BLOCK:
        return 696;
    case IGK_VHT_VBS_MEASUREMENT:
        return 864;
    default:
        return 0;
    }
}
