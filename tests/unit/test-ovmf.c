/* SPDX-License-Identifier: MIT */
/*
 * OVMF footer table, SEV metadata and TDVF metadata parser (packer/ovmf.c):
 * the real Debian OVMF images and the kernel-hashes test firmware decode to
 * the tables of docs/firmware.md sections 2 and 4 (values of Debian 12
 * OVMF), and every malformed table in a synthetic image is refused
 * with its exact message and byte offset.
 */
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "ovmf.h"
#include "tap.h"
#include "util.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE.fd"
#define OVMF_COMBINED "/usr/share/ovmf/OVMF.fd"
#define OVMF_CODE_SHA256 "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106"
#define OVMF_COMBINED_SHA256 "7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773"

/* Maps a Debian reference file when it is there with the expected digest. */
static bool map_reference(const char *path, const char *sha256_hex, struct igk_mapped_file *m)
{
    uint8_t sha[32];
    char hex[65];

    if (igk_map_file(path, m, NULL) < 0)
        return false;
    igk_sha256(m->data, m->size, sha);
    igk_hex_encode(sha, 32, hex);
    if (strcmp(hex, sha256_hex) != 0) {
        igk_unmap_file(m);
        return false;
    }
    return true;
}

static void test_debian_code(void)
{
    struct igk_mapped_file m;
    struct igk_ovmf_info info;
    static const uint32_t sev[][3] = {
        {0x800000, 0x9000, 1}, {0x80A000, 0x3000, 1}, {0x80D000, 0, 2},
        {0x80E000, 0, 3},      {0x80F000, 0x11000, 1},
    };

    if (!map_reference(OVMF_CODE, OVMF_CODE_SHA256, &m)) {
        ok(true, "# SKIP %s (Debian ovmf 2022.11-6+deb12u2) not installed", OVMF_CODE);
        return;
    }
    is_int(igk_ovmf_parse(m.data, m.size, OVMF_CODE, &info, NULL), 0, "OVMF_CODE.fd parses");
    ok(info.has_reset_block, "reset block present");
    is_int(info.reset_eip, 0x80B004, "AP reset EIP 0x80B004");
    ok(info.has_sev_metadata, "SEV metadata present");
    is_int(info.sev_metadata_offset, m.size - 0x52C, "ASEV at 0x52C from the end");
    is_int(info.n_sev, 5, "five SEV metadata sections");
    for (size_t i = 0; i < 5 && i < info.n_sev; i++) {
        if (sev[i][2] == 1)
            is_int(info.sev[i].size, sev[i][1], "section %zu size", i);
        is_int(info.sev[i].gpa, sev[i][0], "section %zu gpa", i);
        is_int(info.sev[i].type, sev[i][2], "section %zu type", i);
    }
    ok(info.has_hash_table && info.hash_table_gpa == 0 && info.hash_table_size == 0,
       "hash-table entry present and 0/0");
    ok(info.has_secret_block && info.secret_gpa == 0 && info.secret_size == 0,
       "secret block present and 0/0");
    ok(info.has_tdvf, "TDVF metadata present");
    is_int(info.tdvf_offset, m.size - 0x840, "TDVF at 0x840 from the end");
    is_int(info.n_tdvf, 6, "six TDVF sections");
    /* The split-image trap: BFV data lies past the end of the CODE file. */
    is_int(info.tdvf[0].type, IGK_TDVF_BFV, "section 0 is BFV");
    is_int(info.tdvf[0].data_offset, 0x20000, "BFV data offset 0x20000");
    is_int(info.tdvf[0].raw_size, 0x1E0000, "BFV raw size 0x1E0000");
    is_int(info.tdvf[0].gpa, 0xFFE20000, "BFV gpa");
    is_int(info.tdvf[0].attributes, IGK_TDVF_ATTR_MR_EXTEND, "BFV is MR.EXTEND");
    igk_unmap_file(&m);
}

static void test_debian_combined(void)
{
    struct igk_mapped_file m;
    struct igk_ovmf_info info;
    /* Debian OVMF TDVF sections: BFV, CFV, TempMem, TempMem, TD_HOB, TempMem. */
    static const uint64_t want[][4] = {
        {0, 0xFFE20000, 0x1E0000, 1}, {1, 0xFFE00000, 0x20000, 0}, {3, 0x810000, 0x10000, 0},
        {3, 0x80B000, 0x2000, 0},     {2, 0x809000, 0x2000, 0},    {3, 0x800000, 0x6000, 0},
    };

    if (!map_reference(OVMF_COMBINED, OVMF_COMBINED_SHA256, &m)) {
        ok(true, "# SKIP %s (Debian ovmf 2022.11-6+deb12u2) not installed", OVMF_COMBINED);
        return;
    }
    is_int(igk_ovmf_parse(m.data, m.size, OVMF_COMBINED, &info, NULL), 0, "OVMF.fd parses");
    is_int(info.n_tdvf, 6, "six TDVF sections");
    for (size_t i = 0; i < 6 && i < info.n_tdvf; i++) {
        is_int(info.tdvf[i].type, (long long)want[i][0], "TDVF %zu type %s", i,
               igk_tdvf_section_name((uint32_t)want[i][0]));
        is_int(info.tdvf[i].gpa, (long long)want[i][1], "TDVF %zu gpa", i);
        is_int(info.tdvf[i].memory_size, (long long)want[i][2], "TDVF %zu memory size", i);
        is_int(info.tdvf[i].attributes, (long long)want[i][3], "TDVF %zu attributes", i);
    }
    is_int(info.tdvf[1].data_offset, 0, "CFV starts the combined image");
    is_int(info.tdvf[1].raw_size, 0x20000, "CFV raw size");
    igk_unmap_file(&m);
}

static void test_kernel_hashes_fixture(void)
{
    struct igk_mapped_file m;
    struct igk_ovmf_info info;
    const struct igk_sev_section *kh;
    char path[4096];

    snprintf(path, sizeof(path), "%s/tests/data/snp/snp_fw_kh.fd", getenv("top_srcdir") ?: ".");
    if (!ok(igk_map_file(path, &m, NULL) == 0, "snp_fw_kh.fd maps"))
        return;
    is_int(igk_ovmf_parse(m.data, m.size, path, &info, NULL), 0, "snp_fw_kh.fd parses");
    kh = igk_ovmf_find_sev_section(&info, IGK_SEV_SECTION_SNP_KERNEL_HASHES);
    ok(kh && kh->gpa == 0x810000 && kh->size == 0x1000, "SNP_KERNEL_HASHES at 0x810000, 4 KiB");
    ok(info.has_hash_table && info.hash_table_gpa == 0x810C00, "hash table GPA 0x810C00");
    ok(info.hash_table_size >= 176, "hash table area holds the 176-byte table");
    ok(info.has_reset_block, "reset block present");
    igk_unmap_file(&m);
}

/* ---- synthetic images ---- */

#define IMG_SIZE 0x10000u
#define FOOTER (IMG_SIZE - 32 - 18)

static const uint8_t g_footer[16] =
    IGK_EFI_GUID(0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
static const uint8_t g_reset[16] =
    IGK_EFI_GUID(0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e);
static const uint8_t g_sev[16] =
    IGK_EFI_GUID(0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc);
static const uint8_t g_tdx[16] =
    IGK_EFI_GUID(0xe47a6535, 0x984a, 0x4798, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2);
static const uint8_t g_other[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

struct img {
    uint8_t b[IMG_SIZE];
    uint32_t top; /* where the next entry ends */
};

static void img_init(struct img *im)
{
    memset(im->b, 0, sizeof(im->b));
    memcpy(im->b + FOOTER + 2, g_footer, 16);
    im->top = FOOTER;
}

static uint32_t img_entry(struct img *im, const uint8_t guid[16], const void *payload,
                          uint32_t plen)
{
    im->top -= 18 + plen;
    memcpy(im->b + im->top, payload, plen);
    igk_put_le16(im->b + im->top + plen, (uint16_t)(18 + plen));
    memcpy(im->b + im->top + plen + 2, guid, 16);
    return im->top + plen; /* the entry header's offset */
}

static void img_finish(struct img *im)
{
    igk_put_le16(im->b + FOOTER, (uint16_t)(FOOTER - im->top + 18));
}

/* A good image: reset block, ASEV at 0x1000 with two sections, TDVF at 0x2000 with one. */
static uint32_t hdr_reset, hdr_sev;

static void img_good(struct img *im)
{
    uint8_t p[4];

    img_init(im);
    igk_put_le32(p, 0x80B004);
    hdr_reset = img_entry(im, g_reset, p, 4);
    igk_put_le32(p, IMG_SIZE - 0x1000);
    hdr_sev = img_entry(im, g_sev, p, 4);
    igk_put_le32(p, IMG_SIZE - 0x2000);
    img_entry(im, g_tdx, p, 4);
    img_entry(im, g_other, "xyz", 3);
    img_finish(im);

    memcpy(im->b + 0x1000, "ASEV", 4);
    igk_put_le32(im->b + 0x1004, 16 + 2 * 12);
    igk_put_le32(im->b + 0x1008, 1);
    igk_put_le32(im->b + 0x100C, 2);
    igk_put_le32(im->b + 0x1010, 0x800000);
    igk_put_le32(im->b + 0x1014, 0x1000);
    igk_put_le32(im->b + 0x1018, 1);
    igk_put_le32(im->b + 0x101C, 0x801000);
    igk_put_le32(im->b + 0x1020, 0);
    igk_put_le32(im->b + 0x1024, 2);

    memcpy(im->b + 0x2000, "TDVF", 4);
    igk_put_le32(im->b + 0x2004, 16 + 32);
    igk_put_le32(im->b + 0x2008, 1);
    igk_put_le32(im->b + 0x200C, 1);
    igk_put_le32(im->b + 0x2010, 0);          /* data offset */
    igk_put_le32(im->b + 0x2014, IMG_SIZE);   /* raw size */
    igk_put_le64(im->b + 0x2018, 0xFFFF0000); /* gpa */
    igk_put_le64(im->b + 0x2020, IMG_SIZE);   /* memory size */
    igk_put_le32(im->b + 0x2028, 0);          /* BFV */
    igk_put_le32(im->b + 0x202C, 1);          /* MR.EXTEND */
}

static struct img im;

static void expect_fail(const char *name, uint64_t offset, const char *message)
{
    struct igk_ovmf_info info;
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_ovmf_parse(im.b, IMG_SIZE, "fw.fd", &info, &err), IGK_E_INVALID, "%s: refused",
           name);
    is_str(err.message, message, "%s: message", name);
    is_str(err.path, "fw.fd", "%s: path", name);
    is_int(err.offset, (long long)offset, "%s: offset", name);
}

static void test_synthetic(void)
{
    struct igk_ovmf_info info;
    uint32_t hdr;

    img_good(&im);
    is_int(igk_ovmf_parse(im.b, IMG_SIZE, "fw.fd", &info, NULL), 0, "synthetic image parses");
    is_int(info.reset_eip, 0x80B004, "synthetic reset EIP");
    is_int(info.n_sev, 2, "synthetic SEV sections");
    is_int(info.sev[1].type, IGK_SEV_SECTION_SNP_SECRETS, "second section is SECRETS");
    is_int(info.n_tdvf, 1, "synthetic TDVF sections");
    is_int(info.tdvf[0].gpa, 0xFFFF0000, "TDVF gpa decoded as u64");
    is_int(info.table_size, FOOTER - info.table_offset + 18, "table size includes the footer");
    ok(!info.has_hash_table && !info.has_secret_block, "absent blocks stay absent");

    /* No footer GUID. */
    img_good(&im);
    im.b[FOOTER + 2] ^= 0xFF;
    expect_fail("no footer", FOOTER + 2,
                "no OVMF footer table (GUID 96b582de-1fb2-45f7-baea-a366c55a082d expected 32 "
                "bytes before the end of the image)");

    /* Footer length smaller than the footer entry. */
    img_good(&im);
    igk_put_le16(im.b + FOOTER, 17);
    expect_fail("footer length 17", FOOTER,
                "OVMF footer table: length 17 is smaller than its own 18-byte entry");

    /* An image too small for any table. */
    {
        struct igk_error err;

        igk_error_clear(&err);
        is_int(igk_ovmf_parse(im.b, 49, "tiny.fd", &info, &err), IGK_E_INVALID, "tiny refused");
        is_str(err.message,
               "no OVMF footer table: the 49-byte image is too small to hold one",
               "tiny: message");
    }

    /* Entry length smaller than its header (the first entry below the footer). */
    img_good(&im);
    hdr = hdr_reset;
    igk_put_le16(im.b + hdr, 5);
    expect_fail("entry length 5", hdr,
                "OVMF table entry: length 5 is smaller than its 18-byte header");

    /* Entry length running past the start of the table. */
    {
        char msg[256];

        img_good(&im);
        igk_put_le16(im.b + hdr, 0x7FFF);
        snprintf(msg, sizeof(msg),
                 "OVMF table entry: length 32767 runs past the start of the table at 0x%x",
                 im.top);
        expect_fail("entry length past table", hdr, msg);
    }

    /* Footer length larger than the image. */
    img_good(&im);
    igk_put_le16(im.b + FOOTER, 0xFFFF);
    expect_fail("footer past start", FOOTER,
                "OVMF footer table: length 65535 runs past the start of the image");

    /* SEV metadata offset (from the end) larger than the image. */
    img_good(&im);
    hdr = hdr_sev;
    igk_put_le32(im.b + hdr - 4, 0x20000);
    expect_fail("ASEV offset past start", hdr,
                "SEV metadata offset 0x20000 (counted from the end) does not fit in the "
                "65536-byte image");
    /* ... or too close to the end to hold the header. */
    img_good(&im);
    igk_put_le32(im.b + hdr - 4, 8);
    expect_fail("ASEV header past end", hdr,
                "SEV metadata offset 0x8 (counted from the end) does not fit in the "
                "65536-byte image");

    /* ASEV header fields. */
    img_good(&im);
    im.b[0x1000] = 'X';
    expect_fail("ASEV signature", 0x1000, "SEV metadata: bad signature (expected \"ASEV\")");
    img_good(&im);
    igk_put_le32(im.b + 0x1008, 2);
    expect_fail("ASEV version", 0x1008, "SEV metadata: unsupported version 2 (expected 1)");
    img_good(&im);
    igk_put_le32(im.b + 0x100C, 0xFFFFFFFF);
    expect_fail("ASEV count overflow", 0x100C,
                "SEV metadata: 4294967295 sections (at most 64 supported)");
    img_good(&im);
    igk_put_le32(im.b + 0x1004, 20);
    expect_fail("ASEV length", 0x1004,
                "SEV metadata: length 20 is too small for 2 sections (40 bytes)");
    img_good(&im);
    igk_put_le32(im.b + 0x1024, 7);
    expect_fail("ASEV unknown type", 0x1024, "SEV metadata section 1: unknown type 0x7");

    /* ASEV whose items run past the end of the image. */
    img_good(&im);
    igk_put_le32(im.b + hdr - 4, 0x20); /* ASEV 32 bytes before the end */
    memcpy(im.b + IMG_SIZE - 0x20, "ASEV", 4);
    igk_put_le32(im.b + IMG_SIZE - 0x1C, 16 + 3 * 12);
    igk_put_le32(im.b + IMG_SIZE - 0x18, 1);
    igk_put_le32(im.b + IMG_SIZE - 0x14, 3);
    expect_fail("ASEV items past end", IMG_SIZE - 0x20,
                "SEV metadata: 3 sections run past the end of the 65536-byte image");

    /* TDVF descriptor. */
    img_good(&im);
    igk_put_le32(im.b + 0x2004, 16 + 64);
    expect_fail("TDVF length", 0x2004,
                "TDVF metadata: length 80 does not match 1 sections (expected 48)");
    img_good(&im);
    memcpy(im.b + 0x2000, "TDVX", 4);
    expect_fail("TDVF signature", 0x2000, "TDVF metadata: bad signature (expected \"TDVF\")");
    img_good(&im);
    igk_put_le32(im.b + 0x200C, 100);
    igk_put_le32(im.b + 0x2004, 16 + 3200);
    expect_fail("TDVF count", 0x200C, "TDVF metadata: 100 sections (at most 64 supported)");

    /* A payload too short for what the GUID promises. */
    img_init(&im);
    hdr = img_entry(&im, g_reset, "ab", 2);
    img_finish(&im);
    expect_fail("short reset block", hdr,
                "OVMF table: SEV-ES reset block entry has 2 payload bytes (needs 4)");

    /* Two reset blocks. */
    img_init(&im);
    img_entry(&im, g_reset, "abcd", 4);
    hdr = img_entry(&im, g_reset, "abcd", 4);
    img_finish(&im);
    expect_fail("duplicate reset block", hdr, "OVMF table: duplicate SEV-ES reset block entry");

    /* A table with only the footer is valid and empty. */
    img_init(&im);
    img_finish(&im);
    is_int(igk_ovmf_parse(im.b, IMG_SIZE, "fw.fd", &info, NULL), 0, "empty table parses");
    ok(!info.has_reset_block && !info.has_sev_metadata && !info.has_tdvf,
       "empty table has nothing");
}

int main(void)
{
    test_debian_code();
    test_debian_combined();
    test_kernel_hashes_fixture();
    test_synthetic();
    return tap_done();
}
