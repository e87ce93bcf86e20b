/* SPDX-License-Identifier: MIT */
/*
 * State shared by igk_pack() and the per-platform layouts (internal).
 */
#ifndef IGK_PACK_PRIVATE_H
#define IGK_PACK_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#include "layout.h"
#include "ovmf.h"

#define IGK_4GIB 0x100000000ull

/*
 * Points an error already set at the descriptor key whose value it is about
 * (issue 12: packer errors about descriptor values carry line:column): the
 * descriptor path with mark, or with fallback when the key was defaulted
 * (mark.line 0).  Specs with neither mark, or no descriptor path, keep the
 * error as it is.  Returns err's code, so that callers can return it.
 */
int igk_pack_error_at(const struct igk_spec *spec, struct igk_spec_mark mark,
                      struct igk_spec_mark fallback, struct igk_error *err);

/* Everything a layout needs: the firmware image as loaded and the boot inputs. */
struct igk_pack_ctx {
    const struct igk_spec *spec;
    struct igk_igvm *igvm;   /* owns the kept blobs the layouts point into */

    const char *fw_path;     /* for error messages */
    bool is_ovmf;
    const uint8_t *image;    /* VARS || CODE when vars are given; kept by igvm */
    uint64_t image_size;
    uint64_t image_gpa;      /* ends at 4 GiB unless a raw gpa was given */
    struct igk_ovmf_info ovmf;

    const uint8_t *kernel;   /* NULL when the descriptor names none */
    size_t kernel_size;
    const uint8_t *initrd;
    size_t initrd_size;
    const char *cmdline;     /* NULL when none */

    /* SEV-SNP with an SVSM (spec->snp.svsm): the image, kept by igvm, and its tables. */
    const char *svsm_path;
    const uint8_t *svsm;
    uint64_t svsm_size;

    const uint8_t *zero_page; /* 4096 kept zero bytes */
};

/* SEV-SNP (docs/packer-layout.md section 3.1, docs/measure-snp.md section 4). */
int igk_pack_layout_snp(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err);

/*
 * The SEV metadata sections of info (OVMF's, or an SVSM image's) as SEV-SNP
 * pages in table order; hashes_page fills SNP_KERNEL_HASHES when not NULL.
 */
int igk_pack_snp_metadata_pages(const struct igk_pack_ctx *ctx, const struct igk_ovmf_info *info,
                                const uint8_t *hashes_page, struct igk_layout *out,
                                struct igk_error *err);

/* TDX (docs/packer-layout.md section 3.2). */
int igk_pack_layout_tdx(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err);

/* SEV-ES and SEV (packer/pack-sev.c). */
int igk_pack_layout_sev_es(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                           struct igk_error *err);
int igk_pack_layout_sev(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err);

/*
 * SEV-SNP with a COCONUT-SVSM image (packer/pack-svsm.c): the OVMF pages,
 * the SVSM pages below the vars area, the SVSM's SEV metadata pages and one
 * SVSM-entry VMSA per vCPU.
 */
int igk_pack_layout_snp_svsm(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                             struct igk_error *err);

/* native: the firmware pages, no VP context. */
int igk_pack_layout_native(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                           struct igk_error *err);

/*
 * Builds the model for ctx (platform headers, policies, merged directives)
 * into ctx->igvm.  igk_pack() loads the inputs and calls this; tests call it
 * with inputs of their own.
 */
int igk_pack_build(const struct igk_pack_ctx *ctx, struct igk_error *err);

#endif /* IGK_PACK_PRIVATE_H */
