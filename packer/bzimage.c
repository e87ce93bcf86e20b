/* SPDX-License-Identifier: MIT */
/*
 * bzImage setup-header decoding (Linux boot protocol, boot.rst).  See
 * bzimage.h for the contract.
 */
#include "bzimage.h"

#include <stdio.h>

#include "le.h"

/* The last field direct boot reads is init_size (protocol 2.10+). */
#define BZ_NEEDED_HEADER_END (IGK_BZ_INIT_SIZE + 4u)

static int bz_fail(struct igk_error *err, uint64_t offset, int code, const char *what)
{
    igk_error_set_offset(err, offset);
    return igk_error_set(err, code, "%s", what);
}

int igk_bzimage_parse(const uint8_t *image, size_t size, struct igk_bzimage *ret,
                      struct igk_error *err)
{
    struct igk_bzimage bz = {0};
    char msg[256];

    /* boot.rst: the header signature "HdrS" at 0x202 marks protocol 2.00+;
     * anything without it (an ELF vmlinux, a compressed blob, random bytes)
     * is not something a boot loader can start. */
    if (!image || size < IGK_BZ_HEADER_MAGIC + 4u ||
        igk_le32(image + IGK_BZ_HEADER_MAGIC) != IGK_BZ_MAGIC_HDRS)
        return bz_fail(err, size < IGK_BZ_HEADER_MAGIC + 4u ? IGK_NO_OFFSET : IGK_BZ_HEADER_MAGIC,
                       IGK_E_INVALID,
                       "not a bzImage: no \"HdrS\" setup header signature at offset 0x202");
    if (igk_le16(image + IGK_BZ_BOOT_FLAG) != IGK_BZ_BOOT_FLAG_VALUE)
        return bz_fail(err, IGK_BZ_BOOT_FLAG, IGK_E_INVALID,
                       "not a bzImage: boot_flag at offset 0x1fe is not 0xaa55");

    bz.protocol = igk_le16(image + IGK_BZ_VERSION);
    if (bz.protocol < IGK_BZ_MIN_PROTOCOL) {
        snprintf(msg, sizeof(msg),
                 "kernel boot protocol %u.%02u is too old: direct boot needs 2.12 or later "
                 "(a 64-bit entry point announced in xloadflags)",
                 bz.protocol >> 8, bz.protocol & 0xFFu);
        return bz_fail(err, IGK_BZ_VERSION, IGK_E_INVALID, msg);
    }

    /* The byte after the jump opcode at 0x200 is the jump distance, i.e. the
     * header's length past 0x202 (boot.rst: "the end of the setup header can
     * be calculated as 0x202 + byte value at offset 0x201"). */
    bz.header_end = IGK_BZ_HEADER_MAGIC + image[IGK_BZ_JUMP + 1];
    if (bz.header_end < BZ_NEEDED_HEADER_END || bz.header_end > size) {
        snprintf(msg, sizeof(msg),
                 "truncated setup header: it ends at offset %#x, protocol 2.12 needs %#x "
                 "and the file has %zu bytes",
                 bz.header_end, BZ_NEEDED_HEADER_END, size);
        return bz_fail(err, IGK_BZ_JUMP + 1, IGK_E_INVALID, msg);
    }

    bz.setup_sects = image[IGK_BZ_SETUP_SECTS];
    /* boot.rst: "If this field is 0, the real value is 4." */
    bz.setup_size = ((uint32_t)(bz.setup_sects ? bz.setup_sects : 4u) + 1u) * 512u;
    if (bz.setup_size >= size) {
        snprintf(msg, sizeof(msg),
                 "setup code (%u sectors) runs past the end of the file (%zu bytes): "
                 "no protected-mode kernel",
                 bz.setup_size / 512u - 1u, size);
        return bz_fail(err, IGK_BZ_SETUP_SECTS, IGK_E_INVALID, msg);
    }

    /* boot.rst: syssize is the protected-mode code's size in 16-byte units
     * (32 bits from protocol 2.04, which 2.12 implies).  A file shorter than
     * that is truncated: the kernel would run off the end of what was loaded. */
    {
        uint64_t syssize = (uint64_t)igk_le32(image + IGK_BZ_SYSSIZE) * 16u;

        if (size - bz.setup_size < syssize) {
            snprintf(msg, sizeof(msg),
                     "truncated kernel: syssize says the protected-mode code is %llu bytes, "
                     "the file holds %zu after the %u-byte setup",
                     (unsigned long long)syssize, size - bz.setup_size, bz.setup_size);
            return bz_fail(err, IGK_BZ_SYSSIZE, IGK_E_INVALID, msg);
        }
    }

    bz.loadflags = image[IGK_BZ_LOADFLAGS];
    bz.xloadflags = igk_le16(image + IGK_BZ_XLOADFLAGS);
    if (!(bz.xloadflags & IGK_BZ_XLF_KERNEL_64)) {
        snprintf(msg, sizeof(msg),
                 "kernel has no 64-bit entry point (xloadflags %#x lacks XLF_KERNEL_64): "
                 "direct boot starts the kernel in long mode",
                 bz.xloadflags);
        return bz_fail(err, IGK_BZ_XLOADFLAGS, IGK_E_INVALID, msg);
    }

    bz.relocatable = image[IGK_BZ_RELOCATABLE] != 0;
    bz.kernel_alignment = igk_le32(image + IGK_BZ_KERNEL_ALIGNMENT);
    bz.pref_address = igk_le64(image + IGK_BZ_PREF_ADDRESS);
    bz.init_size = igk_le32(image + IGK_BZ_INIT_SIZE);
    bz.cmdline_size = igk_le32(image + IGK_BZ_CMDLINE_SIZE);
    bz.initrd_addr_max = igk_le32(image + IGK_BZ_INITRD_ADDR_MAX);

    if (bz.relocatable &&
        (bz.kernel_alignment < 4096u || (bz.kernel_alignment & (bz.kernel_alignment - 1u))))
        return bz_fail(err, IGK_BZ_KERNEL_ALIGNMENT, IGK_E_INVALID,
                       "kernel_alignment is not a power of two of at least 4096");
    if (bz.pref_address & 0xFFFu)
        return bz_fail(err, IGK_BZ_PREF_ADDRESS, IGK_E_INVALID,
                       "pref_address is not 4 KiB aligned");
    if (bz.init_size == 0)
        return bz_fail(err, IGK_BZ_INIT_SIZE, IGK_E_INVALID, "init_size is 0");

    bz.image = image;
    bz.image_size = size;
    bz.kernel = image + bz.setup_size;
    bz.kernel_size = size - bz.setup_size;
    *ret = bz;
    return 0;
}
