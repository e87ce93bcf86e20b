/* SPDX-License-Identifier: MIT */
/*
 * The validation rules of docs/igvm-format.md section 7.1 (check.h).  Inputs
 * that make the reference crate panic (alignment 0, zero-sized or wrapping
 * regions, VBS contexts with vp_index != 0 or mixed VTLs) are plain errors.
 *
 * Every rule is O(1) per header, or O(n log n) overall, so that files with
 * hundreds of thousands of PAGE_DATA headers validate quickly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "check.h"
#include "codec.h"
#include "le.h"
#include "util.h"

#define PAGE_MASK ((uint64_t)IGK_PAGE_SIZE - 1)

void igk_check_init(struct igk_check *c, uint32_t arch, bool have_offsets,
                    struct igk_error *err)
{
    memset(c, 0, sizeof(*c));
    c->err = err;
    c->arch = arch;
    c->have_offsets = have_offsets;
    for (size_t i = 0; i < 32; i++)
        c->bit_platform[i] = -1;
}

int igk_check_fail(struct igk_check *c, size_t index, uint32_t type, uint64_t offset,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(c->err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_header(c->err, (uint32_t)index, type);
    igk_error_set_offset(c->err, offset);
    return IGK_E_INVALID;
}

/* Shorthand for failures about one header of the model. */
#define FAIL(c, index, h, ...)                                                             \
    igk_check_fail((c), (index), (h)->type,                                                \
                   (c)->have_offsets ? (h)->file_offset : IGK_NO_OFFSET, __VA_ARGS__)

/*
 * The same for cross-header rules, which see headers[i]: a lean model
 * numbers it by its place in the file, so messages match a full read.
 */
#define NUMBER(i) igk_igvm_header_number(igvm, (i))
#define CROSS_FAIL(c, i, h, ...) FAIL((c), NUMBER(i), (h), __VA_ARGS__)

static const char *arch_name(uint32_t arch)
{
    return arch == IGK_ARCH_AARCH64 ? "aarch64" : "x64";
}

int igk_check_type(struct igk_check *c, size_t index, uint32_t type, uint64_t offset)
{
    int section = igk_header_section(type);

    /* Rule 4: the crate has no notion of the optional bit (section 3.2). */
    if (section == 0 && (type & 0x80000000u))
        return igk_check_fail(c, index, type, offset,
                              "header type 0x%X has the optional bit (0x80000000) set, "
                              "which the reference parser rejects",
                              type);
    if (section == 0)
        return igk_check_fail(c, index, type, offset,
                              "unknown header type 0x%X (outside the platform, "
                              "initialization and directive ranges)",
                              type);
    if (section < c->section)
        return igk_check_fail(c, index, type, offset,
                              "%s header after %s headers (order must be platform, "
                              "initialization, directive)",
                              section == 1 ? "platform" : "initialization",
                              c->section == 2 ? "initialization" : "directive");
    c->section = section;
    /* Rule 5: known types only.  CoRIM headers need the crate's non-default
     * `corim` feature (section 5.4); 0x306 is reserved (section 3.3). */
    if (type == IGK_VHT_CORIM_DOCUMENT || type == IGK_VHT_CORIM_SIGNATURE)
        return igk_check_fail(c, index, type, offset,
                              "%s headers are not supported (the reference parser's "
                              "default build rejects them)",
                              igk_header_type_name(type));
    if (type == IGK_VHT_RESERVED_306)
        return igk_check_fail(c, index, type, offset, "header type 0x306 is reserved");
    if (igk_header_struct_size(type) == 0)
        return igk_check_fail(c, index, type, offset, "unknown header type 0x%X", type);
    return 0;
}

int igk_check_vp_platform(const struct igk_check *c, uint32_t mask)
{
    if (mask == 0 || (mask & (mask - 1)))
        return -1;
    return c->bit_platform[__builtin_ctz(mask)];
}

/* Rule 7 (section 4.1). */
static int check_platform(struct igk_check *c, size_t i, const struct igk_header *h)
{
    const struct igk_supported_platform *p = &h->u.platform;

    if (__builtin_popcount(p->compatibility_mask) != 1)
        return FAIL(c, i, h, "compatibility mask 0x%X must have exactly one bit set",
                    p->compatibility_mask);
    if (p->highest_vtl != 0 && p->highest_vtl != 2)
        return FAIL(c, i, h, "highest VTL %u is invalid (must be 0 or 2)", p->highest_vtl);
    if (p->platform_type >= IGK_PLATFORM_MAX)
        return FAIL(c, i, h, "unknown platform type %u", p->platform_type);
    if (p->platform_version != 1)
        return FAIL(c, i, h, "platform version %u is not supported (must be 1)",
                    p->platform_version);
    if ((p->platform_type == IGK_PLATFORM_NATIVE || p->platform_type == IGK_PLATFORM_VSM) &&
        p->shared_gpa_boundary != 0)
        return FAIL(c, i, h, "shared GPA boundary 0x%llX must be 0 for platform %s",
                    (unsigned long long)p->shared_gpa_boundary,
                    igk_platform_name(p->platform_type));
    c->bit_platform[__builtin_ctz(p->compatibility_mask)] = p->platform_type;
    return 0;
}

/* A region [gpa, gpa + size) must be non-empty and end at or below 2^64. */
static bool region_fits(uint64_t gpa, uint64_t size)
{
    uint64_t end;
    return size != 0 && igk_add_u64(gpa, size - 1, &end);
}

/* Rule 10 (section 5.2); alignment 0 and zero/wrapping sizes panic the crate. */
static int check_relocatable(struct igk_check *c, size_t i, const struct igk_header *h)
{
    const struct igk_relocatable_region *r = h->u.relocatable_region;
    uint64_t a = r->relocation_alignment;

    if (r->vtl > 2)
        return FAIL(c, i, h, "VTL %u is invalid (must be 0, 1 or 2)", r->vtl);
    if (a == 0 || (a & PAGE_MASK))
        return FAIL(c, i, h, "relocation alignment 0x%llX must be a non-zero multiple of 4096",
                    (unsigned long long)a);
    if (r->relocation_region_size == 0 || (r->relocation_region_size & PAGE_MASK))
        return FAIL(c, i, h, "relocation region size 0x%llX must be a non-zero multiple of 4096",
                    (unsigned long long)r->relocation_region_size);
    if (!region_fits(r->relocation_region_gpa, r->relocation_region_size))
        return FAIL(c, i, h, "relocation region at 0x%llX of size 0x%llX wraps past 2^64",
                    (unsigned long long)r->relocation_region_gpa,
                    (unsigned long long)r->relocation_region_size);
    if (r->relocation_region_gpa % a)
        return FAIL(c, i, h, "relocation region GPA 0x%llX is not a multiple of the alignment 0x%llX",
                    (unsigned long long)r->relocation_region_gpa, (unsigned long long)a);
    if (r->minimum_relocation_gpa % a)
        return FAIL(c, i, h, "minimum relocation GPA 0x%llX is not a multiple of the alignment 0x%llX",
                    (unsigned long long)r->minimum_relocation_gpa, (unsigned long long)a);
    if (r->maximum_relocation_gpa % a)
        return FAIL(c, i, h, "maximum relocation GPA 0x%llX is not a multiple of the alignment 0x%llX",
                    (unsigned long long)r->maximum_relocation_gpa, (unsigned long long)a);
    return 0;
}

/* Rule 11, per-header part (section 5.2). */
static int check_page_table(struct igk_check *c, size_t i, const struct igk_header *h)
{
    const struct igk_page_table_relocation *r = h->u.page_table_relocation;

    if (r->reserved)
        return FAIL(c, i, h, "reserved field is 0x%X, must be 0", r->reserved);
    if (r->vtl > 2)
        return FAIL(c, i, h, "VTL %u is invalid (must be 0, 1 or 2)", r->vtl);
    if (r->gpa & PAGE_MASK)
        return FAIL(c, i, h, "GPA 0x%llX is not 4 KiB aligned", (unsigned long long)r->gpa);
    if (r->size == 0 || (r->size & PAGE_MASK))
        return FAIL(c, i, h, "page table region size 0x%llX must be a non-zero multiple of 4096",
                    (unsigned long long)r->size);
    if (r->used_size & PAGE_MASK)
        return FAIL(c, i, h, "used size 0x%llX is not a multiple of 4096",
                    (unsigned long long)r->used_size);
    if (r->used_size > r->size)
        return FAIL(c, i, h, "used size 0x%llX exceeds the region size 0x%llX",
                    (unsigned long long)r->used_size, (unsigned long long)r->size);
    if (!region_fits(r->gpa, r->size))
        return FAIL(c, i, h, "page table region at 0x%llX of size 0x%llX wraps past 2^64",
                    (unsigned long long)r->gpa, (unsigned long long)r->size);
    return 0;
}

/* Hyper-V register names the crate accepts in VBS VP contexts (section 6.5). */
static bool vbs_register_allowed(uint32_t arch, uint32_t name)
{
    static const uint32_t x64[] = {
        0x20004, 0x20005, 0x20006, 0x20008, 0x20009, 0x2000A, 0x2000B, 0x2000C, 0x20010,
        0x20011, 0x40000, 0x40002, 0x40003, 0x60000, 0x60001, 0x60002, 0x60003, 0x60004,
        0x60005, 0x60007, 0x70000, 0x70001, 0x80001, 0x80004, 0x8000E, 0x80010, 0x80011,
        0x80012, 0x80013, 0x80014, 0x80040, 0x80041, 0x80042, 0x80043, 0x80044, 0x80070,
        0x80071, 0x80077, 0x80078, 0x80079, 0x8007A,
    };
    static const uint32_t arm64[] = {
        0x20000, 0x20001, 0x20002, 0x20003, 0x20004, 0x20005, 0x20006, 0x20007,
        0x20022, 0x20023, 0x40002, 0x40005, 0x40006, 0x40007, 0x4000B, 0x4000C,
    };
    const uint32_t *list = arch == IGK_ARCH_AARCH64 ? arm64 : x64;
    size_t n = arch == IGK_ARCH_AARCH64 ? sizeof(arm64) / sizeof(arm64[0])
                                        : sizeof(x64) / sizeof(x64[0]);

    for (size_t k = 0; k < n; k++)
        if (list[k] == name)
            return true;
    return false;
}

/* Rule 17, the VBS register list (section 6.5). */
static int check_vbs_context(struct igk_check *c, size_t i, const struct igk_header *h)
{
    const struct igk_vp_context *v = &h->u.vp_context;
    uint32_t count;
    uint64_t need;

    if (h->data_size < 4)
        return FAIL(c, i, h, "VBS VP context data of %u bytes has no register count",
                    h->data_size);
    count = igk_le32(h->data);
    if (count == 0)
        return FAIL(c, i, h, "VBS VP context has no registers");
    need = 4 + (uint64_t)count * IGK_VBS_REGISTER_SIZE;
    if (h->data_size != need)
        return FAIL(c, i, h, "VBS register list of %u registers needs %llu bytes, got %u", count,
                    (unsigned long long)need, h->data_size);
    /* The crate asserts on these two (a panic): plain errors here. */
    if (v->vp_index != 0)
        return FAIL(c, i, h, "VBS VP context for vp_index %u (only vp_index 0 is supported)",
                    v->vp_index);
    for (uint32_t k = 0; k < count; k++) {
        const uint8_t *reg = h->data + 4 + (size_t)k * IGK_VBS_REGISTER_SIZE;
        uint32_t name = igk_le32(reg + 1);
        if (reg[0] != h->data[4])
            return FAIL(c, i, h, "VBS register %u has VTL %u but register 0 has VTL %u "
                                 "(all registers must share one VTL)",
                        k, reg[0], h->data[4]);
        if (!vbs_register_allowed(c->arch, name))
            return FAIL(c, i, h, "VBS register %u: register name 0x%X is not supported for %s",
                        k, name, arch_name(c->arch));
    }
    return 0;
}

/* The 4 KiB block of a native or CCA context: context, then zeros. */
static int check_context_block(struct igk_check *c, size_t i, const struct igk_header *h,
                               const char *what, uint32_t used)
{
    if (h->data_size != IGK_PAGE_SIZE)
        return FAIL(c, i, h, "%s VP context block must be 4096 bytes, got %u", what,
                    h->data_size);
    for (uint32_t k = used; k < IGK_PAGE_SIZE; k++)
        if (h->data[k])
            return FAIL(c, i, h, "%s VP context block has a non-zero byte at +0x%X "
                                 "(only the first %u bytes may be set)",
                        what, k, used);
    return 0;
}

/* Rule 17 (section 6.5). */
static int check_vp_context(struct igk_check *c, size_t i, const struct igk_header *h)
{
    const struct igk_vp_context *v = &h->u.vp_context;
    int platform = igk_check_vp_platform(c, v->compatibility_mask);

    if (platform < 0)
        return FAIL(c, i, h, "compatibility mask 0x%X does not name exactly one declared platform",
                    v->compatibility_mask);
    if (platform == IGK_PLATFORM_TDX)
        return FAIL(c, i, h, "VP contexts are not allowed for platform tdx");
    if (!h->data)
        return FAIL(c, i, h, "VP context has no data");
    switch (platform) {
    case IGK_PLATFORM_SEV_SNP:
    case IGK_PLATFORM_SEV_ES:
        if (v->gpa & PAGE_MASK)
            return FAIL(c, i, h, "VMSA GPA 0x%llX is not 4 KiB aligned",
                        (unsigned long long)v->gpa);
        if (h->data_size != IGK_PAGE_SIZE)
            return FAIL(c, i, h, "VMSA must be 4096 bytes, got %u", h->data_size);
        return 0;
    case IGK_PLATFORM_NATIVE:
    case IGK_PLATFORM_SEV:
        if (c->arch != IGK_ARCH_X64)
            return FAIL(c, i, h, "a native VP context requires an x64 file");
        return check_context_block(c, i, h, "native", IGK_NATIVE_X64_CONTEXT_SIZE);
    case IGK_PLATFORM_CCA:
        if (c->arch != IGK_ARCH_AARCH64)
            return FAIL(c, i, h, "a CCA VP context requires an aarch64 file");
        return check_context_block(c, i, h, "CCA", IGK_CCA_CONTEXT_SIZE);
    case IGK_PLATFORM_VSM:
        return check_vbs_context(c, i, h);
    default:
        return FAIL(c, i, h, "VP contexts are not allowed for platform %s",
                    igk_platform_name((enum igk_platform_type)platform));
    }
}

int igk_check_header(struct igk_check *c, size_t i, const struct igk_header *h)
{
    switch (h->type) {
    case IGK_VHT_SUPPORTED_PLATFORM:
        return check_platform(c, i, h);
    case IGK_VHT_GUEST_POLICY: /* rule 9 */
        if (h->u.guest_policy.reserved)
            return FAIL(c, i, h, "reserved field is 0x%X, must be 0", h->u.guest_policy.reserved);
        return 0;
    case IGK_VHT_RELOCATABLE_REGION:
        if (!h->u.relocatable_region)
            return FAIL(c, i, h, "header has no body");
        return check_relocatable(c, i, h);
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION:
        if (!h->u.page_table_relocation)
            return FAIL(c, i, h, "header has no body");
        return check_page_table(c, i, h);
    case IGK_VHT_CCA_POLICY: { /* rule 12, per-header part */
        const struct igk_cca_policy *p = h->u.cca_policy;
        static const uint8_t zero6[6];
        if (!p)
            return FAIL(c, i, h, "header has no body");
        if (p->reserved || memcmp(p->reserved2, zero6, sizeof(zero6)))
            return FAIL(c, i, h, "reserved fields must be 0");
        if (p->attributes_required_zeroes & p->attributes_required_ones)
            return FAIL(c, i, h, "attributes required to be zero (0x%llX) and one (0x%llX) overlap",
                        (unsigned long long)p->attributes_required_zeroes,
                        (unsigned long long)p->attributes_required_ones);
        return 0;
    }
    case IGK_VHT_PAGE_DATA: { /* rule 13 */
        const struct igk_page_data *p = &h->u.page_data;
        if (p->gpa & PAGE_MASK)
            return FAIL(c, i, h, "GPA 0x%llX is not 4 KiB aligned", (unsigned long long)p->gpa);
        if (p->data_type > IGK_PAGE_DATA_CPUID_XF)
            return FAIL(c, i, h, "unknown page data type %u", p->data_type);
        if (p->reserved)
            return FAIL(c, i, h, "reserved field is 0x%X, must be 0", p->reserved);
        if (h->data && h->data_size > IGK_PAGE_SIZE)
            return FAIL(c, i, h, "page data of %u bytes exceeds one 4096-byte page",
                        h->data_size);
        return 0;
    }
    case IGK_VHT_PARAMETER_AREA: { /* rule 14, per-header part */
        const struct igk_parameter_area *p = &h->u.parameter_area;
        if (p->number_of_bytes & PAGE_MASK)
            return FAIL(c, i, h, "parameter area size 0x%llX is not a multiple of 4096",
                        (unsigned long long)p->number_of_bytes);
        if (h->data && h->data_size != p->number_of_bytes)
            return FAIL(c, i, h, "initial data of %u bytes does not match the area size 0x%llX",
                        h->data_size, (unsigned long long)p->number_of_bytes);
        return 0;
    }
    case IGK_VHT_PARAMETER_INSERT: /* rule 16, per-header part */
        if (h->u.parameter_insert.gpa & PAGE_MASK)
            return FAIL(c, i, h, "GPA 0x%llX is not 4 KiB aligned",
                        (unsigned long long)h->u.parameter_insert.gpa);
        return 0;
    case IGK_VHT_VP_CONTEXT:
        return check_vp_context(c, i, h);
    case IGK_VHT_REQUIRED_MEMORY: { /* rule 18 */
        const struct igk_required_memory *r = &h->u.required_memory;
        if (r->gpa & PAGE_MASK)
            return FAIL(c, i, h, "GPA 0x%llX is not 4 KiB aligned", (unsigned long long)r->gpa);
        if (r->number_of_bytes & PAGE_MASK)
            return FAIL(c, i, h, "size 0x%X is not a multiple of 4096", r->number_of_bytes);
        if (r->reserved)
            return FAIL(c, i, h, "reserved field is 0x%X, must be 0", r->reserved);
        return 0;
    }
    case IGK_VHT_ERROR_RANGE: /* rule 19 */
        if (h->u.error_range.gpa & PAGE_MASK)
            return FAIL(c, i, h, "GPA 0x%llX is not 4 KiB aligned",
                        (unsigned long long)h->u.error_range.gpa);
        return 0;
    case IGK_VHT_SNP_ID_BLOCK:
    case IGK_VHT_VBS_MEASUREMENT:
        /* Not validated by the crate (section 7.2, "accepted"); a built model
         * must still carry the body. */
        if (h->type == IGK_VHT_SNP_ID_BLOCK ? !h->u.snp_id_block : !h->u.vbs_measurement)
            return FAIL(c, i, h, "header has no body");
        return 0;
    default:
        return 0; /* parameter usages: rule 15 is cross-header */
    }
}

/* ---- cross-header rules ---- */

/* Rule 8: at least one platform, one header per type, type fits the arch. */
static int cross_platforms(struct igk_check *c, const struct igk_igvm *igvm)
{
    size_t first[IGK_PLATFORM_MAX];
    bool any = false;

    for (size_t t = 0; t < IGK_PLATFORM_MAX; t++)
        first[t] = SIZE_MAX;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t t;
        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        any = true;
        t = h->u.platform.platform_type;
        if (first[t] != SIZE_MAX)
            return CROSS_FAIL(c, i, h,
                              "second SUPPORTED_PLATFORM header for platform %s "
                              "(the first is header #%zu)",
                              igk_platform_name(t), first[t]);
        first[t] = NUMBER(i);
        if ((t == IGK_PLATFORM_CCA && c->arch != IGK_ARCH_AARCH64) ||
            (t != IGK_PLATFORM_CCA && t != IGK_PLATFORM_VSM && c->arch != IGK_ARCH_X64))
            return CROSS_FAIL(c, i, h, "platform %s is not allowed in an %s file",
                              igk_platform_name(t), arch_name(c->arch));
    }
    if (!any) {
        igk_error_set_offset(c->err, c->have_offsets ? igvm->variable_header_offset
                                                     : IGK_NO_OFFSET);
        return igk_error_set(c->err, IGK_E_INVALID, "the file has no SUPPORTED_PLATFORM header");
    }
    return 0;
}

/* A relocation or page table region, for the overlap rule (rule 11). */
struct region {
    uint64_t start, last; /* inclusive end: regions may reach 2^64 - 1 */
    size_t index;
};

static int cmp_region(const void *a, const void *b)
{
    const struct region *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static bool region_of(const struct igk_header *h, uint32_t *mask, struct region *r)
{
    if (h->type == IGK_VHT_RELOCATABLE_REGION) {
        *mask = h->u.relocatable_region->compatibility_mask;
        r->start = h->u.relocatable_region->relocation_region_gpa;
        r->last = r->start + h->u.relocatable_region->relocation_region_size - 1;
        return true;
    }
    if (h->type == IGK_VHT_PAGE_TABLE_RELOCATION_REGION) {
        *mask = h->u.page_table_relocation->compatibility_mask;
        r->start = h->u.page_table_relocation->gpa;
        r->last = r->start + h->u.page_table_relocation->size - 1;
        return true;
    }
    return false;
}

/* No two relocation/page-table regions sharing a mask bit may overlap. */
static int cross_region_overlap(struct igk_check *c, const struct igk_igvm *igvm)
{
    size_t n = 0, total = 0;
    struct region *all, r;
    uint32_t mask;
    int ret = 0;

    for (size_t i = 0; i < igvm->n_headers; i++)
        if (region_of(&igvm->headers[i], &mask, &r))
            total += (size_t)__builtin_popcount(mask);
    if (total < 2)
        return 0;
    all = calloc(total, sizeof(*all));
    if (!all)
        return igk_error_set(c->err, IGK_E_INTERNAL, "out of memory");
    /* Sorting per bit keeps this O(n log n) however many regions there are. */
    for (unsigned bit = 0; bit < 32 && !ret; bit++) {
        size_t worst = SIZE_MAX, other = 0;
        n = 0;
        for (size_t i = 0; i < igvm->n_headers; i++) {
            if (!region_of(&igvm->headers[i], &mask, &r) || !(mask & (1u << bit)))
                continue;
            r.index = i;
            all[n++] = r;
        }
        if (n < 2)
            continue;
        qsort(all, n, sizeof(*all), cmp_region);
        /* Overlap exists iff a region starts at or before the furthest end
         * so far; report the later header of the first such pair. */
        for (size_t k = 1, far = 0; k < n; k++) {
            if (all[k].start <= all[far].last) {
                size_t a = all[k].index, b = all[far].index;
                size_t later = a > b ? a : b, earlier = a > b ? b : a;
                if (later < worst) {
                    worst = later;
                    other = earlier;
                }
            }
            if (all[k].last > all[far].last)
                far = k;
        }
        if (worst != SIZE_MAX)
            ret = CROSS_FAIL(
                c, worst, &igvm->headers[worst],
                "region overlaps the region of header #%zu (compatibility mask bit 0x%X)",
                NUMBER(other), 1u << bit);
    }
    free(all);
    return ret;
}

/* Rules 11 (one page table region per bit) and 12 (CCA policy). */
static int cross_initialization(struct igk_check *c, const struct igk_igvm *igvm)
{
    size_t pt_first[32];

    for (size_t b = 0; b < 32; b++)
        pt_first[b] = SIZE_MAX;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_PAGE_TABLE_RELOCATION_REGION) {
            uint32_t m = h->u.page_table_relocation->compatibility_mask;
            for (unsigned b = 0; b < 32; b++) {
                if (!(m & (1u << b)))
                    continue;
                if (pt_first[b] != SIZE_MAX)
                    return CROSS_FAIL(c, i, h,
                                      "second page table relocation region for compatibility "
                                      "mask bit 0x%X (the first is header #%zu)",
                                      1u << b, pt_first[b]);
                pt_first[b] = NUMBER(i);
            }
        } else if (h->type == IGK_VHT_CCA_POLICY) {
            uint32_t m = h->u.cca_policy->compatibility_mask;
            if (c->arch != IGK_ARCH_AARCH64)
                return CROSS_FAIL(c, i, h, "CCA_POLICY is only allowed in aarch64 files");
            for (unsigned b = 0; b < 32; b++)
                if ((m & (1u << b)) && c->bit_platform[b] != IGK_PLATFORM_CCA)
                    return CROSS_FAIL(c, i, h,
                                      "compatibility mask 0x%X includes bit 0x%X, "
                                      "which is not a CCA platform",
                                      m, 1u << b);
        }
    }
    return cross_region_overlap(c, igvm);
}

/* Parameter area states, keyed by area index (rules 14-16): open addressing. */
struct area_slot {
    uint32_t key;
    bool used;
    size_t declared_by, inserted_by; /* header indices; SIZE_MAX if not */
};

static struct area_slot *area_find(struct area_slot *t, size_t cap, uint32_t key, bool add)
{
    size_t k = (key * 2654435761u) & (cap - 1);

    while (t[k].used) {
        if (t[k].key == key)
            return &t[k];
        k = (k + 1) & (cap - 1);
    }
    if (!add)
        return NULL;
    t[k].used = true;
    t[k].key = key;
    t[k].declared_by = t[k].inserted_by = SIZE_MAX;
    return &t[k];
}

static bool is_parameter_usage(uint32_t type)
{
    return type >= IGK_VHT_VP_COUNT_PARAMETER && type <= IGK_VHT_ENVIRONMENT_INFO_PARAMETER &&
           type != IGK_VHT_SNP_ID_BLOCK && type != IGK_VHT_ERROR_RANGE &&
           type != IGK_VHT_VBS_MEASUREMENT;
}

/* Rules 14-16 and 20. */
static int cross_directives(struct igk_check *c, const struct igk_igvm *igvm)
{
    struct area_slot *areas;
    size_t cap = 16, n_areas = 0;
    uint8_t vbs_vtls[32] = {0}; /* per mask bit: VTLs (bits 0..7) of VBS contexts */
    size_t pt_index[32];
    int ret = 0;

    for (size_t b = 0; b < 32; b++)
        pt_index[b] = SIZE_MAX;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_PARAMETER_AREA)
            n_areas++;
        else if (h->type == IGK_VHT_PAGE_TABLE_RELOCATION_REGION)
            for (unsigned b = 0; b < 32; b++)
                if (h->u.page_table_relocation->compatibility_mask & (1u << b))
                    pt_index[b] = i;
    }
    while (cap < 2 * n_areas + 16)
        cap *= 2;
    areas = calloc(cap, sizeof(*areas));
    if (!areas)
        return igk_error_set(c->err, IGK_E_INTERNAL, "out of memory");

    for (size_t i = 0; i < igvm->n_headers && !ret; i++) {
        const struct igk_header *h = &igvm->headers[i];
        struct area_slot *s;
        uint32_t idx;

        if (h->type == IGK_VHT_PARAMETER_AREA) {
            idx = h->u.parameter_area.parameter_area_index;
            s = area_find(areas, cap, idx, true);
            if (s->declared_by != SIZE_MAX)
                ret = CROSS_FAIL(c, i, h,
                                 "parameter area index %u was already declared by header #%zu", idx,
                                 s->declared_by);
            else
                s->declared_by = NUMBER(i);
        } else if (is_parameter_usage(h->type) || h->type == IGK_VHT_PARAMETER_INSERT) {
            idx = h->type == IGK_VHT_PARAMETER_INSERT ? h->u.parameter_insert.parameter_area_index
                                                      : h->u.parameter.parameter_area_index;
            s = area_find(areas, cap, idx, false);
            if (!s)
                ret = CROSS_FAIL(c, i, h, "parameter area index %u is not declared", idx);
            else if (s->inserted_by != SIZE_MAX)
                ret = CROSS_FAIL(c, i, h,
                                 "parameter area index %u was already inserted by header #%zu", idx,
                                 s->inserted_by);
            else if (h->type == IGK_VHT_PARAMETER_INSERT) {
                const struct igk_parameter_insert *p = &h->u.parameter_insert;
                s->inserted_by = NUMBER(i);
                for (unsigned b = 0; b < 32 && !ret; b++) {
                    const struct igk_page_table_relocation *pt;
                    if (!(p->compatibility_mask & (1u << b)) || pt_index[b] == SIZE_MAX)
                        continue;
                    pt = igvm->headers[pt_index[b]].u.page_table_relocation;
                    if (p->gpa >= pt->gpa && p->gpa - pt->gpa < pt->size)
                        ret = CROSS_FAIL(c, i, h,
                                         "parameter insert at GPA 0x%llX lies inside the page "
                                         "table relocation region of header #%zu",
                                         (unsigned long long)p->gpa, NUMBER(pt_index[b]));
                }
            }
        } else if (h->type == IGK_VHT_VP_CONTEXT &&
                   igk_check_vp_platform(c, h->u.vp_context.compatibility_mask) ==
                       IGK_PLATFORM_VSM) {
            uint8_t vtl = h->data[4]; /* checked: >= 1 register, all one VTL */
            if (vtl < 8)
                vbs_vtls[__builtin_ctz(h->u.vp_context.compatibility_mask)] |=
                    (uint8_t)(1u << vtl);
        }
    }
    free(areas);
    if (ret)
        return ret;

    /* Rule 20: relocation needs the registers of a VBS context to fix up. */
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t mask;
        uint16_t vp;
        uint8_t vtl;
        bool matched = false;

        if (h->type == IGK_VHT_RELOCATABLE_REGION) {
            mask = h->u.relocatable_region->compatibility_mask;
            vp = h->u.relocatable_region->vp_index;
            vtl = h->u.relocatable_region->vtl;
        } else if (h->type == IGK_VHT_PAGE_TABLE_RELOCATION_REGION) {
            mask = h->u.page_table_relocation->compatibility_mask;
            vp = h->u.page_table_relocation->vp_index;
            vtl = h->u.page_table_relocation->vtl;
        } else {
            continue;
        }
        for (unsigned b = 0; b < 32 && vp == 0; b++)
            if ((mask & (1u << b)) && (vbs_vtls[b] & (1u << vtl)))
                matched = true;
        if (!matched)
            return CROSS_FAIL(c, i, h,
                              "no VBS VP context matches this region (mask 0x%X, vp_index %u, "
                              "VTL %u); relocation needs a VBS VP context for vp_index 0 "
                              "with the same VTL",
                              mask, vp, vtl);
    }
    return 0;
}

int igk_check_cross(struct igk_check *c, const struct igk_igvm *igvm)
{
    int r = cross_platforms(c, igvm);
    if (r == 0)
        r = cross_initialization(c, igvm);
    if (r == 0)
        r = cross_directives(c, igvm);
    return r;
}

IGK_PUBLIC int igk_igvm_validate(const struct igk_igvm *igvm, struct igk_error *err)
{
    struct igk_check c;
    int r;

    igk_error_clear(err);
    if (igvm->format_version != 1 && igvm->format_version != 2)
        return igk_error_set(err, IGK_E_INVALID, "format version %u is not 1 or 2",
                             igvm->format_version);
    if (igvm->format_version == 2 && igvm->arch != IGK_ARCH_X64 &&
        igvm->arch != IGK_ARCH_AARCH64)
        return igk_error_set(err, IGK_E_INVALID, "unknown architecture %u", igvm->arch);
    if (igvm->page_size != IGK_PAGE_SIZE)
        return igk_error_set(err, IGK_E_INVALID, "unsupported page size %u", igvm->page_size);
    igk_check_init(&c, igvm->format_version == 1 ? IGK_ARCH_X64 : igvm->arch, igvm->file != NULL,
                   err);
    if (igk_igvm_is_lean(igvm) && !igvm->file) {
        /* Packed lean: its PAGE_DATA headers exist only as the cursor
         * generates them; check each as if it were stored. */
        struct igk_header_cursor cursor = {0};
        struct igk_header scratch;
        const struct igk_header *h;
        size_t number;

        while ((h = igk_igvm_next_header(igvm, &cursor, &scratch, &number))) {
            r = igk_check_type(&c, number, h->type, IGK_NO_OFFSET);
            if (r == 0)
                r = igk_check_header(&c, number, h);
            if (r < 0)
                return r;
        }
        return igk_check_cross(&c, igvm);
    }
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        r = igk_check_type(&c, NUMBER(i), h->type, c.have_offsets ? h->file_offset : IGK_NO_OFFSET);
        if (r == 0)
            r = igk_check_header(&c, NUMBER(i), h);
        if (r < 0)
            return r;
    }
    return igk_check_cross(&c, igvm);
}
