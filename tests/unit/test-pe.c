/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF Authenticode digest on synthetic images built here: the expected
 * value is the SHA-384 of exactly the byte ranges the Authenticode rules name
 * (pe.h), assembled independently of the parser; plus every refusal with its
 * exact message.
 */
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "pe.h"
#include "tap.h"
#include "util.h"

#define IMG_LEN 0xb80
#define LFANEW 0x80
#define COFF (LFANEW + 4)
#define OPT (COFF + 20)
#define SIZE_OF_HEADERS 0x400

struct image {
    uint8_t b[IMG_LEN];
    size_t len;
    size_t checksum, cert_dir; /* offsets of the skipped header fields */
};

/*
 * Headers, then section B's raw data at 0x400 (0x400 bytes), section A's at
 * 0x800 (0x200 bytes; A comes first in the table), an empty section C, 0x100
 * bytes of trailing data at 0xa00 and a 0x80-byte certificate table at 0xb00.
 */
static void build(struct image *img, bool pe32plus, bool with_cert_dir)
{
    unsigned dirs = pe32plus ? 112 : 96, n_rva_at = pe32plus ? 108 : 92;
    unsigned opt_size = dirs + 16 * 8;
    size_t table = OPT + opt_size;

    for (size_t i = 0; i < IMG_LEN; i++)
        img->b[i] = (uint8_t)(i * 7 + 3);
    img->len = IMG_LEN;
    img->b[0] = 'M';
    img->b[1] = 'Z';
    igk_put_le32(img->b + 0x3c, LFANEW);
    memcpy(img->b + LFANEW, "PE\0\0", 4);
    igk_put_le16(img->b + COFF, 0x8664);
    igk_put_le16(img->b + COFF + 2, 3);
    igk_put_le16(img->b + COFF + 16, (uint16_t)opt_size);
    igk_put_le16(img->b + OPT, pe32plus ? 0x20b : 0x10b);
    igk_put_le32(img->b + OPT + 60, SIZE_OF_HEADERS);
    igk_put_le32(img->b + OPT + 64, 0xdeadbeef);
    igk_put_le32(img->b + OPT + n_rva_at, with_cert_dir ? 16 : 4);
    img->checksum = OPT + 64;
    img->cert_dir = OPT + dirs + 4 * 8;
    igk_put_le32(img->b + img->cert_dir, with_cert_dir ? 0xb00 : 0);
    igk_put_le32(img->b + img->cert_dir + 4, with_cert_dir ? 0x80 : 0);
    /* Section headers: SizeOfRawData at +16, PointerToRawData at +20. */
    igk_put_le32(img->b + table + 16, 0x200);
    igk_put_le32(img->b + table + 20, 0x800);
    igk_put_le32(img->b + table + 40 + 16, 0x400);
    igk_put_le32(img->b + table + 40 + 20, 0x400);
    igk_put_le32(img->b + table + 80 + 16, 0);
    igk_put_le32(img->b + table + 80 + 20, 0x2000);
}

/* The bytes Authenticode covers, concatenated by hand. */
static void expected(const struct image *img, bool with_cert_dir, uint8_t out[48])
{
    static uint8_t buf[IMG_LEN];
    size_t n = 0;
#define APPEND(from, to)                                                                           \
    do {                                                                                           \
        memcpy(buf + n, img->b + (from), (to) - (from));                                           \
        n += (to) - (from);                                                                        \
    } while (0)
    APPEND(0, img->checksum);
    if (with_cert_dir) {
        APPEND(img->checksum + 4, img->cert_dir);
        APPEND(img->cert_dir + 8, SIZE_OF_HEADERS);
    } else {
        APPEND(img->checksum + 4, SIZE_OF_HEADERS);
    }
    APPEND(0x400, 0x800); /* section B: lowest PointerToRawData first */
    APPEND(0x800, 0xa00); /* section A */
    APPEND(0xa00, with_cert_dir ? 0xb00 : IMG_LEN);
#undef APPEND
    igk_sha384(buf, n, out);
}

static void test_digest(bool pe32plus)
{
    const char *kind = pe32plus ? "PE32+" : "PE32";
    struct image img;
    uint8_t want[48], got[48], again[48];
    struct igk_error err;

    build(&img, pe32plus, true);
    expected(&img, true, want);
    igk_error_clear(&err);
    is_int(igk_pe_authenticode(img.b, img.len, IGK_PE_SHA384, got, &err), 0, "%s digests", kind);
    ok(!memcmp(got, want, 48), "%s: headers without checksum and cert entry, sorted sections, "
                               "trailing data without the certificate table", kind);

    /* Fields outside the hashed ranges do not matter... */
    igk_put_le32(img.b + img.checksum, 0x12345678);
    memset(img.b + 0xb00, 0x55, 0x80); /* the signature itself */
    igk_put_le32(img.b + img.cert_dir, 0xb08);
    igk_pe_authenticode(img.b, img.len, IGK_PE_SHA384, again, &err);
    ok(!memcmp(got, again, 48), "%s: checksum, certificate address and contents are not hashed",
       kind);
    /* ...and every hashed byte does. */
    img.b[0x900] ^= 1;
    igk_pe_authenticode(img.b, img.len, IGK_PE_SHA384, again, &err);
    ok(memcmp(got, again, 48) != 0, "%s: a section byte changes the digest", kind);
}

static void test_without_cert_dir(void)
{
    struct image img;
    uint8_t want[48], got[48];
    struct igk_error err;

    build(&img, true, false);
    expected(&img, false, want);
    is_int(igk_pe_authenticode(img.b, img.len, IGK_PE_SHA384, got, &err), 0,
           "image without a security directory digests");
    ok(!memcmp(got, want, 48), "without a security directory all trailing data is hashed");
}

static void test_sha256(void)
{
    struct image img;
    uint8_t got[32], want384[48];
    struct igk_error err;

    build(&img, true, true);
    is_int(igk_pe_authenticode(img.b, img.len, IGK_PE_SHA256, got, &err), 0, "SHA-256 variant");
    expected(&img, true, want384);
    ok(memcmp(got, want384, 32) != 0, "SHA-256 variant is a different digest");
}

static void refuse(struct image *img, size_t len, const char *want_msg, const char *name)
{
    struct igk_error err;
    uint8_t out[48];

    igk_error_clear(&err);
    is_int(igk_pe_authenticode(img->b, len, IGK_PE_SHA384, out, &err), IGK_E_INVALID,
           "%s: invalid", name);
    is_str(err.message, want_msg, "%s: message", name);
}

static void test_refusals(void)
{
    struct image img;
    struct igk_error err;
    uint8_t out[48];

    igk_error_clear(&err);
    is_int(igk_pe_authenticode(NULL, 0, IGK_PE_SHA384, out, &err), IGK_E_INVALID, "NULL image");

    build(&img, true, true);
    refuse(&img, 0x3f, "not a PE/COFF image: no MZ header", "shorter than the DOS header");
    img.b[0] = 'X';
    refuse(&img, img.len, "not a PE/COFF image: no MZ header", "no MZ");

    build(&img, true, true);
    igk_put_le32(img.b + 0x3c, 0xfffffff0);
    refuse(&img, img.len, "PE header offset 0xfffffff0 is past the end of the image",
           "e_lfanew past the end");
    build(&img, true, true);
    img.b[LFANEW + 1] = 'X';
    refuse(&img, img.len, "not a PE/COFF image: no PE signature", "bad PE signature");

    build(&img, true, true);
    igk_put_le16(img.b + OPT, 0x107);
    refuse(&img, img.len, "unknown PE optional header magic 0x107", "bad magic");

    build(&img, true, true);
    igk_put_le16(img.b + COFF + 16, 64);
    refuse(&img, img.len, "PE optional header is too small (64 bytes)", "optional header small");
    build(&img, true, true);
    igk_put_le16(img.b + COFF + 16, 0xffff);
    refuse(&img, img.len, "PE optional header is truncated", "optional header past the end");

    build(&img, true, true);
    igk_put_le32(img.b + OPT + 60, 0x100);
    refuse(&img, img.len,
           "PE SizeOfHeaders 0x100 does not cover the headers or exceeds the image size 0xb80",
           "SizeOfHeaders too small");
    build(&img, true, true);
    igk_put_le32(img.b + OPT + 60, 0x10000);
    refuse(&img, img.len,
           "PE SizeOfHeaders 0x10000 does not cover the headers or exceeds the image size 0xb80",
           "SizeOfHeaders past the end");

    build(&img, true, true);
    igk_put_le16(img.b + COFF + 2, 0xffff);
    refuse(&img, img.len, "PE section table (65535 sections) is truncated",
           "section table past the end");

    build(&img, true, true);
    igk_put_le32(img.b + OPT + 240 + 20, 0xfffff000); /* section A */
    refuse(&img, img.len,
           "PE section 0 raw data (offset 0xfffff000, size 0x200) is past the end of the image",
           "section past the end");

    build(&img, true, true);
    igk_put_le32(img.b + img.cert_dir + 4, 0x200);
    refuse(&img, img.len,
           "PE certificate table (0x200 bytes) is larger than the data after the sections",
           "certificate table larger than the trailing data");
}

int main(void)
{
    test_digest(true);
    test_digest(false);
    test_without_cert_dir();
    test_sha256();
    test_refusals();
    return tap_done();
}
