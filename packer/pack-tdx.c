/* SPDX-License-Identifier: MIT */
/*
 * TDX layout of a TDVF (OVMF) image and the native / raw firmware layouts.
 *
 * TDVF sections go out in metadata order, pages ascending
 * (docs/packer-layout.md section 3.2):
 *   MR.EXTEND sections   measured PAGE_DATA with the image bytes; pages past
 *                        RawDataSize are zero-filled, as the TDVF spec says
 *                        (QEMU would read on into the image; identical for
 *                        OVMF, whose BFV has RawDataSize == MemoryDataSize)
 *   other sections       unmeasured PAGE_DATA: with the image bytes where the
 *                        section has file data (CFV), data-less otherwise
 *                        (TD_HOB, TempMem).  The TD HOB is built by the
 *                        loader; IGVM has no parameter type for it.
 *   PAGE.AUG sections    REQUIRED_MEMORY (never PAGE.ADDed, not in MRTD)
 *   TD_INFO, TD_PARAMS   nothing: they describe no guest memory
 * No VP context: TDX vCPUs start from the architectural reset state at
 * 0xFFFFFFF0, inside the BFV.  The MRTD of the result is the single-pass
 * MRTD of the image.
 */
#include <stdlib.h>
#include <string.h>

#include "pack-private.h"
#include "util.h"

static int fail_section(const struct igk_pack_ctx *ctx, size_t i,
                        const struct igk_tdvf_section *s, const char *problem,
                        struct igk_error *err)
{
    igk_error_set(err, IGK_E_INVALID, "TDVF metadata section %zu (%s): %s", i,
                  igk_tdvf_section_name(s->type), problem);
    igk_error_set_path(err, ctx->fw_path);
    igk_error_set_offset(err, s->file_offset);
    return IGK_E_INVALID;
}

static int check_tdvf_section(const struct igk_pack_ctx *ctx, size_t i,
                              const struct igk_tdvf_section *s, struct igk_error *err)
{
    uint64_t end;

    if (s->type > IGK_TDVF_TD_PARAMS)
        return fail_section(ctx, i, s, "unknown section type", err);
    if (s->attributes & ~(IGK_TDVF_ATTR_MR_EXTEND | IGK_TDVF_ATTR_PAGE_AUG))
        return fail_section(ctx, i, s, "reserved attribute bits are set", err);
    if ((s->attributes & IGK_TDVF_ATTR_MR_EXTEND) && (s->attributes & IGK_TDVF_ATTR_PAGE_AUG))
        return fail_section(ctx, i, s, "MR.EXTEND and PAGE.AUG exclude each other", err);
    if (s->type >= IGK_TDVF_TD_INFO)
        return 0;
    if (s->gpa % IGK_PAGE_SIZE || s->memory_size % IGK_PAGE_SIZE || s->memory_size == 0)
        return fail_section(ctx, i, s,
                            "memory address and size must be 4 KiB aligned and non-zero", err);
    if (!igk_add_u64(s->gpa, s->memory_size, &end) || end > (1ull << 52))
        return fail_section(ctx, i, s, "memory range runs past the 52-bit physical space", err);
    /* Bounds the work a hostile image can ask for: 2^20 pages per added section. */
    if (!(s->attributes & IGK_TDVF_ATTR_PAGE_AUG) && s->memory_size > IGK_4GIB)
        return fail_section(ctx, i, s, "memory size exceeds the 4 GiB a section may add", err);
    if (s->raw_size > s->memory_size)
        return fail_section(ctx, i, s, "raw data size exceeds the memory size", err);
    if (s->raw_size && (uint64_t)s->data_offset + s->raw_size > ctx->image_size) {
        /* docs/firmware.md section 5, the split OVMF_CODE.fd trap. */
        igk_error_set(err, IGK_E_INVALID,
                      "TDVF metadata section %zu (%s) claims file offset 0x%x size 0x%x, which "
                      "ends past the end of the %llu-byte firmware image; this is a split "
                      "OVMF_CODE image written for VARS + CODE: add 'vars: OVMF_VARS.fd' to "
                      "place the variable store in front",
                      i, igk_tdvf_section_name(s->type), s->data_offset, s->raw_size,
                      (unsigned long long)ctx->image_size);
        igk_error_set_path(err, ctx->fw_path);
        igk_error_set_offset(err, s->file_offset);
        return IGK_E_INVALID;
    }
    return 0;
}

/* The 4096 bytes of page k of a section with file data; NULL past its raw data. */
static int section_page(const struct igk_pack_ctx *ctx, const struct igk_tdvf_section *s,
                        uint64_t off, const uint8_t **ret, struct igk_error *err)
{
    uint8_t page[IGK_PAGE_SIZE];

    *ret = NULL;
    if (off >= s->raw_size)
        return 0;
    if (s->raw_size - off >= IGK_PAGE_SIZE) {
        *ret = ctx->image + s->data_offset + off;
        return 0;
    }
    /* The last, partial page of raw data: zero-filled. */
    memset(page, 0, sizeof(page));
    memcpy(page, ctx->image + s->data_offset + off, s->raw_size - off);
    if (!(*ret = igk_igvm_keep(ctx->igvm, page, sizeof(page))))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    return 0;
}

static int add_section(const struct igk_pack_ctx *ctx, const struct igk_tdvf_section *s,
                       struct igk_layout *out, struct igk_error *err)
{
    bool measured = s->attributes & IGK_TDVF_ATTR_MR_EXTEND;
    int r;

    if (s->attributes & IGK_TDVF_ATTR_PAGE_AUG) {
        /* REQUIRED_MEMORY sizes are 32-bit: split larger sections. */
        for (uint64_t off = 0; off < s->memory_size;) {
            uint64_t chunk = s->memory_size - off;
            struct igk_layout_entry e = {.type = IGK_VHT_REQUIRED_MEMORY, .gpa = s->gpa + off};

            if (chunk > 0x80000000u)
                chunk = 0x80000000u;
            e.size = (uint32_t)chunk;
            if ((r = igk_layout_add(out, &e, err)) < 0)
                return r;
            off += chunk;
        }
        return 0;
    }
    for (uint64_t off = 0; off < s->memory_size; off += IGK_PAGE_SIZE) {
        struct igk_layout_entry e = {.type = IGK_VHT_PAGE_DATA, .gpa = s->gpa + off};

        if ((r = section_page(ctx, s, off, &e.data, err)) < 0)
            return r;
        if (measured && !e.data)
            e.data = ctx->zero_page; /* measured zero pages carry data (docs/measure-tdx.md section 3) */
        e.flags = measured ? 0 : IGK_PAGE_FLAG_UNMEASURED;
        if ((r = igk_layout_add(out, &e, err)) < 0)
            return r;
    }
    return 0;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

    return a < b ? -1 : a > b;
}

/* The TDX module refuses a second PAGE.ADD of a GPA (docs/measure-tdx.md section 4). */
static int check_unique_gpas(const struct igk_pack_ctx *ctx, const struct igk_layout *l,
                             struct igk_error *err)
{
    uint64_t *gpas = malloc((l->n ? l->n : 1) * sizeof(*gpas));
    size_t n = 0;
    int r = 0;

    if (!gpas)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < l->n; i++)
        if (l->entries[i].type == IGK_VHT_PAGE_DATA)
            gpas[n++] = l->entries[i].gpa;
    qsort(gpas, n, sizeof(*gpas), cmp_u64);
    for (size_t i = 1; i < n; i++)
        if (gpas[i] == gpas[i - 1]) {
            igk_error_set(err, IGK_E_INVALID,
                          "TDVF metadata: sections overlap at GPA 0x%llx (TDX adds a page once)",
                          (unsigned long long)gpas[i]);
            igk_error_set_path(err, ctx->fw_path);
            r = IGK_E_INVALID;
            break;
        }
    free(gpas);
    return r;
}

int igk_pack_layout_tdx(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err)
{
    int r;

    if (!ctx->is_ovmf)
        /* A raw blob is measured as it is; the reset page must be inside (pack.c checks). */
        return igk_layout_add_pages(out, ctx->image_gpa, ctx->image_size, ctx->image, 0,
                                    IGK_PAGE_DATA_NORMAL, err);
    if (!ctx->ovmf.has_tdvf) {
        igk_error_set(err, IGK_E_INVALID,
                      "TDX needs TDVF metadata (GUID e47a6535-984a-4798-865e-4685a7bf8ec2) in "
                      "the OVMF footer table; this firmware has none");
        igk_error_set_path(err, ctx->fw_path);
        return IGK_E_INVALID;
    }
    for (size_t i = 0; i < ctx->ovmf.n_tdvf; i++)
        if ((r = check_tdvf_section(ctx, i, &ctx->ovmf.tdvf[i], err)) < 0)
            return r;
    for (size_t i = 0; i < ctx->ovmf.n_tdvf; i++) {
        const struct igk_tdvf_section *s = &ctx->ovmf.tdvf[i];

        if (s->type >= IGK_TDVF_TD_INFO)
            continue;
        if ((r = add_section(ctx, s, out, err)) < 0)
            return r;
    }
    return check_unique_gpas(ctx, out, err);
}

int igk_pack_layout_native(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                           struct igk_error *err)
{
    return igk_layout_add_pages(out, ctx->image_gpa, ctx->image_size, ctx->image, 0,
                                IGK_PAGE_DATA_NORMAL, err);
}
