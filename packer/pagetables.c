/* SPDX-License-Identifier: MIT */
/*
 * Identity page tables and the boot GDT for firmware-less direct boot.
 * The 64-bit boot protocol (boot.rst, "64-bit Boot Protocol") asks for
 * paging on with the kernel, boot_params and command line identity mapped,
 * and a GDT with flat __BOOT_CS (0x10) and __BOOT_DS (0x18) descriptors.
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

/* Page-table entry bits (AMD APM vol. 2, 5.3.3). */
#define PTE_PRESENT 0x1ull
#define PTE_WRITABLE 0x2ull
#define PTE_LARGE 0x80ull /* PS: a 2 MiB page in a PD entry */

void igk_direct_page_tables(uint8_t *out, uint64_t pt_gpa, uint64_t enc_mask)
{
    uint8_t *pml4 = out, *pdpt = out + 0x1000;
    uint64_t pdpt_gpa = pt_gpa + 0x1000;

    memset(out, 0, (size_t)IGK_DIRECT_PT_PAGES * 0x1000u);
    igk_put_le64(pml4, pdpt_gpa | enc_mask | PTE_PRESENT | PTE_WRITABLE);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t pd_gpa = pt_gpa + 0x2000u + 0x1000u * i;
        uint8_t *pd = out + 0x2000u + 0x1000u * i;

        igk_put_le64(pdpt + 8u * i, pd_gpa | enc_mask | PTE_PRESENT | PTE_WRITABLE);
        for (unsigned j = 0; j < 512; j++) {
            uint64_t base = ((uint64_t)i * 512u + j) << 21;

            igk_put_le64(pd + 8u * j, base | enc_mask | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE);
        }
    }
}

void igk_direct_gdt(uint8_t out[4096], uint64_t gdt_gpa)
{
    memset(out, 0, 4096);
    /* 0x08: flat 32-bit code (Linux's __KERNEL32_CS; unused by us, kept so
     * the table matches the kernel's own boot GDT). */
    igk_put_le64(out + 0x08, 0x00CF9B000000FFFFull);
    /* 0x10: 64-bit code, L=1, present, execute/read, accessed. */
    igk_put_le64(out + IGK_DIRECT_CS, 0x00AF9B000000FFFFull);
    /* 0x18: flat data, read/write, accessed, 4 GiB limit. */
    igk_put_le64(out + IGK_DIRECT_DS, 0x00CF93000000FFFFull);
    igk_put_le16(out + IGK_DIRECT_GDTR_OFFSET, IGK_DIRECT_GDT_LIMIT);
    igk_put_le32(out + IGK_DIRECT_GDTR_OFFSET + 2, (uint32_t)gdt_gpa);
}
