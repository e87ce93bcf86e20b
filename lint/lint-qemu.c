/* SPDX-License-Identifier: MIT */
/*
 * QEMU's IGVM rules (backends/igvm.c and the SEV VMSA check), as collected
 * in docs/loaders.md section 1 and docs/measure-snp.md section 5.
 * QEMU needs a handler for every header type whatever its mask,
 * picks SNP > SEV-ES > SEV > native, and hands VP contexts to KVM, which
 * rebuilds each VMSA from a register subset and measures it at
 * 0xFFFFFFFFF000 after every page.
 */
#include <string.h>

#include "le.h"
#include "lint-private.h"

#define VMSA_GPA 0xFFFFFFFFF000ull
#define VMSA_SIZE 4096u
#define VMSA_END_OF_FIELDS 0x670u /* 0.4.0 C library: bytes from here must be zero */
#define VMSA_SEV_FEATURES 0x3B0u
#define SEV_FEATURE_SNP_ACTIVE 0x1ull

/* The VMSA fields QEMU can give KVM (docs/loaders.md section 1), by offset. */
static const struct {
    uint16_t offset, size;
} vmsa_allowed[] = {
    {0x000, 0xA0}, /* ES, CS, SS, DS, FS, GS, GDTR, LDTR, IDTR, TR */
    {0x0D0, 8},    /* EFER */
    {0x148, 8},    /* CR4 */
    {0x150, 8},    /* CR3 */
    {0x158, 8},    /* CR0 */
    {0x160, 8},    /* DR7 */
    {0x168, 8},    /* DR6 */
    {0x170, 8},    /* RFLAGS */
    {0x178, 8},    /* RIP */
    {0x1D8, 8},    /* RSP */
    {0x1F8, 8},    /* RAX */
    {0x268, 8},    /* G_PAT */
    {0x308, 24},   /* RCX, RDX, RBX */
    {0x328, 0x58}, /* RBP, RSI, RDI, R8..R15 */
    {0x3B0, 8},    /* SEV_FEATURES */
    {0x3E8, 8},    /* XCR0 */
    {0x408, 4},    /* MXCSR */
    {0x410, 2},    /* x87 FCW */
};

static bool vmsa_byte_allowed(unsigned off)
{
    for (size_t i = 0; i < sizeof(vmsa_allowed) / sizeof(vmsa_allowed[0]); i++)
        if (off >= vmsa_allowed[i].offset && off < vmsa_allowed[i].offset + vmsa_allowed[i].size)
            return true;
    return false;
}

static bool unsupported_type(uint32_t type)
{
    switch (type) {
    case IGK_VHT_SRAT:
    case IGK_VHT_SLIT:
    case IGK_VHT_PPTT:
    case IGK_VHT_MMIO_RANGES:
    case IGK_VHT_COMMAND_LINE:
    case IGK_VHT_DEVICE_TREE:
    case IGK_VHT_ERROR_RANGE:
    case IGK_VHT_VBS_MEASUREMENT:
    case IGK_VHT_RELOCATABLE_REGION:
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION:
    case IGK_VHT_CCA_POLICY:
    case IGK_VHT_CORIM_DOCUMENT:
    case IGK_VHT_CORIM_SIGNATURE:
        return true;
    default:
        return false;
    }
}

static bool usable_platform(uint8_t type)
{
    return type == IGK_PLATFORM_SEV_SNP || type == IGK_PLATFORM_SEV_ES ||
           type == IGK_PLATFORM_SEV || type == IGK_PLATFORM_NATIVE;
}

static void lint_platforms(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    bool usable = false;

    for (size_t i = 0; i < igvm->n_headers; i++)
        if (igvm->headers[i].type == IGK_VHT_SUPPORTED_PLATFORM &&
            usable_platform(igvm->headers[i].u.platform.platform_type))
            usable = true;
    if (!usable)
        igk_lint_add(r, IGK_LINT_ERROR, IGK_NO_INDEX, "qemu-no-platform",
                     "no platform QEMU can load: it uses SEV-SNP, SEV-ES, SEV or native");
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t t = h->u.platform.platform_type;

        if (h->type != IGK_VHT_SUPPORTED_PLATFORM || usable_platform(t))
            continue;
        if (t == IGK_PLATFORM_TDX)
            igk_lint_add(r, usable ? IGK_LINT_WARNING : IGK_LINT_ERROR, (uint32_t)i, "qemu-tdx",
                         "QEMU does not load TDX from IGVM (TDX guests boot TDVF with -bios)%s",
                         usable ? "; the TDX platform is ignored" : "");
        else
            igk_lint_add(r, IGK_LINT_WARNING, (uint32_t)i, "qemu-platform-ignored",
                         "QEMU ignores the %s platform", igk_platform_name(t));
    }
}

static void lint_header_types(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    for (size_t i = 0; i < igvm->n_headers; i++) {
        uint32_t t = igvm->headers[i].type;

        if (unsupported_type(t))
            igk_lint_add(r, IGK_LINT_ERROR, (uint32_t)i, "qemu-header-type",
                         "QEMU has no handler for %s (whatever its mask) and refuses the file",
                         igk_header_type_name(t));
        else if (t == IGK_VHT_MADT)
            igk_lint_add(r, IGK_LINT_WARNING, (uint32_t)i, "qemu-madt",
                         "MADT is handled only by QEMU 11.0 and later; QEMU 10.x refuses it");
    }
}

static void lint_vmsa_bytes(const struct igk_header *h, uint32_t index, bool snp,
                            struct igk_lint_report *r)
{
    const uint8_t *v = h->data;
    unsigned bad = 0, first = 0;
    uint64_t features;

    if (!v || h->data_size != VMSA_SIZE) {
        igk_lint_add(r, IGK_LINT_ERROR, index, "qemu-vmsa-size",
                     "VP context is %u bytes; an SEV-ES/SNP VMSA is 4096", h->data_size);
        return;
    }
    for (unsigned off = 0; off < VMSA_END_OF_FIELDS; off++)
        if (v[off] && !vmsa_byte_allowed(off) && bad++ == 0)
            first = off;
    if (bad)
        igk_lint_add(r, IGK_LINT_ERROR, index, "qemu-vmsa-fields",
                     "VMSA has %u non-zero bytes outside the fields QEMU can set (first at "
                     "0x%03x); QEMU refuses it",
                     bad, first);
    bad = 0;
    for (unsigned off = VMSA_END_OF_FIELDS; off < VMSA_SIZE; off++)
        if (v[off] && bad++ == 0)
            first = off;
    if (bad)
        igk_lint_add(r, IGK_LINT_ERROR, index, "qemu-vmsa-tail",
                     "VMSA bytes 0x670..0xfff must be zero (first non-zero at 0x%03x); the "
                     "igvm 0.4.0 C library QEMU links rejects the file",
                     first);
    features = igk_le64(v + VMSA_SEV_FEATURES);
    if (snp && !(features & SEV_FEATURE_SNP_ACTIVE))
        igk_lint_add(r, IGK_LINT_ERROR, index, "qemu-vmsa-sev-features",
                     "SNP VMSA has sev_features 0x%llx without the SNPActive bit (0x1)",
                     (unsigned long long)features);
    else if (!snp && (features & SEV_FEATURE_SNP_ACTIVE))
        igk_lint_add(r, IGK_LINT_ERROR, index, "qemu-vmsa-sev-features",
                     "SEV-ES VMSA has the SNPActive bit set in sev_features 0x%llx",
                     (unsigned long long)features);
    else if (snp && features != SEV_FEATURE_SNP_ACTIVE)
        igk_lint_add(r, IGK_LINT_WARNING, index, "qemu-vmsa-sev-features",
                     "sev_features 0x%llx: the first QEMU releases with IGVM accept only 0x1; "
                     "later ones need every bit supported by the host's KVM",
                     (unsigned long long)features);
}

/* VP contexts of one SEV platform: GPA, fields, and nothing measured after them. */
static void lint_vmsas(const struct igk_igvm *igvm, const struct igk_supported_platform *p,
                       struct igk_lint_report *r)
{
    bool snp = p->platform_type == IGK_PLATFORM_SEV_SNP;
    uint32_t pmask = p->compatibility_mask, mask, first_vmsa = IGK_NO_INDEX;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];

        if (!igk_header_mask(h, &mask) || !(mask & pmask))
            continue;
        if (h->type == IGK_VHT_VP_CONTEXT) {
            if (first_vmsa == IGK_NO_INDEX)
                first_vmsa = (uint32_t)i;
            if (h->u.vp_context.gpa != VMSA_GPA)
                igk_lint_add(r, IGK_LINT_ERROR, (uint32_t)i, "qemu-vmsa-gpa",
                             "%s VMSA at GPA 0x%llx; QEMU requires 0xfffffffff000",
                             igk_platform_name(p->platform_type),
                             (unsigned long long)h->u.vp_context.gpa);
            lint_vmsa_bytes(h, (uint32_t)i, snp, r);
        } else if (first_vmsa != IGK_NO_INDEX &&
                   (h->type == IGK_VHT_PAGE_DATA || h->type == IGK_VHT_PARAMETER_INSERT)) {
            igk_lint_add(r, IGK_LINT_ERROR, (uint32_t)i, "qemu-vmsa-last",
                         "%s after the VMSA (header #%u): KVM measures VMSAs after every page, "
                         "so the file's digest differs from the launch digest",
                         igk_header_type_name(h->type), first_vmsa);
        }
    }
}

static void lint_directives(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    const struct igk_supported_platform *snp = igk_igvm_find_platform(igvm, IGK_PLATFORM_SEV_SNP);
    const struct igk_supported_platform *native = igk_igvm_find_platform(igvm,
                                                                         IGK_PLATFORM_NATIVE);
    bool snp_policy = false;
    uint32_t mask;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t idx = (uint32_t)i;

        switch (h->type) {
        case IGK_VHT_PAGE_DATA:
            if (h->u.page_data.flags & IGK_PAGE_FLAG_IS_2MB)
                igk_lint_add(r, IGK_LINT_WARNING, idx, "qemu-page-2mb",
                             "IS_2MB_PAGE: QEMU maps a 2 MiB page (4 KiB of data, zeros after) "
                             "while the igvm crate measures one 4 KiB page; digests disagree");
            if (h->u.page_data.data_type > IGK_PAGE_DATA_CPUID_XF)
                igk_lint_add(r, IGK_LINT_ERROR, idx, "qemu-page-type",
                             "QEMU refuses page data type %u", h->u.page_data.data_type);
            else if (h->u.page_data.data_type != IGK_PAGE_DATA_NORMAL && snp &&
                     (h->u.page_data.compatibility_mask & ~snp->compatibility_mask))
                igk_lint_add(r, IGK_LINT_WARNING, idx, "qemu-page-type",
                             "SECRETS/CPUID page applies to a platform other than SEV-SNP; "
                             "QEMU supports those page types on SNP only");
            break;
        case IGK_VHT_PARAMETER_AREA:
            if (h->data)
                igk_lint_add(r, IGK_LINT_WARNING, idx, "qemu-parameter-area-data",
                             "QEMU ignores the initial data of parameter area %u and starts it "
                             "zeroed",
                             h->u.parameter_area.parameter_area_index);
            break;
        case IGK_VHT_VP_CONTEXT:
            if (native && (h->u.vp_context.compatibility_mask & native->compatibility_mask))
                igk_lint_add(r, IGK_LINT_WARNING, idx, "qemu-vp-native",
                             "native VP context: QEMU 11.0 and later load it for vp_index 0 only; "
                             "older QEMU refuses VP contexts without SEV-ES/SNP");
            break;
        case IGK_VHT_SNP_ID_BLOCK:
            if (h->u.snp_id_block->version != 1)
                igk_lint_add(r, IGK_LINT_ERROR, idx, "qemu-id-block-version",
                             "ID block version %u: QEMU always sends version 1, so the ID key "
                             "signature will not verify at launch",
                             h->u.snp_id_block->version);
            break;
        case IGK_VHT_GUEST_POLICY:
            if (snp && igk_header_mask(h, &mask) && (mask & snp->compatibility_mask))
                snp_policy = true;
            break;
        default:
            break;
        }
    }
    if (snp && !snp_policy)
        igk_lint_add(r, IGK_LINT_WARNING, IGK_NO_INDEX, "qemu-policy-missing",
                     "no GUEST_POLICY for SEV-SNP: QEMU launches with the sev-snp-guest "
                     "object's policy, which the file does not pin");
}

void igk_lint_qemu(const struct igk_igvm *igvm, struct igk_lint_report *r)
{
    lint_platforms(igvm, r);
    lint_header_types(igvm, r);
    igk_lint_no_directives(igvm, r, "qemu-no-directives");
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_SUPPORTED_PLATFORM &&
            (h->u.platform.platform_type == IGK_PLATFORM_SEV_SNP ||
             h->u.platform.platform_type == IGK_PLATFORM_SEV_ES))
            lint_vmsas(igvm, &h->u.platform, r);
    }
    lint_directives(igvm, r);
    igk_lint_id_blocks(igvm, r, "qemu-id-block-count");
}
