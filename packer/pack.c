/* SPDX-License-Identifier: MIT */
/*
 * igk_pack(): struct igk_spec -> one IGVM model for every requested platform.
 *
 * Inputs are read, the firmware is placed (ending at 4 GiB unless a raw gpa
 * says otherwise), each platform's directive list is built on its own in
 * its measurement order, and the lists are merged so that identical pages
 * are stored once with a combined mask (layout.h).  Headers: SUPPORTED_PLATFORM
 * SEV-SNP (mask 0x1), native (0x2), TDX (0x4); GUEST_POLICY for SEV-SNP and
 * TDX; then the directives.  The result depends only on the spec's values and
 * the input bytes (never on paths, time or allocation order).
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/measure.h>
#include <igvmkit/pack.h>
#include <igvmkit/sign.h>

#include "direct-boot.h"
#include "input-hash.h"
#include "kernel-hashes.h"
#include "file-input.h"
#include "pack-private.h"
#include "resource-limits.h"
#include "util.h"

#define MASK_SNP 0x1u
#define MASK_NATIVE 0x2u
#define MASK_TDX 0x4u
#define MASK_SEV_ES 0x8u
#define MASK_SEV 0x10u

#define PLATFORM_BIT(p) (1u << (p))
#define SUPPORTED_PLATFORMS                                                                    \
    (PLATFORM_BIT(IGK_PLATFORM_SEV_SNP) | PLATFORM_BIT(IGK_PLATFORM_NATIVE) |                   \
     PLATFORM_BIT(IGK_PLATFORM_TDX) | PLATFORM_BIT(IGK_PLATFORM_SEV_ES) |                      \
     PLATFORM_BIT(IGK_PLATFORM_SEV))

IGK_PUBLIC void igk_pack_result_done(struct igk_pack_result *result)
{
    if (!result)
        return;
    igk_igvm_free(result->igvm);
    for (size_t i = 0; i < result->n_inputs; i++)
        free((char *)result->inputs[i].path);
    free(result->inputs);
    memset(result, 0, sizeof(*result));
}

static int add_platform(struct igk_igvm *igvm, enum igk_platform_type type, uint32_t mask,
                        struct igk_error *err)
{
    struct igk_header h = {.type = IGK_VHT_SUPPORTED_PLATFORM};

    h.u.platform.compatibility_mask = mask;
    h.u.platform.highest_vtl = 0;
    h.u.platform.platform_type = (uint8_t)type;
    h.u.platform.platform_version = 1;
    h.u.platform.shared_gpa_boundary = 0; /* the platform manages sharing (coconut's choice) */
    return igk_igvm_append(igvm, &h, err);
}

static int add_policy(struct igk_igvm *igvm, uint64_t policy, uint32_t mask,
                      struct igk_error *err)
{
    struct igk_header h = {.type = IGK_VHT_GUEST_POLICY};

    h.u.guest_policy.policy = policy;
    h.u.guest_policy.compatibility_mask = mask;
    return igk_igvm_append(igvm, &h, err);
}

int igk_pack_build(const struct igk_pack_ctx *ctx, struct igk_error *err)
{
    uint32_t want = ctx->spec->platforms;
    struct igk_layout layouts[5] = {{0}};
    uint32_t masks[5] = {0};
    size_t n = 0;
    int r;

    /* Platform headers and policies: SEV-SNP, native, TDX (docs/packer-layout.md section 1). */
    if ((want & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP)) &&
        (r = add_platform(ctx->igvm, IGK_PLATFORM_SEV_SNP, MASK_SNP, err)) < 0)
        return r;
    if ((want & PLATFORM_BIT(IGK_PLATFORM_NATIVE)) &&
        (r = add_platform(ctx->igvm, IGK_PLATFORM_NATIVE, MASK_NATIVE, err)) < 0)
        return r;
    if ((want & PLATFORM_BIT(IGK_PLATFORM_TDX)) &&
        (r = add_platform(ctx->igvm, IGK_PLATFORM_TDX, MASK_TDX, err)) < 0)
        return r;
    /* SEV-ES and SEV after them: QEMU picks SNP > SEV-ES > SEV > native (lint-qemu.c). */
    if ((want & PLATFORM_BIT(IGK_PLATFORM_SEV_ES)) &&
        (r = add_platform(ctx->igvm, IGK_PLATFORM_SEV_ES, MASK_SEV_ES, err)) < 0)
        return r;
    if ((want & PLATFORM_BIT(IGK_PLATFORM_SEV)) &&
        (r = add_platform(ctx->igvm, IGK_PLATFORM_SEV, MASK_SEV, err)) < 0)
        return r;
    if ((want & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP)) &&
        (r = add_policy(ctx->igvm, ctx->spec->snp.policy, MASK_SNP, err)) < 0)
        return r;
    if ((want & PLATFORM_BIT(IGK_PLATFORM_TDX)) &&
        (r = add_policy(ctx->igvm, ctx->spec->tdx.policy, MASK_TDX, err)) < 0)
        return r;

    if (want & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP)) {
        masks[n] = MASK_SNP;
        if ((r = ctx->svsm ? igk_pack_layout_snp_svsm(ctx, &layouts[n++], err)
                           : igk_pack_layout_snp(ctx, &layouts[n++], err)) < 0)
            goto out;
    }
    if (want & PLATFORM_BIT(IGK_PLATFORM_NATIVE)) {
        masks[n] = MASK_NATIVE;
        if ((r = igk_pack_layout_native(ctx, &layouts[n++], err)) < 0)
            goto out;
    }
    if (want & PLATFORM_BIT(IGK_PLATFORM_TDX)) {
        masks[n] = MASK_TDX;
        if ((r = igk_pack_layout_tdx(ctx, &layouts[n++], err)) < 0)
            goto out;
    }
    if (want & PLATFORM_BIT(IGK_PLATFORM_SEV_ES)) {
        masks[n] = MASK_SEV_ES;
        if ((r = igk_pack_layout_sev_es(ctx, &layouts[n++], err)) < 0)
            goto out;
    }
    if (want & PLATFORM_BIT(IGK_PLATFORM_SEV)) {
        masks[n] = MASK_SEV;
        if ((r = igk_pack_layout_sev(ctx, &layouts[n++], err)) < 0)
            goto out;
    }
    r = igk_layout_merge(layouts, masks, n, ctx->igvm, err);
out:
    for (size_t i = 0; i < n; i++)
        igk_layout_done(&layouts[i]);
    return r;
}

/* Reads one input file and records it for provenance. */
static int load_input(const struct igk_spec_file *file, const char *role,
                      enum igk_limit_id limit, struct igk_pack_result *ret,
                      struct igk_mapped_file *map, struct igk_error *err)
{
    struct igk_pack_input *in;
    int r;

    if ((r = igk_map_file_limit(file->open_path, limit, role, map, err)) < 0) {
        igk_error_prefix(err, "%s", role);
        return r;
    }
    in = &ret->inputs[ret->n_inputs];
    memset(in, 0, sizeof(*in));
    in->role = role;
    in->size = map->size;
    if (!(in->path = strdup(file->path)))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    ret->n_inputs++;
    if (ret->flags & IGK_PACK_NO_INPUT_DIGESTS)
        return 0;
    return igk_input_sha256(map, file->path, in->sha256, err);
}

int igk_pack_error_at(const struct igk_spec *spec, struct igk_spec_mark mark,
                      struct igk_spec_mark fallback, struct igk_error *err)
{
    if (!mark.line)
        mark = fallback;
    if (!err)
        return IGK_E_INVALID;
    if (spec->descriptor_path && mark.line) {
        igk_error_set_path(err, spec->descriptor_path);
        igk_error_set_offset(err, IGK_NO_OFFSET);
        igk_error_set_mark(err, mark.line, mark.column);
    }
    return err ? err->code : IGK_E_INVALID;
}

static int fail_path(struct igk_error *err, int code, const char *path, const char *fmt, ...)
    IGK_PRINTF(4, 5);

static int fail_path(struct igk_error *err, int code, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, code, fmt, ap);
    va_end(ap);
    igk_error_set_path(err, path);
    return code;
}

/* Where the firmware goes: checks alignment and the 4 GiB ceiling. */
static int place_firmware(const struct igk_spec *spec, struct igk_pack_ctx *ctx,
                          struct igk_error *err)
{
    uint64_t size = ctx->image_size, gpa, end;
    bool needs_reset_page = spec->platforms & (PLATFORM_BIT(IGK_PLATFORM_SEV_SNP) |
                                               PLATFORM_BIT(IGK_PLATFORM_TDX) |
                                               PLATFORM_BIT(IGK_PLATFORM_SEV_ES));

    if (size == 0)
        return fail_path(err, IGK_E_INVALID, ctx->fw_path, "firmware image is empty");
    if (size % IGK_PAGE_SIZE)
        return fail_path(err, IGK_E_INVALID, ctx->fw_path,
                         "firmware image is %llu bytes, not a multiple of 4 KiB",
                         (unsigned long long)size);
    if (size > IGK_4GIB)
        return fail_path(err, IGK_E_INVALID, ctx->fw_path,
                         "firmware image is %llu bytes and does not fit below 4 GiB",
                         (unsigned long long)size);
    gpa = IGK_4GIB - size;
    if (spec->firmware_type == IGK_FIRMWARE_RAW && spec->has_firmware_gpa) {
        gpa = spec->firmware_gpa;
        if (gpa % IGK_PAGE_SIZE)
            return fail_path(err, IGK_E_INVALID, ctx->fw_path,
                             "firmware gpa 0x%llx is not 4 KiB aligned", (unsigned long long)gpa);
        if (!igk_add_u64(gpa, size, &end) || end > IGK_4GIB)
            return fail_path(err, IGK_E_INVALID, ctx->fw_path,
                             "firmware at gpa 0x%llx (%llu bytes) does not fit below 4 GiB",
                             (unsigned long long)gpa, (unsigned long long)size);
        /* SEV-SNP, SEV-ES and TDX vCPUs start at 0xFFFFFFF0: a raw blob must hold that page. */
        if (needs_reset_page && end != IGK_4GIB)
            return fail_path(err, IGK_E_INVALID, ctx->fw_path,
                             "firmware at gpa 0x%llx (%llu bytes) does not cover the reset "
                             "vector page 0xfffff000 that SEV-SNP and TDX vCPUs start in",
                             (unsigned long long)gpa, (unsigned long long)size);
    }
    ctx->image_gpa = gpa;
    return 0;
}

/*
 * The guest pages the firmware's metadata asks for, summed over the platforms
 * packed, against the firmware-sections limit: checked before a page is laid
 * out, so a 64 KiB image listing sections of 4 GiB costs nothing.
 */
static int check_section_bytes(const struct igk_spec *spec, const struct igk_pack_ctx *ctx,
                               struct igk_error *err)
{
    uint64_t total = 0, max = igk_limit_value(IGK_LIMIT_FIRMWARE_SECTIONS);

    if (spec->platforms & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP))
        for (size_t i = 0; i < ctx->ovmf.n_sev; i++)
            total += ctx->ovmf.sev[i].size; /* at most 64 u32 sizes: no overflow */
    if (spec->platforms & PLATFORM_BIT(IGK_PLATFORM_TDX))
        for (size_t i = 0; i < ctx->ovmf.n_tdvf; i++) {
            const struct igk_tdvf_section *s = &ctx->ovmf.tdvf[i];

            /* PAGE.AUG sections become REQUIRED_MEMORY ranges, not pages. */
            if (s->type >= IGK_TDVF_TD_INFO || (s->attributes & IGK_TDVF_ATTR_PAGE_AUG))
                continue;
            if (!igk_add_u64(total, s->memory_size, &total))
                total = UINT64_MAX;
        }
    if (total > max) {
        igk_limit_fail(err, IGK_LIMIT_FIRMWARE_SECTIONS,
                       "the guest memory the firmware's SEV/TDVF metadata sections lay out", total);
        igk_error_set_path(err, ctx->fw_path);
        return IGK_E_INVALID;
    }
    return 0;
}

static int check_boot_inputs(const struct igk_spec *spec, const struct igk_pack_ctx *ctx,
                             struct igk_error *err)
{
    struct igk_bzimage_info bz;
    int r;

    if (!ctx->kernel) {
        /* QEMU accepts -initrd and -append only together with -kernel. */
        if (spec->initrd.present || spec->has_cmdline) {
            igk_error_set(err, IGK_E_INVALID,
                          "initrd and cmdline need a kernel: the firmware loads them only "
                          "together with one");
            return igk_pack_error_at(spec, spec->initrd.mark, spec->cmdline_mark, err);
        }
        return 0;
    }
    /* kernel-format any: the bytes only enter the hash table; the limit without a kernel's own applies. */
    if (spec->kernel_format == IGK_KERNEL_ANY) {
        if (ctx->cmdline && (r = igk_cmdline_check(ctx->cmdline, NULL, NULL, err)) < 0)
            return igk_pack_error_at(spec, spec->cmdline_mark, spec->cmdline_mark, err);
        return 0;
    }
    if ((r = igk_kernel_check_bzimage(ctx->kernel, ctx->kernel_size, spec->kernel.open_path, &bz,
                                      err)) < 0)
        return r;
    /* The command line is the descriptor value at fault: point at it. */
    if (ctx->cmdline && (r = igk_cmdline_check(ctx->cmdline, &bz, spec->kernel.open_path, err)) < 0)
        return igk_pack_error_at(spec, spec->cmdline_mark, spec->cmdline_mark, err);
    /* TDVF measures the kernel into RTMR1: refuse here what 'igvmkit measure'
     * of the same descriptor refuses (a kernel without a PE/COFF layout, one
     * too short for QEMU's setup patch), so every packed image has a prediction. */
    if (ctx->is_ovmf && (spec->platforms & PLATFORM_BIT(IGK_PLATFORM_TDX))) {
        /* The checks only: hashing a 1 GiB initrd here would double pack's work. */
        r = igk_tdx_check_rtmr_inputs(ctx->kernel, ctx->kernel_size,
                                      ctx->initrd ? ctx->initrd_size : 0, ctx->cmdline,
                                      spec->memory, err);
        if (r < 0) {
            igk_error_set_path(err, spec->kernel.open_path);
            return r;
        }
    }
    return 0;
}

static int sign_id_block(const struct igk_spec_id_block *id, struct igk_igvm *igvm,
                         struct igk_error *err)
{
    struct igk_snp_sign_options o;

    igk_snp_sign_options_init(&o);
    if (id->has_family_id)
        memcpy(o.family_id, id->family_id, sizeof(o.family_id));
    if (id->has_image_id)
        memcpy(o.image_id, id->image_id, sizeof(o.image_id));
    o.version = id->version;
    o.guest_svn = id->svn;
    o.id_key = id->id_key.open_path;
    o.author_key = id->author_key.present ? id->author_key.open_path : NULL;
    return igk_snp_sign(igvm, &o, err);
}

IGK_PUBLIC int igk_pack(const struct igk_spec *spec, struct igk_pack_result *ret,
                        struct igk_error *err)
{
    return igk_pack_ex(spec, 0, ret, err);
}

IGK_PUBLIC int igk_pack_ex(const struct igk_spec *spec, unsigned flags,
                           struct igk_pack_result *ret, struct igk_error *err)
{
    struct igk_mapped_file fw = {0}, vars = {0}, kernel = {0}, initrd = {0}, svsm = {0};
    struct igk_pack_ctx ctx = {.spec = spec};
    struct igk_pack_result res = {0};
    uint8_t zero[IGK_PAGE_SIZE] = {0};
    uint8_t *combined = NULL;
    int r;

    memset(ret, 0, sizeof(*ret));
    res.flags = flags;
    if (spec->firmware_type == IGK_FIRMWARE_NONE)
        return igk_pack_direct_ex(spec, flags, ret, err);
    if (spec->firmware_type != IGK_FIRMWARE_OVMF && spec->firmware_type != IGK_FIRMWARE_RAW)
        return igk_error_set(err, IGK_E_USAGE, "unknown firmware type %d", spec->firmware_type);
    if (!spec->platforms)
        return igk_error_set(err, IGK_E_USAGE, "no platform requested");
    if (spec->platforms & ~SUPPORTED_PLATFORMS)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "the packer lays out sev-snp, tdx and native only");
    if (!spec->firmware.present)
        return igk_error_set(err, IGK_E_USAGE, "no firmware file given");

    if (!(res.inputs = calloc(5, sizeof(*res.inputs))) ||
        !(res.igvm = igk_igvm_new(1, IGK_ARCH_X64))) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    ctx.igvm = res.igvm;
    ctx.fw_path = spec->firmware.open_path;
    ctx.is_ovmf = spec->firmware_type == IGK_FIRMWARE_OVMF;

    /* Provenance order: firmware, vars, kernel, initrd. */
    if ((r = load_input(&spec->firmware, "firmware", IGK_LIMIT_FIRMWARE_SIZE, &res, &fw, err)) < 0)
        goto out;
    if (spec->vars.present && (r = load_input(&spec->vars, "vars", IGK_LIMIT_FIRMWARE_SIZE, &res, &vars, err)) < 0)
        goto out;
    if (spec->kernel.present && (r = load_input(&spec->kernel, "kernel", IGK_LIMIT_KERNEL_SIZE, &res, &kernel, err)) < 0)
        goto out;
    if (spec->initrd.present && (r = load_input(&spec->initrd, "initrd", IGK_LIMIT_INITRD_SIZE, &res, &initrd, err)) < 0)
        goto out;
    if ((spec->platforms & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP)) && spec->snp.svsm.present) {
        if ((r = load_input(&spec->snp.svsm.image, "svsm", IGK_LIMIT_FIRMWARE_SIZE, &res, &svsm, err)) < 0)
            goto out;
        ctx.svsm_path = spec->snp.svsm.image.open_path;
        ctx.svsm_size = svsm.size;
        if (!(ctx.svsm = igk_igvm_keep(res.igvm, svsm.data ? svsm.data : (const uint8_t *)"",
                                       svsm.size))) {
            r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            goto out;
        }
    }

    /* OVMF.fd = OVMF_VARS.fd || OVMF_CODE.fd (docs/firmware.md section 5). */
    if (spec->vars.present) {
        if (!igk_add_u64(vars.size, fw.size, &ctx.image_size) || ctx.image_size > IGK_4GIB) {
            r = fail_path(err, IGK_E_INVALID, ctx.fw_path,
                          "vars and firmware together do not fit below 4 GiB");
            goto out;
        }
        if (!(combined = malloc(ctx.image_size ? ctx.image_size : 1))) {
            r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            goto out;
        }
        if (vars.size)
            memcpy(combined, vars.data, vars.size);
        if (fw.size)
            memcpy(combined + vars.size, fw.data, fw.size);
        ctx.image = igk_igvm_keep(res.igvm, combined, ctx.image_size);
    } else {
        ctx.image_size = fw.size;
        ctx.image = igk_igvm_keep(res.igvm, fw.data, fw.size);
    }
    ctx.zero_page = igk_igvm_keep(res.igvm, zero, sizeof(zero));
    if (!ctx.image || !ctx.zero_page) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    if ((r = place_firmware(spec, &ctx, err)) < 0)
        goto out;
    if (ctx.is_ovmf &&
        (r = igk_ovmf_parse(ctx.image, ctx.image_size, ctx.fw_path, &ctx.ovmf, err)) < 0)
        goto out;
    if (ctx.is_ovmf && (r = check_section_bytes(spec, &ctx, err)) < 0)
        goto out;

    if (spec->kernel.present) {
        ctx.kernel = kernel.data ? kernel.data : (const uint8_t *)"";
        ctx.kernel_size = kernel.size;
    }
    if (spec->initrd.present) {
        ctx.initrd = initrd.data ? initrd.data : (const uint8_t *)"";
        ctx.initrd_size = initrd.size;
    }
    ctx.cmdline = spec->has_cmdline ? spec->cmdline : NULL;
    if ((r = check_boot_inputs(spec, &ctx, err)) < 0)
        goto out;

    if ((r = igk_pack_build(&ctx, err)) < 0)
        goto out;

    /*
     * An SEV-SNP ID block is signed over the final launch digest (qemu
     * profile, the loader that consumes it) and appended as the last SNP
     * directive by the sign module (<igvmkit/sign.h>).  Key files are not
     * recorded as inputs: they are secrets, not part of the image.
     */
    if ((spec->platforms & PLATFORM_BIT(IGK_PLATFORM_SEV_SNP)) && spec->snp.id_block.present &&
        (r = sign_id_block(&spec->snp.id_block, res.igvm, err)) < 0)
        goto out;

    if ((r = igk_igvm_validate(res.igvm, err)) < 0) {
        igk_error_prefix(err, "packed model");
        goto out;
    }
    *ret = res;
    memset(&res, 0, sizeof(res));
out:
    free(combined);
    igk_unmap_file(&fw);
    igk_unmap_file(&vars);
    igk_unmap_file(&kernel);
    igk_unmap_file(&initrd);
    igk_unmap_file(&svsm);
    igk_pack_result_done(&res);
    return r;
}
