/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the OVMF footer table / SEV / TDVF metadata parser and
 * the layouts that read firmware bytes through it (kernel-hashes page, TDVF
 * sections).  Seeds: tests/data/snp/snp_fw_kh.fd and Debian's OVMF images;
 * run with -max_len large enough for them (e.g. 262144).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ovmf.h"
#include "pack-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t zero[4096];
    struct igk_ovmf_info info;
    struct igk_spec spec;
    struct igk_pack_ctx ctx;
    uint8_t *copy;

    /* An exact-size heap copy, so ASan sees every read past the end. */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (igk_ovmf_parse(copy, size, "fuzz.fd", &info, NULL) < 0 || size % 4096 || size == 0 ||
        size > (1u << 24)) {
        free(copy);
        return 0;
    }

    memset(&spec, 0, sizeof(spec));
    spec.firmware_type = IGK_FIRMWARE_OVMF;
    spec.vcpus = 2;
    spec.platforms = (1u << IGK_PLATFORM_SEV_SNP) | (1u << IGK_PLATFORM_NATIVE) |
                     (1u << IGK_PLATFORM_TDX);
    spec.snp.guest_features = 1;
    memset(&ctx, 0, sizeof(ctx));
    ctx.spec = &spec;
    ctx.fw_path = "fuzz.fd";
    ctx.is_ovmf = true;
    ctx.image = copy;
    ctx.image_size = size;
    ctx.image_gpa = IGK_4GIB - size;
    ctx.ovmf = info;
    ctx.zero_page = zero;
    ctx.kernel = data;
    ctx.kernel_size = size < 64 ? size : 64;
    /* Each platform on its own, so a refusal of one still exercises the others. */
    for (unsigned p = 0; p < 3; p++) {
        static const enum igk_platform_type types[] = {IGK_PLATFORM_SEV_SNP, IGK_PLATFORM_NATIVE,
                                                       IGK_PLATFORM_TDX};

        if (!(ctx.igvm = igk_igvm_new(1, IGK_ARCH_X64)))
            break;
        spec.platforms = 1u << types[p];
        (void)igk_pack_build(&ctx, NULL);
        igk_igvm_free(ctx.igvm);
    }
    free(copy);
    return 0;
}
