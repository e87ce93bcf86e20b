/* SPDX-License-Identifier: MIT */
/*
 * The boot_params "zero page" and the e820 map for firmware-less boot
 * (boot.rst; field offsets from arch/x86/include/uapi/asm/bootparam.h).
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

/* boot_params: the setup header sits at the same offset as in the image. */
#define BP_HDR_END 0x290u /* edd_mbr_sig_buffer follows the header */
#define E820_ENTRY_SIZE 20u

void igk_direct_ram_split(uint64_t memory, uint64_t *ret_low_end, uint64_t *ret_high)
{
    uint64_t low = memory >= IGK_DIRECT_Q35_LOWMEM_THRESHOLD ? IGK_DIRECT_Q35_LOWMEM_SPLIT : memory;

    *ret_low_end = low;
    *ret_high = memory - low;
}

static unsigned add(struct igk_e820_entry *out, unsigned n, uint64_t addr, uint64_t end,
                    uint32_t type)
{
    if (end <= addr || n >= IGK_E820_MAX)
        return n;
    out[n].addr = addr;
    out[n].size = end - addr;
    out[n].type = type;
    return n + 1;
}

unsigned igk_direct_e820(uint64_t memory, uint64_t ram, bool snp_pages,
                         struct igk_e820_entry out[IGK_E820_MAX])
{
    uint64_t low_end, high, ram_low, ram_high;
    uint64_t legacy_end = IGK_DIRECT_LOW_RAM_END;
    unsigned n = 0;

    igk_direct_ram_split(memory, &low_end, &high);
    /* `ram` counts RAM bytes from the bottom of the machine's RAM: the low
     * block first, then the part above 4 GiB. */
    ram_low = ram < low_end ? ram : low_end;
    ram_high = ram - ram_low;
    if (ram_high > high)
        ram_high = high;

    if (snp_pages) {
        /* The PSP-owned secrets and CPUID pages must stay untouched. */
        legacy_end = IGK_DIRECT_SECRETS_GPA;
    }
    n = add(out, n, 0, ram_low < legacy_end ? ram_low : legacy_end, IGK_E820_RAM);
    if (snp_pages)
        n = add(out, n, IGK_DIRECT_SECRETS_GPA, IGK_DIRECT_LOW_RAM_END, IGK_E820_RESERVED);
    n = add(out, n, IGK_DIRECT_HIGH_RAM_START, ram_low, IGK_E820_RAM);
    n = add(out, n, IGK_DIRECT_4GIB, IGK_DIRECT_4GIB + ram_high, IGK_E820_RAM);
    return n;
}

unsigned igk_direct_e820_native(uint64_t memory, struct igk_e820_entry out[IGK_E820_MAX])
{
    struct igk_e820_entry rest[IGK_E820_MAX];
    unsigned n_rest = igk_direct_e820(memory, memory, false, rest), n = 0;
    const uint64_t acpi_end = IGK_DIRECT_ACPI_GPA + 0x1000;

    for (unsigned i = 0; i < n_rest; i++) {
        const struct igk_e820_entry *e = &rest[i];

        if (e->type == IGK_E820_RAM && e->addr <= IGK_DIRECT_ACPI_GPA &&
            e->addr + e->size >= acpi_end) {
            n = add(out, n, e->addr, IGK_DIRECT_ACPI_GPA, IGK_E820_RAM);
            n = add(out, n, IGK_DIRECT_ACPI_GPA, acpi_end, IGK_E820_ACPI);
            n = add(out, n, acpi_end, e->addr + e->size, IGK_E820_RAM);
        } else {
            n = add(out, n, e->addr, e->addr + e->size, e->type);
        }
    }
    return n;
}

void igk_direct_boot_params(uint8_t out[4096], const struct igk_boot_params_in *in)
{
    const struct igk_bzimage *bz = in->bz;
    uint32_t hdr_end = bz->header_end < BP_HDR_END ? bz->header_end : BP_HDR_END;

    memset(out, 0, 4096);
    /* boot.rst: the loader copies the setup header into boot_params and
     * fills in the "write" fields; everything else stays zero (sentinel 0,
     * no screen_info, no EFI).  acpi_rsdp_addr (Linux 5.0 and later) points
     * the kernel at the native ACPI tables; zero lets it scan (and find
     * none). */
    memcpy(out + IGK_BZ_HDR_START, bz->image + IGK_BZ_HDR_START, hdr_end - IGK_BZ_HDR_START);
    out[IGK_BZ_TYPE_OF_LOADER] = 0xFF; /* "undefined" boot loader */
    igk_put_le32(out + IGK_BZ_CMD_LINE_PTR, (uint32_t)in->cmdline_gpa);
    igk_put_le32(out + IGK_BP_EXT_CMD_LINE_PTR, (uint32_t)(in->cmdline_gpa >> 32));
    igk_put_le32(out + IGK_BZ_RAMDISK_IMAGE, (uint32_t)in->initrd_gpa);
    igk_put_le32(out + IGK_BP_EXT_RAMDISK_IMAGE, (uint32_t)(in->initrd_gpa >> 32));
    igk_put_le32(out + IGK_BZ_RAMDISK_SIZE, (uint32_t)in->initrd_size);
    igk_put_le32(out + IGK_BP_EXT_RAMDISK_SIZE, (uint32_t)(in->initrd_size >> 32));
    igk_put_le64(out + IGK_BZ_SETUP_DATA, in->setup_data_gpa);
    igk_put_le64(out + IGK_BP_ACPI_RSDP_ADDR, in->acpi_rsdp_gpa);

    out[IGK_BP_E820_ENTRIES] = (uint8_t)in->n_e820;
    for (unsigned i = 0; i < in->n_e820 && i < IGK_E820_MAX; i++) {
        uint8_t *e = out + IGK_BP_E820_TABLE + E820_ENTRY_SIZE * i;

        igk_put_le64(e, in->e820[i].addr);
        igk_put_le64(e + 8, in->e820[i].size);
        igk_put_le32(e + 16, in->e820[i].type);
    }
}
