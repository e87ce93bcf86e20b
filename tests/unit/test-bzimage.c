/* SPDX-License-Identifier: MIT */
/*
 * bzImage setup-header parser: a synthetic image with the field values of
 * Debian's 6.1 kernel, then one mutation per refusal, each checked for the
 * exact error code, message and offset.
 */
#include <stdlib.h>
#include <string.h>

#include "bzimage.h"
#include "le.h"
#include "tap.h"

#define IMAGE_SIZE (64u * 1024u)

/* A minimal valid bzImage: 39 setup sectors, protocol 2.15, 64-bit entry. */
static void make_image(uint8_t *img)
{
    memset(img, 0, IMAGE_SIZE);
    img[IGK_BZ_SETUP_SECTS] = 39;
    igk_put_le16(img + IGK_BZ_BOOT_FLAG, 0xAA55);
    img[IGK_BZ_JUMP] = 0xEB;
    img[IGK_BZ_JUMP + 1] = 0x6A; /* header ends at 0x26C */
    igk_put_le32(img + IGK_BZ_HEADER_MAGIC, 0x53726448);
    igk_put_le16(img + IGK_BZ_VERSION, 0x020F);
    img[IGK_BZ_LOADFLAGS] = 0x01;
    igk_put_le32(img + IGK_BZ_CODE32_START, 0x100000);
    igk_put_le32(img + IGK_BZ_INITRD_ADDR_MAX, 0x7FFFFFFF);
    igk_put_le32(img + IGK_BZ_KERNEL_ALIGNMENT, 0x200000);
    img[IGK_BZ_RELOCATABLE] = 1;
    igk_put_le16(img + IGK_BZ_XLOADFLAGS, 0x7F);
    igk_put_le32(img + IGK_BZ_CMDLINE_SIZE, 0x7FF);
    igk_put_le64(img + IGK_BZ_PREF_ADDRESS, 0x1000000);
    igk_put_le32(img + IGK_BZ_INIT_SIZE, 0x3F98000);
}

static void expect_error(const uint8_t *img, size_t size, uint64_t offset, const char *message,
                         const char *name)
{
    struct igk_bzimage bz;
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_bzimage_parse(img, size, &bz, &err), IGK_E_INVALID, "%s: IGK_E_INVALID", name);
    is_str(err.message, message, "%s: message", name);
    is_int((long long)err.offset, (long long)offset, "%s: offset", name);
}

int main(void)
{
    uint8_t *img = malloc(IMAGE_SIZE);
    struct igk_bzimage bz;
    struct igk_error err;

    make_image(img);
    igk_error_clear(&err);
    is_int(igk_bzimage_parse(img, IMAGE_SIZE, &bz, &err), 0, "valid image parses");
    is_int(bz.protocol, 0x020F, "protocol 2.15");
    is_int(bz.setup_sects, 39, "setup_sects");
    is_int(bz.setup_size, 40 * 512, "setup_size = (39 + 1) * 512");
    is_int(bz.header_end, 0x26C, "header ends at 0x202 + 0x6a");
    is_int(bz.relocatable, 1, "relocatable");
    is_int(bz.kernel_alignment, 0x200000, "kernel_alignment");
    is_int((long long)bz.pref_address, 0x1000000, "pref_address");
    is_int(bz.init_size, 0x3F98000, "init_size");
    is_int(bz.cmdline_size, 0x7FF, "cmdline_size");
    is_int(bz.initrd_addr_max, 0x7FFFFFFF, "initrd_addr_max");
    is_int(bz.xloadflags, 0x7F, "xloadflags");
    ok(bz.kernel == img + 40 * 512, "kernel starts after the setup sectors");
    is_int((long long)bz.kernel_size, IMAGE_SIZE - 40 * 512, "kernel size");

    img[IGK_BZ_SETUP_SECTS] = 0;
    is_int(igk_bzimage_parse(img, IMAGE_SIZE, &bz, NULL), 0, "setup_sects 0 parses");
    is_int(bz.setup_size, 5 * 512, "setup_sects 0 means 4");

    make_image(img);
    memset(img, 0, IMAGE_SIZE);
    expect_error(img, IMAGE_SIZE, IGK_BZ_HEADER_MAGIC,
                 "not a bzImage: no \"HdrS\" setup header signature at offset 0x202", "zeros");
    expect_error(img, 100, IGK_NO_OFFSET,
                 "not a bzImage: no \"HdrS\" setup header signature at offset 0x202",
                 "100-byte file");
    expect_error(NULL, 0, IGK_NO_OFFSET,
                 "not a bzImage: no \"HdrS\" setup header signature at offset 0x202",
                 "empty file");

    make_image(img);
    igk_put_le16(img + IGK_BZ_BOOT_FLAG, 0);
    expect_error(img, IMAGE_SIZE, IGK_BZ_BOOT_FLAG,
                 "not a bzImage: boot_flag at offset 0x1fe is not 0xaa55", "boot flag");

    make_image(img);
    igk_put_le16(img + IGK_BZ_VERSION, 0x020B);
    expect_error(img, IMAGE_SIZE, IGK_BZ_VERSION,
                 "kernel boot protocol 2.11 is too old: direct boot needs 2.12 or later "
                 "(a 64-bit entry point announced in xloadflags)",
                 "protocol 2.11");

    make_image(img);
    igk_put_le16(img + IGK_BZ_XLOADFLAGS, 0x7E);
    expect_error(img, IMAGE_SIZE, IGK_BZ_XLOADFLAGS,
                 "kernel has no 64-bit entry point (xloadflags 0x7e lacks XLF_KERNEL_64): "
                 "direct boot starts the kernel in long mode",
                 "no XLF_KERNEL_64");

    make_image(img);
    img[IGK_BZ_JUMP + 1] = 0x60;
    expect_error(img, IMAGE_SIZE, IGK_BZ_JUMP + 1,
                 "truncated setup header: it ends at offset 0x262, protocol 2.12 needs 0x264 "
                 "and the file has 65536 bytes",
                 "short header");
    make_image(img);
    expect_error(img, 0x260, IGK_BZ_JUMP + 1,
                 "truncated setup header: it ends at offset 0x26c, protocol 2.12 needs 0x264 "
                 "and the file has 608 bytes",
                 "file ends inside the header");

    make_image(img);
    img[IGK_BZ_SETUP_SECTS] = 200;
    expect_error(img, IMAGE_SIZE, IGK_BZ_SETUP_SECTS,
                 "setup code (200 sectors) runs past the end of the file (65536 bytes): "
                 "no protected-mode kernel",
                 "setup past the end");

    make_image(img);
    igk_put_le32(img + IGK_BZ_KERNEL_ALIGNMENT, 0x300000);
    expect_error(img, IMAGE_SIZE, IGK_BZ_KERNEL_ALIGNMENT,
                 "kernel_alignment is not a power of two of at least 4096", "bad alignment");

    make_image(img);
    igk_put_le64(img + IGK_BZ_PREF_ADDRESS, 0x1000800);
    expect_error(img, IMAGE_SIZE, IGK_BZ_PREF_ADDRESS, "pref_address is not 4 KiB aligned",
                 "unaligned pref_address");

    make_image(img);
    igk_put_le32(img + IGK_BZ_INIT_SIZE, 0);
    expect_error(img, IMAGE_SIZE, IGK_BZ_INIT_SIZE, "init_size is 0", "init_size 0");

    /* issue 12: syssize promises more protected-mode code than the file holds. */
    make_image(img);
    igk_put_le32(img + IGK_BZ_SYSSIZE, (IMAGE_SIZE - 40 * 512) / 16);
    igk_error_clear(&err);
    is_int(igk_bzimage_parse(img, IMAGE_SIZE, &bz, &err), 0, "syssize = the file: parses");
    igk_put_le32(img + IGK_BZ_SYSSIZE, (IMAGE_SIZE - 40 * 512) / 16 + 1);
    expect_error(img, IMAGE_SIZE, IGK_BZ_SYSSIZE,
                 "truncated kernel: syssize says the protected-mode code is 45072 bytes, the file "
                 "holds 45056 after the 20480-byte setup",
                 "syssize one paragraph past the end");
    igk_put_le32(img + IGK_BZ_SYSSIZE, (IMAGE_SIZE - 40 * 512) / 16);
    expect_error(img, 40 * 512 + 1, IGK_BZ_SYSSIZE,
                 "truncated kernel: syssize says the protected-mode code is 45056 bytes, the file "
                 "holds 1 after the 20480-byte setup",
                 "setup + 1 byte");

    free(img);
    return tap_done();
}
