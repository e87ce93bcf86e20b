/* SPDX-License-Identifier: MIT */
/*
 * cloud-hypervisor and OpenVMM rules (docs/loaders.md sections 2, 3 and the
 * table in 4).  cloud-hypervisor reads only platforms()[0] and
 * asserts it is SNP, and stops at todo!() for MMIO ranges, error ranges, VBS
 * contexts and unknown headers; OpenVMM loads every header type, but on KVM
 * it builds its own VMSAs, so an ID block only holds on MSHV.
 */
#include "lint-private.h"

static void ch_platforms(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    bool seen_first = false, has_snp = false;

    has_snp = igk_igvm_find_platform(igvm, IGK_PLATFORM_SEV_SNP) != NULL;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t t = h->u.platform.platform_type;

        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        if (!seen_first && t != IGK_PLATFORM_SEV_SNP)
            igk_lint_add(r, IGK_LINT_ERROR, (uint32_t)i, "ch-snp-first",
                         "the first platform header is %s; cloud-hypervisor reads only the "
                         "first one and requires SEV-SNP",
                         igk_platform_name(t));
        seen_first = true;
        if (t == IGK_PLATFORM_TDX)
            igk_lint_add(r, has_snp ? IGK_LINT_WARNING : IGK_LINT_ERROR, (uint32_t)i, "ch-tdx",
                         "cloud-hypervisor does not load TDX from IGVM%s",
                         has_snp ? "; the TDX platform is ignored" : "");
    }
    if (!seen_first)
        igk_lint_add(r, IGK_LINT_ERROR, IGK_NO_INDEX, "ch-snp-first",
                     "no platform header; cloud-hypervisor requires SEV-SNP first");
}

static void ch_headers(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    const struct igk_supported_platform *vsm = igk_igvm_find_platform(igvm, IGK_PLATFORM_VSM);

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t idx = (uint32_t)i;

        switch (h->type) {
        case IGK_VHT_MMIO_RANGES:
        case IGK_VHT_ERROR_RANGE:
        case IGK_VHT_VBS_MEASUREMENT:
            igk_lint_add(r, IGK_LINT_ERROR, idx, "ch-header-type",
                         "cloud-hypervisor does not implement %s (todo!() aborts the VMM)",
                         igk_header_type_name(h->type));
            break;
        case IGK_VHT_VP_CONTEXT:
            if (vsm && (h->u.vp_context.compatibility_mask & vsm->compatibility_mask))
                igk_lint_add(r, IGK_LINT_ERROR, idx, "ch-header-type",
                             "cloud-hypervisor does not implement VBS VP contexts (todo!())");
            break;
        case IGK_VHT_COMMAND_LINE:
            igk_lint_add(r, IGK_LINT_WARNING, idx, "ch-command-line",
                         "cloud-hypervisor fills COMMAND_LINE from --cmdline, unmeasured");
            break;
        case IGK_VHT_MEMORY_MAP:
            igk_lint_add(r, IGK_LINT_WARNING, idx, "ch-memory-map",
                         "MEMORY_MAP works only in some cloud-hypervisor configurations");
            break;
        case IGK_VHT_SRAT:
        case IGK_VHT_SLIT:
        case IGK_VHT_PPTT:
        case IGK_VHT_DEVICE_TREE:
        case IGK_VHT_RELOCATABLE_REGION:
        case IGK_VHT_PAGE_TABLE_RELOCATION_REGION:
        case IGK_VHT_CORIM_DOCUMENT:
        case IGK_VHT_CORIM_SIGNATURE:
        case IGK_VHT_CCA_POLICY:
            igk_lint_add(r, IGK_LINT_WARNING, idx, "ch-header-partial",
                         "cloud-hypervisor support for %s is partial or absent",
                         igk_header_type_name(h->type));
            break;
        default:
            break;
        }
    }
}

void igk_lint_cloud_hypervisor(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    ch_platforms(igvm, r);
    ch_headers(igvm, r);
    igk_lint_no_directives(igvm, r, "ch-no-directives");
    igk_lint_id_blocks(igvm, r, "ch-id-block-count");
}

void igk_lint_openvmm(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    bool usable = false;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t t = h->u.platform.platform_type;

        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        if (t == IGK_PLATFORM_NATIVE || t == IGK_PLATFORM_VSM || t == IGK_PLATFORM_SEV_SNP ||
            t == IGK_PLATFORM_TDX)
            usable = true;
        else
            igk_lint_add(r, IGK_LINT_WARNING, (uint32_t)i, "openvmm-platform-ignored",
                         "OpenVMM does not load the %s platform", igk_platform_name(t));
    }
    if (!usable)
        igk_lint_add(r, IGK_LINT_ERROR, IGK_NO_INDEX, "openvmm-no-platform",
                     "no platform OpenVMM can load: it uses native, VBS, SEV-SNP or TDX");
    for (size_t i = 0; i < igvm->n_headers; i++)
        if (igvm->headers[i].type == IGK_VHT_SNP_ID_BLOCK)
            igk_lint_add(r, IGK_LINT_WARNING, (uint32_t)i, "openvmm-id-block-kvm",
                         "OpenVMM on KVM builds its own VMSAs: the ID block holds on MSHV only");
    igk_lint_no_directives(igvm, r, "openvmm-no-directives");
    igk_lint_id_blocks(igvm, r, "openvmm-id-block-count");
}
