/* SPDX-License-Identifier: MIT */
/*
 * SEV-ES/SNP VMSA ("VMCB save area", AMD APM vol. 2 table B-4) builder
 * (internal).  A VMSA is a 4096-byte page; fields are written at their byte
 * offsets with little-endian stores.  Segment attributes use the compressed
 * 12-bit form (0x9B, not 0xC09B).  Bytes 0x670..0xFFF must stay zero: the
 * 0.4.0 igvm C library that QEMU links rejects a VMSA with anything there.
 */
#ifndef IGK_VMSA_H
#define IGK_VMSA_H

#include <stdbool.h>
#include <stdint.h>

#include <igvmkit/descriptor.h>

#include "le.h"

#define IGK_VMSA_SIZE 4096u
#define IGK_VMSA_GPA 0xFFFFFFFFF000ull /* KVM's fixed VMSA GPA */

/* Field offsets (docs/firmware.md section 6, docs/igvm-format.md section 6.5). */
enum igk_vmsa_offset {
    IGK_VMSA_ES = 0x000,
    IGK_VMSA_CS = 0x010,
    IGK_VMSA_SS = 0x020,
    IGK_VMSA_DS = 0x030,
    IGK_VMSA_FS = 0x040,
    IGK_VMSA_GS = 0x050,
    IGK_VMSA_GDTR = 0x060,
    IGK_VMSA_LDTR = 0x070,
    IGK_VMSA_IDTR = 0x080,
    IGK_VMSA_TR = 0x090,
    IGK_VMSA_VMPL = 0x0CA,
    IGK_VMSA_CPL = 0x0CB,
    IGK_VMSA_EFER = 0x0D0,
    IGK_VMSA_CR4 = 0x148,
    IGK_VMSA_CR3 = 0x150,
    IGK_VMSA_CR0 = 0x158,
    IGK_VMSA_DR7 = 0x160,
    IGK_VMSA_DR6 = 0x168,
    IGK_VMSA_RFLAGS = 0x170,
    IGK_VMSA_RIP = 0x178,
    IGK_VMSA_RSP = 0x1D8,
    IGK_VMSA_RAX = 0x1F8,
    IGK_VMSA_G_PAT = 0x268,
    IGK_VMSA_RCX = 0x308,
    IGK_VMSA_RDX = 0x310,
    IGK_VMSA_RBX = 0x318,
    IGK_VMSA_RBP = 0x328,
    IGK_VMSA_RSI = 0x330,
    IGK_VMSA_RDI = 0x338,
    IGK_VMSA_SEV_FEATURES = 0x3B0,
    IGK_VMSA_XCR0 = 0x3E8,
    IGK_VMSA_MXCSR = 0x408,
    IGK_VMSA_X87_FCW = 0x410,
    IGK_VMSA_END_OF_FIELDS = 0x670,
};

struct igk_vmsa_segment {
    uint16_t selector;
    uint16_t attrib;
    uint32_t limit;
    uint64_t base;
};

static inline void igk_vmsa_set_segment(uint8_t *vmsa, unsigned offset, struct igk_vmsa_segment s)
{
    igk_put_le16(vmsa + offset, s.selector);
    igk_put_le16(vmsa + offset + 2, s.attrib);
    igk_put_le32(vmsa + offset + 4, s.limit);
    igk_put_le64(vmsa + offset + 8, s.base);
}

static inline void igk_vmsa_set_u64(uint8_t *vmsa, unsigned offset, uint64_t v)
{
    igk_put_le64(vmsa + offset, v);
}

/*
 * The x86 reset-state VMSA that sev-snp-measure models and KVM produces for a
 * classic QEMU SNP launch (docs/firmware.md section 6): eip 0xFFFFFFF0 for the
 * BSP, the SEV-ES reset block EIP for APs; vcpu_sig goes to RDX (QEMU) and
 * sev_features to SEV_FEATURES.  Fills all 4096 bytes of out.
 */
void igk_vmsa_reset_state(uint8_t *out, uint32_t eip, bool bsp, enum igk_snp_vmm vmm,
                          uint32_t vcpu_sig, uint64_t sev_features);

#endif /* IGK_VMSA_H */
