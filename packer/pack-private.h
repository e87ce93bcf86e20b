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

    const uint8_t *zero_page; /* 4096 kept zero bytes */
};

/* SEV-SNP (docs/packer-layout.md section 3.1, docs/measure-snp.md section 4). */
int igk_pack_layout_snp(const struct igk_pack_ctx *ctx, struct igk_layout *out,
                        struct igk_error *err);

/* TDX (docs/packer-layout.md section 3.2). */
int igk_pack_layout_tdx(const struct igk_pack_ctx *ctx, struct igk_layout *out,
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
