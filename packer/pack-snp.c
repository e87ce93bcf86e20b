/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP layout of an OVMF or raw firmware image.
 *
 * OVMF follows the classic QEMU launch that sev-snp-measure models
 * (docs/packer-layout.md 3.1): every firmware page with its data, then the
 * SEV metadata sections in table order as typed pages, then one VMSA per
 * vCPU at 0xFFFFFFFFF000.  Firmware pages always carry data, even all-zero
 * ones (the writer stores one copy), while SEC_MEM, SVSM_CAA and an unused
 * kernel-hashes section are data-less: so the file measures like
 * sev-snp-measure under the qemu-classic profile (data-less = SNP ZERO) and
 * like QEMU's IGVM loader under the qemu profile (docs/measure-snp.md
 * section 4).
 *
 * A raw blob has no reset block, so every vCPU, APs included, starts from the
 * x86 reset vector 0xFFFFFFF0; the blob must provide the page there.
 */
#include <string.h>

#include "kernel-hashes.h"
#include "pack-private.h"
#include "vmsa.h"

static int check_section(const struct igk_pack_ctx *ctx, size_t i, const struct igk_sev_section *s,
                         bool whole_pages, struct igk_error *err)
{
    const char *problem = NULL;

    if (s->gpa % IGK_PAGE_SIZE)
        problem = "its GPA is not 4 KiB aligned";
    else if (whole_pages && (s->size == 0 || s->size % IGK_PAGE_SIZE))
        problem = "its size is not a non-zero multiple of 4 KiB";
    if (!problem)
        return 0;
    igk_error_set(err, IGK_E_INVALID, "SEV metadata section %zu (%s, GPA 0x%x, size 0x%x): %s", i,
                  igk_sev_section_name(s->type), s->gpa, s->size, problem);
    igk_error_set_path(err, ctx->fw_path);
    igk_error_set_offset(err, s->file_offset);
    return IGK_E_INVALID;
}

int igk_pack_snp_metadata_pages(const struct igk_pack_ctx *ctx, const struct igk_ovmf_info *info,
                                const uint8_t *hashes_page, struct igk_layout *out,
                                struct igk_error *err)
{
    enum igk_snp_vmm vmm = ctx->spec->snp.vmm;
    int r = 0;

    for (size_t i = 0; i < info->n_sev && r >= 0; i++) {
        const struct igk_sev_section *s = &info->sev[i];

        switch (s->type) {
        case IGK_SEV_SECTION_SNP_SEC_MEM:
            /* GCE launches SEC memory as unmeasured instead of zero pages (docs/firmware.md 6.2). */
            if ((r = check_section(ctx, i, s, true, err)) >= 0)
                r = igk_layout_add_pages(out, s->gpa, s->size, NULL,
                                         vmm == IGK_SNP_VMM_GCE ? IGK_PAGE_FLAG_UNMEASURED : 0,
                                         IGK_PAGE_DATA_NORMAL, err);
            break;
        case IGK_SEV_SECTION_SNP_SECRETS:
            /* One page whatever the size (docs/firmware.md 2). */
            if ((r = check_section(ctx, i, s, false, err)) >= 0)
                r = igk_layout_add_pages(out, s->gpa, IGK_PAGE_SIZE, NULL, 0,
                                         IGK_PAGE_DATA_SECRETS, err);
            break;
        case IGK_SEV_SECTION_CPUID:
            if ((r = check_section(ctx, i, s, false, err)) >= 0 && vmm != IGK_SNP_VMM_EC2)
                r = igk_layout_add_pages(out, s->gpa, IGK_PAGE_SIZE, NULL, 0,
                                         IGK_PAGE_DATA_CPUID_DATA, err);
            break;
        case IGK_SEV_SECTION_SVSM_CAA:
            if ((r = check_section(ctx, i, s, true, err)) >= 0)
                r = igk_layout_add_pages(out, s->gpa, s->size, NULL, 0, IGK_PAGE_DATA_NORMAL,
                                         err);
            break;
        case IGK_SEV_SECTION_SNP_KERNEL_HASHES:
            if ((r = check_section(ctx, i, s, true, err)) < 0)
                break;
            if (hashes_page)
                r = igk_layout_add_pages(out, s->gpa, IGK_PAGE_SIZE, hashes_page, 0,
                                         IGK_PAGE_DATA_NORMAL, err);
            else
                r = igk_layout_add_pages(out, s->gpa, s->size, NULL, 0, IGK_PAGE_DATA_NORMAL,
                                         err);
            break;
        default:
            /* igk_ovmf_parse() refuses unknown types. */
            r = igk_error_set(err, IGK_E_INTERNAL, "SEV metadata: unexpected type 0x%x",
                              s->type);
        }
    }
    /* EC2 measures the CPUID page after every other metadata page (docs/firmware.md 6.2). */
    for (size_t i = 0; i < info->n_sev && r >= 0 && vmm == IGK_SNP_VMM_EC2; i++)
        if (info->sev[i].type == IGK_SEV_SECTION_CPUID)
            r = igk_layout_add_pages(out, info->sev[i].gpa, IGK_PAGE_SIZE, NULL, 0,
                                     IGK_PAGE_DATA_CPUID_DATA, err);
    return r;
}

static int add_vmsas(const struct igk_pack_ctx *ctx, uint32_t ap_eip, struct igk_layout *out,
                     struct igk_error *err)
{
    const struct igk_spec_snp *snp = &ctx->spec->snp;
    uint8_t vmsa[IGK_VMSA_SIZE];
    const uint8_t *bsp, *ap = NULL;
    int r;

    igk_vmsa_reset_state(vmsa, 0xFFFFFFF0u, true, snp->vmm, snp->vcpu_sig, snp->guest_features);
    if (!(bsp = igk_igvm_keep(ctx->igvm, vmsa, sizeof(vmsa))))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (ctx->spec->vcpus > 1) {
        /* All APs share one reset state (docs/firmware.md 6): keep it once. */
        igk_vmsa_reset_state(vmsa, ap_eip, false, snp->vmm, snp->vcpu_sig, snp->guest_features);
        if (!(ap = igk_igvm_keep(ctx->igvm, vmsa, sizeof(vmsa))))
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    for (unsigned i = 0; i < ctx->spec->vcpus; i++) {
        struct igk_layout_entry e = {
            .type = IGK_VHT_VP_CONTEXT,
            .gpa = IGK_VMSA_GPA,
            .data = i == 0 ? bsp : ap,
            .vp_index = (uint16_t)i,
        };

        if ((r = igk_layout_add(out, &e, err)) < 0)
            return r;
    }
    return 0;
}

/*
 * A kernel SEV-SNP cannot bind: the firmware has no SNP_KERNEL_HASHES page to
 * hold its SHA-256 (the page OVMF's AmdSev build checks -kernel against).
 * Points at the descriptor's kernel key and names the ways that do work.
 */
static int refuse_kernel(const struct igk_pack_ctx *ctx, const char *what,
                          struct igk_error *err)
{
    const struct igk_spec *spec = ctx->spec;

    igk_error_set(err, IGK_E_INVALID,
                  "kernel specified but %s %s has no SNP_KERNEL_HASHES section, so SEV-SNP "
                  "cannot measure it; use a firmware with the kernel-hashes table (edk2 "
                  "OvmfPkg/AmdSev/AmdSevX64.dsc), firmware: {type: none} for direct boot, or "
                  "drop sev-snp from platforms",
                  what, spec->firmware.path ? spec->firmware.path : ctx->fw_path);
    if (spec->descriptor_path && spec->kernel.mark.line) {
        igk_error_set_path(err, spec->descriptor_path);
        igk_error_set_mark(err, spec->kernel.mark.line, spec->kernel.mark.column);
    } else {
        igk_error_set_path(err, ctx->fw_path);
    }
    return IGK_E_INVALID;
}

int igk_pack_layout_snp(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err)
{
    uint8_t hashes[IGK_PAGE_SIZE];
    const uint8_t *hashes_page = NULL;
    uint32_t ap_eip = 0xFFFFFFF0u;
    int r;

    if (ctx->spec->vcpus == 0 || ctx->spec->vcpus > UINT16_MAX + 1u)
        return igk_error_set(err, IGK_E_INVALID, "SEV-SNP: %u vCPUs is out of range",
                             ctx->spec->vcpus);
    if (ctx->is_ovmf) {
        if (!ctx->ovmf.has_reset_block) {
            igk_error_set(err, IGK_E_INVALID,
                          "SEV-SNP needs the SEV-ES reset block (GUID "
                          "00f771de-1a7e-4fcb-890e-68c77e2fb44e) in the OVMF footer table; "
                          "this firmware has none");
            igk_error_set_path(err, ctx->fw_path);
            return IGK_E_INVALID;
        }
        if (!ctx->ovmf.has_sev_metadata) {
            igk_error_set(err, IGK_E_INVALID,
                          "SEV-SNP needs SEV metadata (GUID "
                          "dc886566-984a-4798-a75e-5585a7bf67cc) in the OVMF footer table; "
                          "this firmware has none");
            igk_error_set_path(err, ctx->fw_path);
            return IGK_E_INVALID;
        }
        ap_eip = ctx->ovmf.reset_eip;
        if (ctx->kernel &&
            !igk_ovmf_find_sev_section(&ctx->ovmf, IGK_SEV_SECTION_SNP_KERNEL_HASHES))
            return refuse_kernel(ctx, "the OVMF metadata of", err);
        if (ctx->kernel) {
            r = igk_kernel_hashes_page(&ctx->ovmf, ctx->fw_path, ctx->kernel, ctx->kernel_size,
                                       ctx->initrd, ctx->initrd_size, ctx->cmdline, hashes, err);
            if (r < 0)
                return r;
            if (!(hashes_page = igk_igvm_keep(ctx->igvm, hashes, sizeof(hashes))))
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        }
    } else if (ctx->kernel) {
        return refuse_kernel(ctx, "the raw firmware", err);
    }

    /* firmware.digest: the chain starts from the published digest of these pages
     * (<igvmkit/measure.h>, snp_seed), so they are not laid out for SEV-SNP. */
    if (!ctx->spec->has_firmware_digest &&
        (r = igk_layout_add_pages(out, ctx->image_gpa, ctx->image_size, ctx->image, 0,
                                  IGK_PAGE_DATA_NORMAL, err)) < 0)
        return r;
    if (ctx->is_ovmf &&
        (r = igk_pack_snp_metadata_pages(ctx, &ctx->ovmf, hashes_page, out, err)) < 0)
        return r;
    return add_vmsas(ctx, ap_eip, out, err);
}
