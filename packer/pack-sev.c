/* SPDX-License-Identifier: MIT */
/*
 * SEV-ES and SEV layouts of an OVMF or raw firmware image.
 *
 * Both follow the classic QEMU launch (-bios, kernel-hashes=on) that
 * sev-snp-measure models for --mode seves and --mode sev: every firmware
 * page with its data (LAUNCH_UPDATE_DATA over the flash, target/i386/sev.c
 * sev_encrypt_flash), then, when a kernel is given, the page holding OVMF's
 * SEV hash table (the GPA the footer table's hash-table entry names, table
 * at its offset in the page), then for SEV-ES one VMSA per vCPU at
 * 0xFFFFFFFFF000 (LAUNCH_UPDATE_VMSA; the BSP at the reset vector, the APs
 * at the SEV-ES reset block EIP).  SEV has no encrypted register state and
 * so no VP context.
 *
 * QEMU's IGVM loader hands every page to LAUNCH_UPDATE_DATA whole, so the
 * qemu profile hashes the hash-table page as 4 KiB; the qemu-classic profile
 * hashes just the 176-byte table, as QEMU's -bios launch does (measure/sev-es.c).
 * Unlike SEV-SNP, neither platform measures the SEV metadata sections: the
 * classic launch does not pre-validate memory.
 */
#include <string.h>

#include "kernel-hashes.h"
#include "pack-private.h"
#include "util.h"
#include "vmsa.h"

static int fail_fw(const struct igk_pack_ctx *ctx, struct igk_error *err, const char *fmt, ...)
    IGK_PRINTF(3, 4);

static int fail_fw(const struct igk_pack_ctx *ctx, struct igk_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_path(err, ctx->fw_path);
    return IGK_E_INVALID;
}

/*
 * The page at the hash table's GPA with the table at its offset.  OVMF built
 * without kernel-hashes support (OvmfPkgX64) has no hash-table entry or a
 * zero GPA; QEMU then refuses -kernel with kernel-hashes=on and
 * sev-snp-measure refuses the kernel too.
 */
static int sev_hashes_page(const struct igk_pack_ctx *ctx, const char *platform, uint8_t *page,
                           uint64_t *ret_gpa, struct igk_error *err)
{
    uint8_t cmd_sha[32], initrd_sha[32], kernel_sha[32];
    uint8_t table[IGK_KERNEL_HASHES_TABLE_SIZE];
    const char *cmdline = ctx->cmdline;
    uint32_t in_page;

    if (!ctx->is_ovmf || !ctx->ovmf.has_hash_table || ctx->ovmf.hash_table_gpa == 0)
        return fail_fw(ctx, err,
                       "kernel specified but the firmware has no SEV hash table (GUID "
                       "7255371f-3a3b-4b04-927b-1da6efa8d454), so %s cannot measure the kernel, "
                       "initrd and command line",
                       platform);
    in_page = ctx->ovmf.hash_table_gpa & 0xFFFu;
    if (ctx->ovmf.hash_table_size < IGK_KERNEL_HASHES_TABLE_SIZE ||
        in_page + IGK_KERNEL_HASHES_TABLE_SIZE > IGK_PAGE_SIZE)
        return fail_fw(ctx, err,
                       "the SEV hash-table area (GPA 0x%x, %u bytes) does not hold the "
                       "176-byte table within one page",
                       ctx->ovmf.hash_table_gpa, ctx->ovmf.hash_table_size);
    /* As for SEV-SNP (kernel-hashes.h): the command line with its NUL, a lone NUL for none. */
    if (igk_sha256(cmdline ? cmdline : "", cmdline ? strlen(cmdline) + 1 : 1, cmd_sha) < 0 ||
        igk_sha256(ctx->initrd ? ctx->initrd : (const uint8_t *)"",
                   ctx->initrd ? ctx->initrd_size : 0, initrd_sha) < 0 ||
        igk_sha256(ctx->kernel, ctx->kernel_size, kernel_sha) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
    igk_kernel_hashes_table(cmd_sha, initrd_sha, kernel_sha, table);
    memset(page, 0, IGK_PAGE_SIZE);
    memcpy(page + in_page, table, sizeof(table));
    *ret_gpa = ctx->ovmf.hash_table_gpa & ~0xFFFull;
    return 0;
}

/* Firmware pages, then the hash-table page when a kernel is given. */
static int add_pages(const struct igk_pack_ctx *ctx, const char *platform,
                     struct igk_layout *out, struct igk_error *err)
{
    uint8_t page[IGK_PAGE_SIZE];
    const uint8_t *kept;
    uint64_t gpa = 0;
    int r;

    if ((r = igk_layout_add_pages(out, ctx->image_gpa, ctx->image_size, ctx->image, 0,
                                  IGK_PAGE_DATA_NORMAL, err)) < 0)
        return r;
    if (!ctx->kernel)
        return 0;
    if ((r = sev_hashes_page(ctx, platform, page, &gpa, err)) < 0)
        return r;
    if (gpa >= ctx->image_gpa && gpa < ctx->image_gpa + ctx->image_size)
        return fail_fw(ctx, err,
                       "the SEV hash table (GPA 0x%llx) lies inside the firmware image; "
                       "%s would measure that page twice",
                       (unsigned long long)gpa, platform);
    if (!(kept = igk_igvm_keep(ctx->igvm, page, sizeof(page))))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    return igk_layout_add_pages(out, gpa, IGK_PAGE_SIZE, kept, 0, IGK_PAGE_DATA_NORMAL, err);
}

int igk_pack_layout_sev_es(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                           struct igk_error *err)
{
    const struct igk_spec_sev_es *es = &ctx->spec->sev_es;
    uint8_t vmsa[IGK_VMSA_SIZE];
    const uint8_t *bsp, *ap = NULL;
    uint32_t ap_eip = 0xFFFFFFF0u;
    int r;

    if (ctx->spec->vcpus == 0 || ctx->spec->vcpus > UINT16_MAX + 1u)
        return igk_error_set(err, IGK_E_INVALID, "SEV-ES: %u vCPUs is out of range",
                             ctx->spec->vcpus);
    if (ctx->is_ovmf) {
        /* QEMU reads the AP entry point from it (target/i386/sev.c, sev_es_find_reset_vector). */
        if (!ctx->ovmf.has_reset_block)
            return fail_fw(ctx, err,
                           "SEV-ES needs the SEV-ES reset block (GUID "
                           "00f771de-1a7e-4fcb-890e-68c77e2fb44e) in the OVMF footer table; "
                           "this firmware has none");
        ap_eip = ctx->ovmf.reset_eip;
    }
    if ((r = add_pages(ctx, "SEV-ES", out, err)) < 0)
        return r;

    /* SEV-ES VMSAs carry no SEV_FEATURES (sev-snp-measure --mode seves, KVM). */
    igk_vmsa_reset_state(vmsa, 0xFFFFFFF0u, true, es->vmm, es->vcpu_sig, 0);
    if (!(bsp = igk_igvm_keep(ctx->igvm, vmsa, sizeof(vmsa))))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (ctx->spec->vcpus > 1) {
        igk_vmsa_reset_state(vmsa, ap_eip, false, es->vmm, es->vcpu_sig, 0);
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

int igk_pack_layout_sev(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err)
{
    return add_pages(ctx, "SEV", out, err);
}
