/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP pages for a firmware-less Linux guest.  Without EFI, an SNP
 * guest kernel finds its CPUID table and secrets page through a setup_data
 * entry of type SETUP_CC_BLOB holding struct cc_blob_sev_info
 * (arch/x86/include/asm/sev.h; searched by find_cc_blob() in
 * arch/x86/boot/compressed/sev.c).  Without it an SNP-active kernel stops.
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

/* struct setup_data: u64 next, u32 type, u32 len, data[]. */
#define SETUP_DATA_HEADER 16u
/* struct cc_blob_sev_info (40 bytes). */
#define CC_BLOB_SIZE 40u
#define CC_MAGIC 0
#define CC_VERSION 4
#define CC_SECRETS_PHYS 8
#define CC_SECRETS_LEN 16
#define CC_CPUID_PHYS 24
#define CC_CPUID_LEN 32

void igk_direct_cc_blob(uint8_t out[4096], uint64_t secrets_gpa, uint64_t cpuid_gpa)
{
    uint8_t *cc = out + SETUP_DATA_HEADER;

    memset(out, 0, 4096);
    igk_put_le64(out, 0); /* next: end of the chain */
    igk_put_le32(out + 8, IGK_SETUP_CC_BLOB);
    igk_put_le32(out + 12, CC_BLOB_SIZE);
    igk_put_le32(cc + CC_MAGIC, IGK_CC_BLOB_MAGIC);
    igk_put_le16(cc + CC_VERSION, 0);
    igk_put_le64(cc + CC_SECRETS_PHYS, secrets_gpa);
    igk_put_le32(cc + CC_SECRETS_LEN, 4096);
    igk_put_le64(cc + CC_CPUID_PHYS, cpuid_gpa);
    igk_put_le32(cc + CC_CPUID_LEN, 4096);
}

/*
 * struct snp_cpuid_table: u32 count, u32 + u64 reserved, then up to 64
 * 48-byte entries {u32 eax_in, u32 ecx_in, u64 xcr0_in, u64 xss_in,
 * u32 eax, ebx, ecx, edx, u64 reserved}.  The leaves are the ones a Linux
 * guest queries early; the VMM fills in the values and the PSP checks them
 * (the page is measured by type only, docs/measure-snp.md section 2).
 */
static const struct {
    uint32_t leaf, subleaf;
} cpuid_leaves[] = {
    {0x0, 0},        {0x1, 0},        {0x2, 0},        {0x4, 0},        {0x4, 1},
    {0x4, 2},        {0x4, 3},        {0x5, 0},        {0x6, 0},        {0x7, 0},
    {0x7, 1},        {0xB, 0},        {0xB, 1},        {0xD, 0},        {0xD, 1},
    {0xF, 0},        {0xF, 1},        {0x10, 0},       {0x10, 1},       {0x80000000, 0},
    {0x80000001, 0}, {0x80000002, 0}, {0x80000003, 0}, {0x80000004, 0}, {0x80000005, 0},
    {0x80000006, 0}, {0x80000007, 0}, {0x80000008, 0}, {0x8000000A, 0}, {0x80000019, 0},
    {0x8000001A, 0}, {0x8000001D, 0}, {0x8000001D, 1}, {0x8000001D, 2}, {0x8000001D, 3},
    {0x8000001E, 0}, {0x8000001F, 0}, {0x80000021, 0},
};

void igk_direct_cpuid_page(uint8_t out[4096])
{
    const unsigned n = sizeof(cpuid_leaves) / sizeof(cpuid_leaves[0]);

    _Static_assert(sizeof(cpuid_leaves) / sizeof(cpuid_leaves[0]) <= 64, "table holds 64");
    memset(out, 0, 4096);
    igk_put_le32(out, n);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *fn = out + 16 + 48u * i;

        igk_put_le32(fn, cpuid_leaves[i].leaf);
        igk_put_le32(fn + 4, cpuid_leaves[i].subleaf);
        /* XSAVE leaf 0xD depends on XCR0: x87 only at entry (VMSA XCR0 = 1). */
        igk_put_le64(fn + 8, cpuid_leaves[i].leaf == 0xD ? 1 : 0);
    }
}
