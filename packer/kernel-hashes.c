/* SPDX-License-Identifier: MIT */
/*
 * SEV kernel-hashes page (docs/firmware.md section 3) and the kernel and
 * command-line checks that go with it.
 */
#include <string.h>

#include "bzimage.h"
#include "kernel-hashes.h"
#include "le.h"
#include "util.h"

static const uint8_t guid_table[16] =
    IGK_EFI_GUID(0x9438d606, 0x4f22, 0x4cc9, 0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21);
static const uint8_t guid_cmdline[16] =
    IGK_EFI_GUID(0x97d02dd8, 0xbd20, 0x4c94, 0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a);
static const uint8_t guid_initrd[16] =
    IGK_EFI_GUID(0x44baf731, 0x3a2f, 0x4bd7, 0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d);
static const uint8_t guid_kernel[16] =
    IGK_EFI_GUID(0x4de79437, 0xabd2, 0x427f, 0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b);

#define ENTRY_SIZE 50u /* GUID + u16 length + SHA-256 */
_Static_assert(16 + 2 + 3 * ENTRY_SIZE == IGK_KERNEL_HASHES_TABLE_LEN, "hash table length");
_Static_assert(IGK_KERNEL_HASHES_TABLE_SIZE % 16 == 0 &&
                   IGK_KERNEL_HASHES_TABLE_SIZE - IGK_KERNEL_HASHES_TABLE_LEN < 16,
               "hash table padding");

int igk_kernel_check_bzimage(const uint8_t *kernel, size_t size, const char *path,
                             struct igk_bzimage_info *ret, struct igk_error *err)
{
    /* Only what the firmware path needs: direct boot parses the whole setup
     * header (bzimage.h), which also demands protocol 2.12. */
    if (size < IGK_BZ_CMDLINE_SIZE + 4 ||
        igk_le32(kernel + IGK_BZ_HEADER_MAGIC) != IGK_BZ_MAGIC_HDRS) {
        igk_error_set(err, IGK_E_INVALID,
                      "not an x86 bzImage (no \"HdrS\" setup header magic at offset 0x202)");
        igk_error_set_path(err, path);
        igk_error_set_offset(err, IGK_BZ_HEADER_MAGIC);
        return IGK_E_INVALID;
    }
    ret->protocol = igk_le16(kernel + IGK_BZ_VERSION);
    /* cmdline_size exists from boot protocol 2.06; older kernels take 255 bytes. */
    ret->cmdline_size = ret->protocol >= 0x206 ? igk_le32(kernel + IGK_BZ_CMDLINE_SIZE) : 255;
    return 0;
}

int igk_cmdline_check(const char *cmdline, const struct igk_bzimage_info *kernel,
                      const char *kernel_path, struct igk_error *err)
{
    size_t len = strlen(cmdline);

    if (len > IGK_CMDLINE_MAX)
        return igk_error_set(err, IGK_E_INVALID,
                             "command line is %zu bytes; the firmware path accepts at most %u",
                             len, IGK_CMDLINE_MAX);
    if (kernel && len > kernel->cmdline_size) {
        igk_error_set(err, IGK_E_INVALID,
                      "command line is %zu bytes; the kernel accepts at most %u (cmdline_size "
                      "in its setup header)",
                      len, kernel->cmdline_size);
        igk_error_set_path(err, kernel_path);
        return IGK_E_INVALID;
    }
    return 0;
}

static void put_entry(uint8_t *p, const uint8_t guid[16], const uint8_t sha[32])
{
    memcpy(p, guid, 16);
    igk_put_le16(p + 16, ENTRY_SIZE);
    memcpy(p + 18, sha, 32);
}

void igk_kernel_hashes_table(const uint8_t cmdline_sha256[32], const uint8_t initrd_sha256[32],
                             const uint8_t kernel_sha256[32],
                             uint8_t out[IGK_KERNEL_HASHES_TABLE_SIZE])
{
    memset(out, 0, IGK_KERNEL_HASHES_TABLE_SIZE);
    memcpy(out, guid_table, 16);
    igk_put_le16(out + 16, IGK_KERNEL_HASHES_TABLE_LEN);
    put_entry(out + 18, guid_cmdline, cmdline_sha256);
    put_entry(out + 18 + ENTRY_SIZE, guid_initrd, initrd_sha256);
    put_entry(out + 18 + 2 * ENTRY_SIZE, guid_kernel, kernel_sha256);
}

static int invalid(struct igk_error *err, const char *path, uint64_t offset, const char *msg)
{
    igk_error_set(err, IGK_E_INVALID, "%s", msg);
    igk_error_set_path(err, path);
    igk_error_set_offset(err, offset);
    return IGK_E_INVALID;
}

int igk_kernel_hashes_page(const struct igk_ovmf_info *info, const char *firmware_path,
                           const uint8_t *kernel, size_t kernel_size, const uint8_t *initrd,
                           size_t initrd_size, const char *cmdline, uint8_t page[4096],
                           struct igk_error *err)
{
    const struct igk_sev_section *s =
        igk_ovmf_find_sev_section(info, IGK_SEV_SECTION_SNP_KERNEL_HASHES);
    uint8_t cmd_sha[32], initrd_sha[32], kernel_sha[32];
    uint8_t table[IGK_KERNEL_HASHES_TABLE_SIZE];
    uint32_t in_page;

    /* sev-snp-measure's wording: the firmware cannot check a kernel it has no page for. */
    if (!s)
        return invalid(err, firmware_path, IGK_NO_OFFSET,
                       "kernel specified but the OVMF metadata has no SNP_KERNEL_HASHES "
                       "section");
    if (s->size != 4096)
        return invalid(err, firmware_path, s->file_offset,
                       "SNP_KERNEL_HASHES section is not exactly one 4096-byte page");
    if (!info->has_hash_table || info->hash_table_size < IGK_KERNEL_HASHES_TABLE_SIZE)
        return invalid(err, firmware_path, info->table_offset,
                       "firmware has an SNP_KERNEL_HASHES section but no SEV hash-table area "
                       "of at least 176 bytes (GUID 7255371f-3a3b-4b04-927b-1da6efa8d454)");
    in_page = info->hash_table_gpa & 0xFFFu;
    if ((info->hash_table_gpa & ~0xFFFu) != s->gpa ||
        in_page + IGK_KERNEL_HASHES_TABLE_SIZE > 4096)
        return invalid(err, firmware_path, s->file_offset,
                       "the SEV hash-table area does not lie inside the SNP_KERNEL_HASHES page");

    /* The command line is hashed with its NUL; no command line is the lone NUL. */
    if (igk_sha256(cmdline ? cmdline : "", cmdline ? strlen(cmdline) + 1 : 1, cmd_sha) < 0 ||
        igk_sha256(initrd ? initrd : (const uint8_t *)"", initrd ? initrd_size : 0,
                   initrd_sha) < 0 ||
        igk_sha256(kernel, kernel_size, kernel_sha) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
    igk_kernel_hashes_table(cmd_sha, initrd_sha, kernel_sha, table);
    memset(page, 0, 4096);
    memcpy(page + in_page, table, sizeof(table));
    return 0;
}
