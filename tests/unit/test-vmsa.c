/* SPDX-License-Identifier: MIT */
/*
 * igk_vmsa_reset_state(): every field of docs/firmware.md section 6 for
 * the qemu, ec2 and gce flavours, BSP and AP, and nothing else set.
 */
#include <string.h>

#include "le.h"
#include "tap.h"
#include "vmsa.h"

static uint8_t v[IGK_VMSA_SIZE];

static void segment(unsigned off, uint16_t sel, uint16_t attr, uint32_t limit, uint64_t base,
                    const char *name)
{
    ok(igk_le16(v + off) == sel && igk_le16(v + off + 2) == attr &&
           igk_le32(v + off + 4) == limit && igk_le64(v + off + 8) == base,
       "%s = %#x/%#x/%#x/%#llx (got %#x/%#x/%#x/%#llx)", name, sel, attr, limit,
       (unsigned long long)base, igk_le16(v + off), igk_le16(v + off + 2), igk_le32(v + off + 4),
       (unsigned long long)igk_le64(v + off + 8));
}

/* Bytes outside the listed fields must be zero. */
static void only_fields(const char *name)
{
    static const unsigned fields[][2] = {
        {0x000, 0xA0}, {IGK_VMSA_EFER, 8}, {IGK_VMSA_CR4, 8},  {IGK_VMSA_CR0, 8},
        {IGK_VMSA_DR7, 8}, {IGK_VMSA_DR6, 8}, {IGK_VMSA_RFLAGS, 8}, {IGK_VMSA_RIP, 8},
        {IGK_VMSA_G_PAT, 8}, {IGK_VMSA_RDX, 8}, {IGK_VMSA_SEV_FEATURES, 8}, {IGK_VMSA_XCR0, 8},
        {IGK_VMSA_MXCSR, 4}, {IGK_VMSA_X87_FCW, 2},
    };
    unsigned stray = 0;

    for (unsigned i = 0; i < IGK_VMSA_SIZE; i++) {
        bool in = false;

        for (unsigned f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
            in |= i >= fields[f][0] && i < fields[f][0] + fields[f][1];
        if (!in && v[i])
            stray++;
    }
    is_int(stray, 0, "%s: no byte set outside the reset-state fields", name);
}

static void common(const char *name)
{
    is_int(igk_le64(v + IGK_VMSA_EFER), 0x1000, "%s EFER", name);
    is_int(igk_le64(v + IGK_VMSA_CR4), 0x40, "%s CR4", name);
    is_int(igk_le64(v + IGK_VMSA_CR0), 0x10, "%s CR0", name);
    is_int(igk_le64(v + IGK_VMSA_DR7), 0x400, "%s DR7", name);
    is_int(igk_le64(v + IGK_VMSA_DR6), 0xFFFF0FF0, "%s DR6", name);
    is_int(igk_le64(v + IGK_VMSA_RFLAGS), 0x2, "%s RFLAGS", name);
    is_int(igk_le64(v + IGK_VMSA_XCR0), 0x1, "%s XCR0", name);
    segment(IGK_VMSA_ES, 0, 0x93, 0xFFFF, 0, "ES");
    segment(IGK_VMSA_DS, 0, 0x93, 0xFFFF, 0, "DS");
    segment(IGK_VMSA_FS, 0, 0x93, 0xFFFF, 0, "FS");
    segment(IGK_VMSA_GS, 0, 0x93, 0xFFFF, 0, "GS");
    segment(IGK_VMSA_GDTR, 0, 0, 0xFFFF, 0, "GDTR");
    segment(IGK_VMSA_LDTR, 0, 0x82, 0xFFFF, 0, "LDTR");
    segment(IGK_VMSA_IDTR, 0, 0, 0xFFFF, 0, "IDTR");
    only_fields(name);
}

int main(void)
{
    /* QEMU BSP. */
    memset(v, 0xAA, sizeof(v));
    igk_vmsa_reset_state(v, 0xFFFFFFF0, true, IGK_SNP_VMM_QEMU, 0x800F12, 0x21);
    common("qemu BSP");
    segment(IGK_VMSA_CS, 0xF000, 0x9B, 0xFFFF, 0xFFFF0000, "qemu BSP CS");
    segment(IGK_VMSA_SS, 0, 0x93, 0xFFFF, 0, "qemu SS");
    segment(IGK_VMSA_TR, 0, 0x8B, 0xFFFF, 0, "qemu TR");
    is_int(igk_le64(v + IGK_VMSA_RIP), 0xFFF0, "qemu BSP RIP");
    is_int(igk_le64(v + IGK_VMSA_RDX), 0x800F12, "qemu RDX = vCPU signature");
    is_int(igk_le64(v + IGK_VMSA_G_PAT), 0x0007040600070406, "qemu G_PAT");
    is_int(igk_le64(v + IGK_VMSA_SEV_FEATURES), 0x21, "SEV_FEATURES = guest features");
    is_int(igk_le32(v + IGK_VMSA_MXCSR), 0x1F80, "qemu MXCSR");
    is_int(igk_le16(v + IGK_VMSA_X87_FCW), 0x037F, "qemu FCW");

    /* QEMU AP at OVMF's reset block EIP. */
    igk_vmsa_reset_state(v, 0x80B004, false, IGK_SNP_VMM_QEMU, 0xA00F11, 0x1);
    common("qemu AP");
    segment(IGK_VMSA_CS, 0xF000, 0x9B, 0xFFFF, 0x800000, "qemu AP CS base = EIP high bits");
    is_int(igk_le64(v + IGK_VMSA_RIP), 0xB004, "qemu AP RIP = EIP low 16 bits");
    is_int(igk_le64(v + IGK_VMSA_RDX), 0xA00F11, "qemu AP RDX");

    /* EC2. */
    igk_vmsa_reset_state(v, 0xFFFFFFF0, true, IGK_SNP_VMM_EC2, 0x800F12, 0x1);
    common("ec2 BSP");
    segment(IGK_VMSA_CS, 0xF000, 0x9A, 0xFFFF, 0xFFFF0000, "ec2 BSP CS attrib 0x9A");
    segment(IGK_VMSA_SS, 0, 0x92, 0xFFFF, 0, "ec2 SS attrib 0x92");
    segment(IGK_VMSA_TR, 0, 0x83, 0xFFFF, 0, "ec2 TR attrib 0x83");
    is_int(igk_le64(v + IGK_VMSA_RDX), 0x600, "ec2 RDX 0x600");
    is_int(igk_le32(v + IGK_VMSA_MXCSR), 0, "ec2 MXCSR 0");
    is_int(igk_le16(v + IGK_VMSA_X87_FCW), 0, "ec2 FCW 0");
    igk_vmsa_reset_state(v, 0x80B004, false, IGK_SNP_VMM_EC2, 0x800F12, 0x1);
    segment(IGK_VMSA_CS, 0xF000, 0x9B, 0xFFFF, 0x800000, "ec2 AP CS attrib 0x9B");

    /* GCE. */
    igk_vmsa_reset_state(v, 0xFFFFFFF0, true, IGK_SNP_VMM_GCE, 0x800F12, 0x1);
    common("gce BSP");
    segment(IGK_VMSA_CS, 0xF000, 0x9B, 0xFFFF, 0xFFFF0000, "gce CS");
    segment(IGK_VMSA_SS, 0, 0x93, 0xFFFF, 0, "gce SS");
    segment(IGK_VMSA_TR, 0, 0x8B, 0xFFFF, 0, "gce TR");
    is_int(igk_le64(v + IGK_VMSA_G_PAT), 0x00070106, "gce G_PAT");
    is_int(igk_le64(v + IGK_VMSA_RDX), 0x600, "gce RDX 0x600");
    is_int(igk_le32(v + IGK_VMSA_MXCSR), 0, "gce MXCSR 0");
    return tap_done();
}
