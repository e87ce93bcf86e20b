/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP with a COCONUT-SVSM image in front of OVMF, laid out as QEMU
 * launches it (the layout sev-snp-measure --mode snp:svsm models): OVMF ends
 * at 4 GiB, the OVMF vars area lies below it (not measured), and the SVSM
 * image ends where the vars area begins.  Measured: every OVMF page, every
 * SVSM page, the SVSM's own SEV metadata sections (OVMF's are left to the
 * SVSM, which validates that memory itself), then one VMSA per vCPU, all
 * alike: 32-bit protected mode with flat segments at the SVSM entry point
 * (the SVSM info entry of the SVSM's footer table, an offset from its start).
 *
 * The SVSM image and the vars area must fit in the flash window QEMU maps
 * below 4 GiB together with OVMF (hw/i386/pc_sysfw.c, FLASH_SIZE_LIMIT,
 * 8 MiB): a larger SVSM would overlap guest RAM below the window.
 */
#include <string.h>

#include "pack-private.h"
#include "util.h"
#include "vmsa.h"

#define FLASH_WINDOW (8ull << 20)

static int fail_svsm(const struct igk_pack_ctx *ctx, struct igk_error *err, const char *fmt, ...)
    IGK_PRINTF(3, 4);

static int fail_svsm(const struct igk_pack_ctx *ctx, struct igk_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_path(err, ctx->svsm_path);
    return IGK_E_INVALID;
}

/*
 * The SVSM entry state (docs/firmware.md section 6.3): the reset state with
 * flat 32-bit protected-mode segments, CR0.PE and RIP at the SVSM entry point.
 * The x87 control word stays 0 while MXCSR is 0x1F80: that is the state
 * sev-snp-measure --mode snp:svsm measures, checked against its test vectors
 * (tests/data/REFERENCE.md).
 */
static void svsm_vmsa(uint8_t *vmsa, uint32_t eip, uint32_t vcpu_sig, uint64_t sev_features)
{
    const struct igk_vmsa_segment flat_data = {16, 0xC93, 0xFFFFFFFFu, 0};

    igk_vmsa_reset_state(vmsa, eip, true, IGK_SNP_VMM_QEMU, vcpu_sig, sev_features);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_ES, flat_data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_CS, (struct igk_vmsa_segment){8, 0xC9B, 0xFFFFFFFFu, 0});
    igk_vmsa_set_segment(vmsa, IGK_VMSA_SS, flat_data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_DS, flat_data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_FS, flat_data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_GS, (struct igk_vmsa_segment){0, 0x93, 0xFFFF, 0});
    igk_vmsa_set_u64(vmsa, IGK_VMSA_CR0, 0x11); /* PE | ET */
    igk_vmsa_set_u64(vmsa, IGK_VMSA_RIP, eip);
    igk_put_le16(vmsa + IGK_VMSA_X87_FCW, 0);
}

int igk_pack_layout_snp_svsm(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                             struct igk_error *err)
{
    const struct igk_spec_snp *snp = &ctx->spec->snp;
    uint64_t vars = snp->svsm.vars_size, below, svsm_gpa;
    uint8_t vmsa[IGK_VMSA_SIZE];
    struct igk_ovmf_info info;
    const uint8_t *kept;
    uint32_t eip;
    int r;

    /* Descriptor choices that exclude each other: point at the svsm key (or the kernel). */
    if (!ctx->is_ovmf) {
        igk_error_set(err, IGK_E_INVALID, "an SVSM needs firmware type ovmf");
        return igk_pack_error_at(ctx->spec, snp->svsm.mark, snp->svsm.mark, err);
    }
    if (ctx->kernel) {
        igk_error_set(err, IGK_E_INVALID,
                      "a kernel with an SVSM is not supported: the SVSM launch has no "
                      "kernel-hashes page");
        return igk_pack_error_at(ctx->spec, ctx->spec->kernel.mark, snp->svsm.mark, err);
    }
    if (snp->vmm != IGK_SNP_VMM_QEMU) {
        igk_error_set(err, IGK_E_INVALID, "an SVSM is launched by QEMU only (vmm qemu)");
        return igk_pack_error_at(ctx->spec, snp->svsm.mark, snp->svsm.mark, err);
    }
    if (ctx->spec->vcpus == 0 || ctx->spec->vcpus > UINT16_MAX + 1u)
        return igk_error_set(err, IGK_E_INVALID, "SEV-SNP: %u vCPUs is out of range",
                             ctx->spec->vcpus);
    if (ctx->svsm_size == 0 || ctx->svsm_size % IGK_PAGE_SIZE)
        return fail_svsm(ctx, err, "SVSM image is %llu bytes, not a non-zero multiple of 4 KiB",
                         (unsigned long long)ctx->svsm_size);
    below = ctx->image_size + vars;
    if (below > FLASH_WINDOW) {
        igk_error_set(err, IGK_E_INVALID,
                      "vars-size %llu leaves no room for the SVSM: with %llu bytes of firmware it "
                      "exceeds the %llu-byte flash window below 4 GiB",
                      (unsigned long long)vars, (unsigned long long)ctx->image_size,
                      (unsigned long long)FLASH_WINDOW);
        return igk_pack_error_at(ctx->spec, snp->svsm.vars_size_mark, snp->svsm.mark, err);
    }
    if (ctx->svsm_size > FLASH_WINDOW - below)
        return fail_svsm(ctx, err,
                         "SVSM image is too large for its area: %llu bytes below %llu bytes of "
                         "firmware and vars exceed the %llu-byte flash window below 4 GiB",
                         (unsigned long long)ctx->svsm_size, (unsigned long long)below,
                         (unsigned long long)FLASH_WINDOW);
    svsm_gpa = ctx->image_gpa - vars - ctx->svsm_size;
    /* Its tables are read only once its size is known to fit. */
    if ((r = igk_ovmf_parse(ctx->svsm, ctx->svsm_size, ctx->svsm_path, &info, err)) < 0)
        return r;
    if (!info.has_svsm_info)
        return fail_svsm(ctx, err,
                         "SVSM image has no SVSM info entry (GUID "
                         "a789a612-0597-4c4b-a49f-cbb1fe9d1ddd) in its footer table");
    if (info.svsm_entry_offset >= ctx->svsm_size)
        return fail_svsm(ctx, err, "SVSM entry offset 0x%x lies outside the %llu-byte image",
                         info.svsm_entry_offset, (unsigned long long)ctx->svsm_size);
    eip = (uint32_t)(svsm_gpa + info.svsm_entry_offset);

    /* firmware.digest stands for the OVMF pages, which come first: the chain
     * starts from it (measure options snp_seed) and they are not laid out. */
    if ((!ctx->spec->has_firmware_digest &&
         (r = igk_layout_add_pages(out, ctx->image_gpa, ctx->image_size, ctx->image, 0,
                                   IGK_PAGE_DATA_NORMAL, err)) < 0) ||
        (r = igk_layout_add_pages(out, svsm_gpa, ctx->svsm_size, ctx->svsm, 0,
                                  IGK_PAGE_DATA_NORMAL, err)) < 0 ||
        (r = igk_pack_snp_metadata_pages(ctx, &info, NULL, out, err)) < 0)
        return r;
    svsm_vmsa(vmsa, eip, snp->vcpu_sig, snp->guest_features);
    if (!(kept = igk_igvm_keep(ctx->igvm, vmsa, sizeof(vmsa))))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (unsigned i = 0; i < ctx->spec->vcpus; i++) {
        struct igk_layout_entry e = {
            .type = IGK_VHT_VP_CONTEXT, .gpa = IGK_VMSA_GPA, .data = kept, .vp_index = (uint16_t)i};

        if ((r = igk_layout_add(out, &e, err)) < 0)
            return r;
    }
    return 0;
}
