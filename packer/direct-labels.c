/* SPDX-License-Identifier: MIT */
/*
 * Names of direct-boot regions, read back from the file (see
 * direct-labels.h).
 */
#include <stdbool.h>
#include <string.h>

#include "direct-labels.h"
#include "le.h"
#include "linux-direct.h"

#define SCAN_HEADERS 64u
#define PAGE 4096ull
#define BP_SYSSIZE 0x1F4u /* protected-mode size in 16-byte units (boot.rst) */

/*
 * The data of the first PAGE_DATA header at gpa among the first `scan`
 * headers whose mask shares a bit with mask and whose page passes `want`
 * (NULL: any), or NULL.  The cursor reads lean models too, which keep
 * PAGE_DATA in the file.
 */
static const uint8_t *page_at(const struct igk_igvm *igvm, uint32_t mask, uint64_t gpa,
                              size_t scan, bool (*want)(const uint8_t *page))
{
    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    size_t number;

    while ((h = igk_igvm_next_header(igvm, &cursor, &scratch, &number)) && number < scan)
        if (h->type == IGK_VHT_PAGE_DATA && h->u.page_data.gpa == gpa &&
            (h->u.page_data.compatibility_mask & mask) && h->data && h->data_size >= PAGE &&
            (!want || want(h->data)))
            return h->data;
    return NULL;
}

/* A boot_params page igk_pack_direct() wrote: setup header "HdrS", loader 0xFF. */
static bool is_boot_params(const uint8_t *page)
{
    return igk_le32(page + IGK_BZ_HEADER_MAGIC) == IGK_BZ_MAGIC_HDRS &&
           page[IGK_BZ_TYPE_OF_LOADER] == 0xFF;
}

/* The boot_params page of the platform(s) in mask, or NULL. */
static const uint8_t *find_boot_params(const struct igk_igvm *igvm, uint32_t mask)
{
    return page_at(igvm, mask, IGK_DIRECT_BOOT_PARAMS_GPA, SCAN_HEADERS, is_boot_params);
}

/* Bytes of the command line with its NUL, from its first page (1 if unseen). */
static uint64_t cmdline_length(const struct igk_igvm *igvm, uint32_t mask, uint64_t gpa)
{
    uint64_t page = gpa & ~(PAGE - 1);
    const uint8_t *data = page_at(igvm, mask, page, 2 * SCAN_HEADERS, NULL);
    const uint8_t *nul;

    if (!data)
        return 1;
    nul = memchr(data + (gpa - page), 0, PAGE - (gpa - page));
    /* A command line longer than its first page: the rest of the run. */
    return nul ? (uint64_t)(nul - (data + (gpa - page))) + 1 : IGK_DIRECT_CMDLINE_MAX;
}

static int in(uint64_t gpa, uint64_t start, uint64_t len)
{
    return gpa >= start && gpa - start < len;
}

const char *igk_direct_region_label(const struct igk_igvm *igvm, uint32_t header_type,
                                    uint32_t mask, uint64_t gpa)
{
    const uint8_t *bp;
    uint64_t kernel_gpa, kernel_len, kernel_span, align, cmdline, cmdline_len;

    if (!igvm || (header_type != IGK_VHT_PAGE_DATA && header_type != IGK_VHT_VP_CONTEXT))
        return NULL;
    if (!(bp = find_boot_params(igvm, mask)))
        return NULL;
    if (header_type == IGK_VHT_VP_CONTEXT)
        return "vmsa";

    /* The kernel goes where igk_pack_direct() put it: pref_address, aligned
     * to kernel_alignment when relocatable, with init_size reserved. */
    kernel_gpa = igk_le64(bp + IGK_BZ_PREF_ADDRESS);
    align = igk_le32(bp + IGK_BZ_KERNEL_ALIGNMENT);
    if (bp[IGK_BZ_RELOCATABLE] && align && !(align & (align - 1)))
        kernel_gpa = (kernel_gpa + align - 1) & ~(align - 1);
    if (kernel_gpa < IGK_DIRECT_HIGH_RAM_START)
        kernel_gpa = IGK_DIRECT_HIGH_RAM_START;
    kernel_len = (uint64_t)igk_le32(bp + BP_SYSSIZE) * 16u;
    kernel_span = igk_le32(bp + IGK_BZ_INIT_SIZE);
    if (kernel_span < kernel_len)
        kernel_span = kernel_len;
    cmdline = igk_le32(bp + IGK_BZ_CMD_LINE_PTR) |
              ((uint64_t)igk_le32(bp + IGK_BP_EXT_CMD_LINE_PTR) << 32);
    cmdline_len = cmdline_length(igvm, mask, cmdline);

    if (gpa == 0)
        return "bda";
    if (gpa == IGK_DIRECT_MP_GPA)
        return "mp table";
    if (gpa == IGK_DIRECT_GDT_GPA)
        return "gdt";
    if (in(gpa, IGK_DIRECT_PML4_GPA, IGK_DIRECT_PT_PAGES * PAGE))
        return "page tables";
    if (gpa == IGK_DIRECT_STACK_TOP - PAGE)
        return "stack";
    if (gpa == IGK_DIRECT_BOOT_PARAMS_GPA)
        return "boot_params";
    if (gpa == IGK_DIRECT_SETUP_DATA_GPA)
        return "cc blob";
    if (gpa == IGK_DIRECT_ACPI_GPA)
        return "acpi tables";
    if (in(gpa, cmdline & ~(PAGE - 1), cmdline_len + (cmdline & (PAGE - 1))))
        return "cmdline";
    if (gpa == IGK_DIRECT_SECRETS_GPA)
        return "secrets";
    if (gpa == IGK_DIRECT_CPUID_GPA)
        return "cpuid";
    if (in(gpa, kernel_gpa, kernel_len))
        return "kernel";
    if (in(gpa, kernel_gpa, kernel_span))
        return "kernel init_size";
    if (in(gpa, igk_le32(bp + IGK_BZ_RAMDISK_IMAGE) |
                    ((uint64_t)igk_le32(bp + IGK_BP_EXT_RAMDISK_IMAGE) << 32),
           igk_le32(bp + IGK_BZ_RAMDISK_SIZE) |
               ((uint64_t)igk_le32(bp + IGK_BP_EXT_RAMDISK_SIZE) << 32)))
        return "initrd";
    if (gpa == IGK_DIRECT_STUB_GPA)
        return "reset stub";
    if (in(gpa, IGK_DIRECT_ROM_GPA, IGK_DIRECT_STUB_GPA - IGK_DIRECT_ROM_GPA))
        return "reset rom";
    return "ram";
}
