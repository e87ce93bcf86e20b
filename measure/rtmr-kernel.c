/* SPDX-License-Identifier: MIT */
/*
 * The Linux setup-header patch QEMU applies for a direct kernel boot
 * (QEMU hw/i386/x86.c, x86_load_linux; Linux Documentation/arch/x86/boot.rst
 * for the field offsets).  The patched header travels to OVMF in the fw_cfg
 * setup blob, OVMF reassembles setup + kernel into the image it loads, and
 * TDVF measures that image into RTMR1 -- so the digest depends on what QEMU
 * wrote here (docs/measure-tdx.md 5.2, RTMR1 event 1).
 */
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "rtmr-internal.h"
#include "util.h"

/* Setup header offsets (boot.rst "The real-mode kernel header"). */
#define HDR_OLD_CMD_LINE_MAGIC 0x020
#define HDR_OLD_CMD_LINE_OFFSET 0x022
#define HDR_HEADER_MAGIC 0x202 /* "HdrS" */
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_XLOADFLAGS 0x236

#define LOADED_HIGH 0x01
#define CAN_USE_HEAP 0x80
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x40
#define LOADER_TYPE_QEMU 0xb0

/* QEMU reads (and OVMF needs) at least this much of the image. */
#define MIN_KERNEL_SIZE 0x1000

/*
 * q35 splits RAM at 2 GiB when it reaches 0xB0000000 and at 0xB0000000
 * otherwise (QEMU hw/i386/pc_q35.c); below_4g is what lies under the split.
 */
static uint32_t below_4g_ram(uint64_t memory)
{
    uint64_t lowmem = memory >= 0xb0000000u ? 0x80000000u : 0xb0000000u;
    return (uint32_t)(memory >= lowmem ? lowmem : memory);
}

int igk_qemu_patch_kernel(const uint8_t *kernel, size_t kernel_len, size_t initrd_len,
                          uint64_t memory, uint32_t acpi_data_size, uint8_t **ret_image,
                          struct igk_qemu_kernel_patch *ret_patch, struct igk_error *err)
{
    struct igk_qemu_kernel_patch patch = {0};
    uint32_t real_addr;

    if (!kernel || kernel_len < MIN_KERNEL_SIZE)
        return igk_error_set(err, IGK_E_INVALID, "kernel image is too short (%zu bytes)",
                             kernel ? kernel_len : 0);
    /* Without the "HdrS" magic QEMU treats the image as protocol 0 (pre-2.00). */
    if (!memcmp(kernel + HDR_HEADER_MAGIC, "HdrS", 4))
        patch.protocol = igk_le16(kernel + HDR_VERSION);

    if (patch.protocol < 0x200 || !(kernel[HDR_LOADFLAGS] & LOADED_HIGH)) {
        real_addr = 0x90000;
        patch.cmdline_addr = 0x9a000;
    } else {
        real_addr = 0x10000;
        patch.cmdline_addr = 0x20000;
    }

    if (initrd_len > 0) {
        if (patch.protocol < 0x200)
            return igk_error_set(err, IGK_E_INVALID,
                                 "kernel boot protocol %#x is too old to load an initrd",
                                 patch.protocol);
        if (patch.protocol >= 0x20c &&
            (igk_le16(kernel + HDR_XLOADFLAGS) & XLF_CAN_BE_LOADED_ABOVE_4G))
            patch.initrd_max = UINT32_MAX;
        else if (patch.protocol >= 0x203)
            patch.initrd_max = igk_le32(kernel + HDR_INITRD_ADDR_MAX);
        else
            patch.initrd_max = 0x37ffffff;

        uint32_t below_4g = below_4g_ram(memory);
        if (below_4g <= acpi_data_size)
            return igk_error_set(err, IGK_E_INVALID,
                                 "guest memory %#llx is too small for the ACPI data",
                                 (unsigned long long)memory);
        if (patch.initrd_max >= below_4g - acpi_data_size)
            patch.initrd_max = below_4g - acpi_data_size - 1;
        if (initrd_len >= patch.initrd_max)
            return igk_error_set(err, IGK_E_INVALID,
                                 "initrd (%zu bytes) does not fit below %#x with %#llx bytes "
                                 "of guest memory",
                                 initrd_len, patch.initrd_max, (unsigned long long)memory);
        patch.initrd_address = (uint32_t)((patch.initrd_max - initrd_len) & ~(uint32_t)4095);
    }

    uint8_t *image = malloc(kernel_len);
    if (!image)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    memcpy(image, kernel, kernel_len);

    if (patch.protocol >= 0x200)
        image[HDR_TYPE_OF_LOADER] = LOADER_TYPE_QEMU;
    if (patch.protocol >= 0x201) {
        image[HDR_LOADFLAGS] |= CAN_USE_HEAP;
        /* heap_end_ptr is a 16-bit field; QEMU stores exactly 16 bits. */
        igk_put_le16(image + HDR_HEAP_END_PTR,
                     (uint16_t)(patch.cmdline_addr - real_addr - 0x200));
    }
    if (patch.protocol >= 0x202) {
        igk_put_le32(image + HDR_CMD_LINE_PTR, patch.cmdline_addr);
    } else {
        igk_put_le16(image + HDR_OLD_CMD_LINE_MAGIC, 0xa33f);
        igk_put_le16(image + HDR_OLD_CMD_LINE_OFFSET,
                     (uint16_t)(patch.cmdline_addr - real_addr));
    }
    if (initrd_len > 0) {
        igk_put_le32(image + HDR_RAMDISK_IMAGE, patch.initrd_address);
        igk_put_le32(image + HDR_RAMDISK_SIZE, (uint32_t)initrd_len);
    }

    *ret_image = image;
    if (ret_patch)
        *ret_patch = patch;
    return 0;
}
