/* SPDX-License-Identifier: MIT */
/*
 * The SEV kernel-hashes table and page (docs/firmware.md section 3),
 * the bzImage and command-line checks, and the page's refusals.
 */
#include <string.h>

#include "kernel-hashes.h"
#include "le.h"
#include "tap.h"
#include "util.h"

#define SHA256_NUL "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void test_table(void)
{
    uint8_t a[32], b[32], c[32], t[IGK_KERNEL_HASHES_TABLE_SIZE];

    memset(a, 0x11, 32);
    memset(b, 0x22, 32);
    memset(c, 0x33, 32);
    igk_kernel_hashes_table(a, b, c, t);
    is_hex(t, 16, "06d63894224fc94cb479a793d411fd21", "table GUID 9438d606-... in EFI order");
    is_int(igk_le16(t + 16), 168, "table length 168 (without padding)");
    is_hex(t + 18, 16, "d82dd09720bd944caa78e7714d36ab2a", "cmdline entry GUID");
    is_int(igk_le16(t + 34), 50, "cmdline entry length");
    ok(t[36] == 0x11 && t[67] == 0x11, "cmdline digest");
    is_hex(t + 68, 16, "31f7ba442f3ad74b9af141e29169781d", "initrd entry GUID");
    ok(t[86] == 0x22 && t[117] == 0x22, "initrd digest");
    is_hex(t + 118, 16, "3794e74dd2ab7f42b835d5b172d2045b", "kernel entry GUID");
    ok(t[136] == 0x33 && t[167] == 0x33, "kernel digest");
    is_hex(t + 168, 8, "0000000000000000", "zero padding to 176");
}

static struct igk_ovmf_info kh_info(void)
{
    struct igk_ovmf_info info;

    memset(&info, 0, sizeof(info));
    info.n_sev = 1;
    info.sev[0] = (struct igk_sev_section){0x810000, 0x1000, IGK_SEV_SECTION_SNP_KERNEL_HASHES,
                                           0x1234};
    info.has_hash_table = true;
    info.hash_table_gpa = 0x810C00;
    info.hash_table_size = 0x400;
    return info;
}

static void refuse(const struct igk_ovmf_info *info, const char *message, const char *name)
{
    uint8_t page[4096];
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_kernel_hashes_page(info, "fw.fd", (const uint8_t *)"k", 1, NULL, 0, NULL, page,
                                  &err),
           IGK_E_INVALID, "%s: refused", name);
    is_str(err.message, message, "%s: message", name);
    is_str(err.path, "fw.fd", "%s: path", name);
}

static void test_page(void)
{
    struct igk_ovmf_info info = kh_info();
    uint8_t page[4096], sha[32], zero[4096] = {0};

    is_int(igk_kernel_hashes_page(&info, "fw.fd", (const uint8_t *)"kernel", 6, NULL, 0, NULL,
                                  page, NULL),
           0, "page without initrd and cmdline");
    ok(memcmp(page, zero, 0xC00) == 0, "zeros before the table");
    is_hex(page + 0xC00, 16, "06d63894224fc94cb479a793d411fd21", "table at hash-table GPA & 0xFFF");
    is_hex(page + 0xC00 + 36, 32, SHA256_NUL, "no command line hashes the lone NUL");
    is_hex(page + 0xC00 + 86, 32, SHA256_EMPTY, "no initrd hashes the empty string");
    igk_sha256("kernel", 6, sha);
    is_mem(page + 0xC00 + 136, sha, 32, "kernel digest");
    ok(memcmp(page + 0xC00 + 176, zero, 4096 - 0xC00 - 176) == 0, "zeros after the table");

    is_int(igk_kernel_hashes_page(&info, "fw.fd", (const uint8_t *)"kernel", 6,
                                  (const uint8_t *)"init", 4, "ro", page, NULL),
           0, "page with initrd and cmdline");
    igk_sha256("ro", 3, sha);
    is_mem(page + 0xC00 + 36, sha, 32, "command line hashed with its NUL");
    igk_sha256("init", 4, sha);
    is_mem(page + 0xC00 + 86, sha, 32, "initrd digest");

    info.n_sev = 0;
    refuse(&info, "kernel specified but the OVMF metadata has no SNP_KERNEL_HASHES section",
           "no SNP_KERNEL_HASHES");
    info = kh_info();
    info.sev[0].size = 0x2000;
    refuse(&info, "SNP_KERNEL_HASHES section is not exactly one 4096-byte page", "two pages");
    info = kh_info();
    info.has_hash_table = false;
    refuse(&info,
           "firmware has an SNP_KERNEL_HASHES section but no SEV hash-table area of at least 176 "
           "bytes (GUID 7255371f-3a3b-4b04-927b-1da6efa8d454)",
           "no hash-table area");
    info = kh_info();
    info.hash_table_gpa = 0x810F80;
    refuse(&info, "the SEV hash-table area does not lie inside the SNP_KERNEL_HASHES page",
           "table crossing the page end");
    info = kh_info();
    info.hash_table_gpa = 0x900C00;
    refuse(&info, "the SEV hash-table area does not lie inside the SNP_KERNEL_HASHES page",
           "table in another page");
}

static void test_checks(void)
{
    uint8_t k[0x300] = {0};
    struct igk_bzimage_info bz;
    struct igk_error err;
    char line[4097];

    igk_error_clear(&err);
    is_int(igk_kernel_check_bzimage(k, sizeof(k), "vmlinux", &bz, &err), IGK_E_INVALID,
           "no HdrS: refused");
    is_str(err.message, "not an x86 bzImage (no \"HdrS\" setup header magic at offset 0x202)",
           "no HdrS: message");
    is_int(err.offset, 0x202, "no HdrS: offset");
    memcpy(k + 0x202, "HdrS", 4);
    igk_error_clear(&err);
    is_int(igk_kernel_check_bzimage(k, 0x210, "short", &bz, &err), IGK_E_INVALID,
           "truncated header refused");
    igk_put_le16(k + 0x206, 0x205);
    is_int(igk_kernel_check_bzimage(k, sizeof(k), "old", &bz, NULL), 0, "protocol 2.05 accepted");
    is_int(bz.cmdline_size, 255, "protocol < 2.06: 255-byte command line");
    igk_put_le16(k + 0x206, 0x20F);
    igk_put_le32(k + 0x238, 2047);
    is_int(igk_kernel_check_bzimage(k, sizeof(k), "new", &bz, NULL), 0, "protocol 2.15 accepted");
    is_int(bz.cmdline_size, 2047, "cmdline_size read from the header");

    memset(line, 'x', sizeof(line));
    line[2047] = 0;
    is_int(igk_cmdline_check(line, &bz, "k", NULL), 0, "2047 bytes fit the kernel");
    line[2047] = 'x';
    line[2048] = 0;
    igk_error_clear(&err);
    is_int(igk_cmdline_check(line, &bz, "k", &err), IGK_E_INVALID, "2048 bytes refused");
    is_str(err.message,
           "command line is 2048 bytes; the kernel accepts at most 2047 (cmdline_size in its "
           "setup header)",
           "kernel limit message");
    memset(line, 'x', sizeof(line));
    line[4096] = 0;
    igk_error_clear(&err);
    is_int(igk_cmdline_check(line, NULL, NULL, &err), IGK_E_INVALID, "4096 bytes refused");
    is_str(err.message, "command line is 4096 bytes; the firmware path accepts at most 4095",
           "firmware limit message");
    line[4095] = 0;
    is_int(igk_cmdline_check(line, NULL, NULL, NULL), 0, "4095 bytes accepted without kernel");
}

int main(void)
{
    test_table();
    test_page();
    test_checks();
    return tap_done();
}
