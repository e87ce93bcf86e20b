/* SPDX-License-Identifier: MIT */
/*
 * The x86 reset-state VMSA of a classic QEMU/KVM SEV-SNP launch, as
 * sev-snp-measure models it for the qemu, ec2 and gce VMM flavours
 * (docs/firmware.md section 6).
 */
#include <string.h>

#include "vmsa.h"

void igk_vmsa_reset_state(uint8_t *out, uint32_t eip, bool bsp, enum igk_snp_vmm vmm,
                          uint32_t vcpu_sig, uint64_t sev_features)
{
    bool ec2 = vmm == IGK_SNP_VMM_EC2, gce = vmm == IGK_SNP_VMM_GCE;
    struct igk_vmsa_segment data = {0, 0x93, 0xFFFF, 0};
    /* Real-mode CS: the selector stays 0xF000, the base carries the high EIP bits. */
    struct igk_vmsa_segment cs = {0xF000, 0x9B, 0xFFFF, eip & 0xFFFF0000u};
    struct igk_vmsa_segment ss = data;

    memset(out, 0, IGK_VMSA_SIZE);
    if (ec2) {
        /* EC2 reports the BSP's CS as not-yet-accessed and SS likewise (6.2). */
        if (bsp)
            cs.attrib = 0x9A;
        ss.attrib = 0x92;
    }
    igk_vmsa_set_segment(out, IGK_VMSA_ES, data);
    igk_vmsa_set_segment(out, IGK_VMSA_CS, cs);
    igk_vmsa_set_segment(out, IGK_VMSA_SS, ss);
    igk_vmsa_set_segment(out, IGK_VMSA_DS, data);
    igk_vmsa_set_segment(out, IGK_VMSA_FS, data);
    igk_vmsa_set_segment(out, IGK_VMSA_GS, data);
    igk_vmsa_set_segment(out, IGK_VMSA_GDTR, (struct igk_vmsa_segment){0, 0, 0xFFFF, 0});
    igk_vmsa_set_segment(out, IGK_VMSA_LDTR, (struct igk_vmsa_segment){0, 0x82, 0xFFFF, 0});
    igk_vmsa_set_segment(out, IGK_VMSA_IDTR, (struct igk_vmsa_segment){0, 0, 0xFFFF, 0});
    igk_vmsa_set_segment(out, IGK_VMSA_TR,
                         (struct igk_vmsa_segment){0, ec2 ? 0x83 : 0x8B, 0xFFFF, 0});

    igk_vmsa_set_u64(out, IGK_VMSA_EFER, 0x1000);    /* SVME */
    igk_vmsa_set_u64(out, IGK_VMSA_CR4, 0x40);       /* MCE  */
    igk_vmsa_set_u64(out, IGK_VMSA_CR0, 0x10);       /* ET   */
    igk_vmsa_set_u64(out, IGK_VMSA_DR7, 0x400);
    igk_vmsa_set_u64(out, IGK_VMSA_DR6, 0xFFFF0FF0);
    igk_vmsa_set_u64(out, IGK_VMSA_RFLAGS, 0x2);
    igk_vmsa_set_u64(out, IGK_VMSA_RIP, eip & 0xFFFFu);
    igk_vmsa_set_u64(out, IGK_VMSA_G_PAT, gce ? 0x00070106ull : 0x0007040600070406ull);
    /* QEMU passes the CPUID 1 signature in RDX; EC2 and GCE report family 6. */
    igk_vmsa_set_u64(out, IGK_VMSA_RDX, vmm == IGK_SNP_VMM_QEMU ? vcpu_sig : 0x600);
    igk_vmsa_set_u64(out, IGK_VMSA_SEV_FEATURES, sev_features);
    igk_vmsa_set_u64(out, IGK_VMSA_XCR0, 0x1);
    if (vmm == IGK_SNP_VMM_QEMU) {
        /* KVM initialises these since the 6.9 SNP host patches (section 6). */
        igk_put_le32(out + IGK_VMSA_MXCSR, 0x1F80);
        igk_put_le16(out + IGK_VMSA_X87_FCW, 0x037F);
    }
}
