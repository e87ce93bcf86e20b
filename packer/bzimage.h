/* SPDX-License-Identifier: MIT */
/*
 * bzImage setup-header parser (internal).
 *
 * A bzImage starts with the real-mode setup code; its "setup header" at
 * offset 0x1F1 describes how a boot loader must place the protected-mode
 * kernel (Linux Documentation/arch/x86/boot.rst, "The real-mode kernel
 * header").  igk_bzimage_parse() decodes the fields direct boot needs and
 * refuses anything a firmware-less 64-bit loader cannot start: files that
 * are not a bzImage, boot protocols before 2.12 and kernels without a
 * 64-bit entry point.  Every offset is bounds-checked against the file
 * size; nothing is cast over the file bytes.
 *
 * The packer's "is this a kernel?" check may call it too: it touches only
 * the first 64 KiB of the image and never allocates.
 */
#ifndef IGK_BZIMAGE_H
#define IGK_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

/* Setup-header offsets in the image and in boot_params (boot.rst). */
#define IGK_BZ_HDR_START 0x1F1u       /* setup_sects: first header byte   */
#define IGK_BZ_SETUP_SECTS 0x1F1u
#define IGK_BZ_SYSSIZE 0x1F4u         /* protected-mode size / 16 (2.04+) */
#define IGK_BZ_BOOT_FLAG 0x1FEu       /* 0xAA55                           */
#define IGK_BZ_JUMP 0x200u            /* byte 0x201 = header length - 0x202 */
#define IGK_BZ_HEADER_MAGIC 0x202u    /* "HdrS"                           */
#define IGK_BZ_VERSION 0x206u
#define IGK_BZ_TYPE_OF_LOADER 0x210u
#define IGK_BZ_LOADFLAGS 0x211u
#define IGK_BZ_CODE32_START 0x214u
#define IGK_BZ_RAMDISK_IMAGE 0x218u
#define IGK_BZ_RAMDISK_SIZE 0x21Cu
#define IGK_BZ_CMD_LINE_PTR 0x228u
#define IGK_BZ_INITRD_ADDR_MAX 0x22Cu
#define IGK_BZ_KERNEL_ALIGNMENT 0x230u
#define IGK_BZ_RELOCATABLE 0x234u
#define IGK_BZ_XLOADFLAGS 0x236u
#define IGK_BZ_CMDLINE_SIZE 0x238u
#define IGK_BZ_SETUP_DATA 0x250u
#define IGK_BZ_PREF_ADDRESS 0x258u
#define IGK_BZ_INIT_SIZE 0x260u

#define IGK_BZ_MAGIC_HDRS 0x53726448u /* "HdrS" little endian */
#define IGK_BZ_BOOT_FLAG_VALUE 0xAA55u
#define IGK_BZ_MIN_PROTOCOL 0x020Cu   /* 2.12: xloadflags, 64-bit entry   */
#define IGK_BZ_XLF_KERNEL_64 0x1u     /* xloadflags bit 0                 */
#define IGK_BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x2u
#define IGK_BZ_STARTUP_64_OFFSET 0x200u /* startup_64 = load address + 0x200 */

struct igk_bzimage {
    uint16_t protocol;          /* e.g. 0x020F for 2.15                  */
    uint8_t setup_sects;        /* as stored (0 means 4)                 */
    uint32_t setup_size;        /* (setup_sects + 1) * 512: where the    */
                                /* protected-mode kernel starts          */
    uint32_t header_end;        /* first byte after the setup header     */
    uint8_t loadflags;
    uint16_t xloadflags;
    bool relocatable;
    uint32_t kernel_alignment;
    uint64_t pref_address;
    uint32_t init_size;         /* linear memory the kernel needs at load */
    uint32_t cmdline_size;      /* longest command line, without the NUL */
    uint32_t initrd_addr_max;   /* highest byte address of the initrd    */

    const uint8_t *image;       /* borrowed: the whole file              */
    size_t image_size;
    const uint8_t *kernel;      /* protected-mode kernel = image + setup_size */
    size_t kernel_size;
};

/*
 * Decodes the setup header of the bzImage in image[0..size).  Errors
 * (IGK_E_INVALID, with err->offset at the offending field): not a bzImage,
 * setup header or setup code running past the end of the file, boot
 * protocol older than 2.12, no 64-bit entry point (XLF_KERNEL_64 clear).
 * The result borrows image.
 */
int igk_bzimage_parse(const uint8_t *image, size_t size, struct igk_bzimage *ret,
                      struct igk_error *err);

#endif /* IGK_BZIMAGE_H */
