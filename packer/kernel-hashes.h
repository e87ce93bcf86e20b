/* SPDX-License-Identifier: MIT */
/*
 * The SEV kernel-hashes page (internal): the table QEMU's "kernel-hashes"
 * option writes into the OVMF-declared page so that OVMF can check the
 * kernel, initrd and command line it loads from fw_cfg (docs/firmware.md
 * section 3), plus the checks on those inputs the packer makes before it
 * promises a digest for them.
 */
#ifndef IGK_KERNEL_HASHES_H
#define IGK_KERNEL_HASHES_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

#include "ovmf.h"

#define IGK_KERNEL_HASHES_TABLE_LEN 168u  /* the table's own length field */
#define IGK_KERNEL_HASHES_TABLE_SIZE 176u /* padded to 16: what QEMU copies */

/*
 * Longest command line accepted whatever the kernel: 4095 bytes plus the NUL
 * (one 4 KiB page).  QEMU hands the string to OVMF through fw_cfg and OVMF
 * passes it to the kernel's EFI stub, which copies at most the kernel's
 * COMMAND_LINE_SIZE (2048 on x86 today, 4096 at most on any architecture);
 * a longer string would be hashed in full but silently truncated by the
 * kernel.  When a kernel is given its own setup-header limit applies too.
 */
#define IGK_CMDLINE_MAX 4095u

/* The bzImage facts the packer checks (boot protocol, "HdrS" header at 0x202). */
struct igk_bzimage_info {
    uint16_t protocol;     /* setup header version, e.g. 0x020f */
    uint32_t cmdline_size; /* longest command line without the NUL */
};

/*
 * Checks that kernel is an x86 bzImage (magic "HdrS" at 0x202) and reads its
 * command-line limit (cmdline_size at 0x238 from protocol 2.06; 255 before).
 * IGK_E_INVALID with path otherwise.
 */
int igk_kernel_check_bzimage(const uint8_t *kernel, size_t size, const char *path,
                             struct igk_bzimage_info *ret, struct igk_error *err);

/* Checks a command line against IGK_CMDLINE_MAX and, if kernel != NULL, its limit. */
int igk_cmdline_check(const char *cmdline, const struct igk_bzimage_info *kernel,
                      const char *kernel_path, struct igk_error *err);

/*
 * The 176-byte table: header GUID, u16 168, then cmdline, initrd and kernel
 * entries (GUID, u16 50, SHA-256), zero padding.
 */
void igk_kernel_hashes_table(const uint8_t cmdline_sha256[32], const uint8_t initrd_sha256[32],
                             const uint8_t kernel_sha256[32],
                             uint8_t out[IGK_KERNEL_HASHES_TABLE_SIZE]);

/*
 * The measured 4096-byte page for the firmware's SNP_KERNEL_HASHES section:
 * zeros with the table at (hash-table GPA & 0xFFF).  cmdline NULL hashes
 * the single NUL byte; initrd NULL hashes the empty string.  Errors
 * (IGK_E_INVALID, naming firmware_path): no SNP_KERNEL_HASHES section, a
 * section that is not one page, a missing or too small hash-table area, a
 * table outside the section's page.
 */
int igk_kernel_hashes_page(const struct igk_ovmf_info *info, const char *firmware_path,
                           const uint8_t *kernel, size_t kernel_size, const uint8_t *initrd,
                           size_t initrd_size, const char *cmdline, uint8_t page[4096],
                           struct igk_error *err);

#endif /* IGK_KERNEL_HASHES_H */
