/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the SEV-SNP chain of trust and the verification rows
 * (attest/snp-chain.c, amd-certs.c, snp-tcb.c, rfc3339.c, verify-table.c):
 * the built-in AMD certificates are the ones in tests/data/evidence/snp and
 * their ARKs hash to the pins; product lines from CPUID; TCB layouts;
 * RFC 3339 times; certificate files; the verdict rules; a real Milan report
 * authenticated row by row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <igvmkit/attest.h>
#include "tap.h"
#include "util.h"

static char *data_path(const char *name)
{
    static char path[1024];

    snprintf(path, sizeof(path), "%s/tests/data/evidence/snp/%s", getenv("top_srcdir") ?: ".",
             name);
    return path;
}

static uint8_t *load(const char *name, size_t *len)
{
    struct igk_error err;
    uint8_t *buf = NULL;

    igk_error_clear(&err);
    if (igk_read_file(data_path(name), &buf, len, &err) < 0) {
        *len = 0;
        return NULL;
    }
    return buf;
}

/* The pins, written out here so a change to attest/amd-certs.c shows. */
static const char *const pins[] = {
    NULL, "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd", /* Milan */
    "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",       /* Genoa */
    "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",       /* Turin */
};

static void test_builtin_certs(void)
{
    static const char *const bundles[] = {NULL, "amd-roots/milan-ask-ark-asvk.pem",
                                          "amd-roots/genoa-ask-ark-asvk.pem",
                                          "amd-roots/turin-ask-ark-asvk.pem"};
    static const enum igk_amd_cert_role order[3] = {IGK_AMD_ASK, IGK_AMD_ARK, IGK_AMD_ASVK};

    for (int p = IGK_AMD_MILAN; p <= IGK_AMD_TURIN; p++) {
        const char *name = igk_amd_product_name((enum igk_amd_product)p);
        struct igk_cert_list list;
        struct igk_error err;
        unsigned char *der = NULL;
        uint8_t digest[32];
        char hex[65];
        size_t len;
        uint8_t *buf = load(bundles[p], &len);
        int n;

        igk_error_clear(&err);
        is_int(igk_cert_list_parse(buf, len, &list, &err), 0, "%s bundle parses", name);
        is_int((long long)list.n, 3, "%s bundle: 3 certificates", name);
        for (size_t i = 0; i < 3 && i < list.n; i++) {
            const char *pem = igk_amd_cert_pem((enum igk_amd_product)p, order[i]);
            BIO *bio = BIO_new_mem_buf(pem, -1);
            X509 *c = PEM_read_bio_X509(bio, NULL, NULL, NULL);

            ok(c && X509_cmp(c, list.certs[i]) == 0, "%s: built-in certificate %zu is AMD's", name,
               i);
            X509_free(c);
            BIO_free(bio);
        }
        n = i2d_X509(list.certs[1], &der);
        igk_sha256(der, (size_t)n, digest);
        OPENSSL_free(der);
        igk_hex_encode(digest, 32, hex);
        is_str(hex, pins[p], "%s: the ARK's SHA-256 is the pin", name);
        igk_hex_encode(igk_amd_ark_sha256((enum igk_amd_product)p), 32, hex);
        is_str(hex, pins[p], "%s: igk_amd_ark_sha256", name);
        igk_cert_list_free(&list);
        free(buf);
    }
    ok(!igk_amd_cert_pem(IGK_AMD_PRODUCT_UNKNOWN, IGK_AMD_ARK) &&
           !igk_amd_ark_sha256(IGK_AMD_PRODUCT_UNKNOWN),
       "no certificate for an unknown product");
}

static void test_products(void)
{
    static const struct {
        unsigned version, family, model;
        enum igk_amd_product want;
    } cases[] = {
        {3, 0x19, 0x01, IGK_AMD_MILAN},           {3, 0x19, 0x0F, IGK_AMD_MILAN},
        {3, 0x19, 0x11, IGK_AMD_GENOA},           {3, 0x19, 0xA0, IGK_AMD_GENOA},
        {3, 0x19, 0x21, IGK_AMD_PRODUCT_UNKNOWN}, {3, 0x1A, 0x02, IGK_AMD_TURIN},
        {5, 0x1A, 0x11, IGK_AMD_TURIN},           {3, 0x1A, 0x20, IGK_AMD_PRODUCT_UNKNOWN},
        {3, 0x17, 0x01, IGK_AMD_PRODUCT_UNKNOWN}, {2, 0x19, 0x01, IGK_AMD_PRODUCT_UNKNOWN},
    };
    struct igk_snp_report r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&r, 0, sizeof(r));
        r.version = cases[i].version;
        r.cpuid_family = (uint8_t)cases[i].family;
        r.cpuid_model = (uint8_t)cases[i].model;
        is_int(igk_snp_report_product(&r), cases[i].want, "v%u family %02xh model %02xh: %s",
               cases[i].version, cases[i].family, cases[i].model,
               igk_amd_product_name(cases[i].want));
    }
    is_int(igk_amd_product_from_name("Milan-B0"), IGK_AMD_MILAN, "productName Milan-B0");
    is_int(igk_amd_product_from_name("SEV-VLEK-Genoa"), IGK_AMD_GENOA, "ASVK name");
    is_int(igk_amd_product_from_name("ARK-Turin"), IGK_AMD_TURIN, "ARK name");
    is_int(igk_amd_product_from_name("SEV-VCEK"), IGK_AMD_PRODUCT_UNKNOWN, "VCEK name: no product");
    is_int(igk_amd_product_from_name("Milanese"), IGK_AMD_PRODUCT_UNKNOWN,
           "prefix only: no product");
}

static void test_tcb(void)
{
    struct igk_snp_tcb t;
    struct igk_error err;
    char text[80];

    igk_snp_tcb_decode(0x7308000000000003ull, IGK_AMD_MILAN, &t);
    igk_snp_tcb_format(&t, text, sizeof(text));
    is_str(text, "bl=3 tee=0 snp=8 ucode=115", "Milan layout: bytes 0, 1, 6, 7");
    igk_snp_tcb_decode(0x5100000004010101ull, IGK_AMD_TURIN, &t);
    igk_snp_tcb_format(&t, text, sizeof(text));
    is_str(text, "fmc=1 bl=1 tee=1 snp=4 ucode=81", "Turin layout: bytes 0, 1, 2, 3, 7");
    igk_snp_tcb_decode(0x0807060504030201ull, IGK_AMD_TURIN, &t);
    ok(t.fmc == 1 && t.bootloader == 2 && t.tee == 3 && t.snp == 4 && t.microcode == 8,
       "Turin layout, distinct bytes");
    igk_snp_tcb_decode(0x0807060504030201ull, IGK_AMD_GENOA, &t);
    ok(!t.has_fmc && t.bootloader == 1 && t.tee == 2 && t.snp == 7 && t.microcode == 8,
       "Genoa layout, distinct bytes");

    igk_error_clear(&err);
    is_int(igk_snp_tcb_parse("ucode=0x73,snp=8,tee=0,bl=3", &t, &err), 0, "TCB parses, any order");
    ok(t.bootloader == 3 && t.tee == 0 && t.snp == 8 && t.microcode == 115 && !t.has_fmc,
       "TCB values");
    is_int(igk_snp_tcb_parse("bl=1,tee=1,snp=4,ucode=81,fmc=1", &t, &err), 0, "TCB with fmc");
    ok(t.has_fmc && t.fmc == 1, "fmc value");
    is_int(igk_snp_tcb_parse("bl=3,tee=0,snp=8", &t, &err), IGK_E_USAGE, "ucode missing");
    is_str(err.message,
           "'bl=3,tee=0,snp=8' is not a TCB (bl=N,tee=N,snp=N,ucode=N[,fmc=N], each 0..255)",
           "message");
    is_int(igk_snp_tcb_parse("bl=256,tee=0,snp=8,ucode=1", &t, &err), IGK_E_USAGE, "256 refused");
    is_int(igk_snp_tcb_parse("bl=1,bl=1,tee=0,snp=8,ucode=1", &t, &err), IGK_E_USAGE,
           "repeated key refused");
    is_int(igk_snp_tcb_parse("bl=1,tee=0,snp=8,ucode=1,", &t, &err), IGK_E_USAGE,
           "trailing comma refused");
    is_int(igk_snp_tcb_parse("bl=-1,tee=0,snp=8,ucode=1", &t, &err), IGK_E_USAGE,
           "negative refused");
}

static void test_time(void)
{
    struct igk_error err;
    char text[32];
    int64_t t;

    igk_error_clear(&err);
    is_int(igk_time_parse_rfc3339("1970-01-01T00:00:00Z", &t, &err), 0, "epoch parses");
    is_int(t, 0, "epoch is 0");
    is_int(igk_time_parse_rfc3339("2025-12-10T22:14:21Z", &t, &err), 0, "VLEK notAfter");
    is_int(t, 1765404861, "2025-12-10T22:14:21Z = 1765404861");
    is_int(igk_time_parse_rfc3339("2025-12-11T00:14:21.123+02:00", &t, &err), 0,
           "offset and fraction");
    is_int(t, 1765404861, "the same instant");
    is_int(igk_time_parse_rfc3339("2024-02-29t12:00:00z", &t, &err), 0, "leap day, lower case");
    igk_time_format(t, text);
    is_str(text, "2024-02-29T12:00:00Z", "formats back");
    igk_time_format(-1, text);
    is_str(text, "1969-12-31T23:59:59Z", "before the epoch");
    is_int(igk_time_parse_rfc3339("2023-02-29T00:00:00Z", &t, &err), IGK_E_USAGE,
           "no 29 February in 2023");
    is_int(igk_time_parse_rfc3339("2025-06-01", &t, &err), IGK_E_USAGE, "date only refused");
    is_int(igk_time_parse_rfc3339("2025-06-01T24:00:00Z", &t, &err), IGK_E_USAGE, "hour 24");
    is_int(igk_time_parse_rfc3339("2025-06-01T00:00:00+2:00", &t, &err), IGK_E_USAGE,
           "short offset");
    is_str(err.message,
           "'2025-06-01T00:00:00+2:00' is not an RFC 3339 date-time (like 2025-06-01T12:00:00Z)",
           "message");
}

static void test_cert_files(void)
{
    struct igk_cert_list list;
    struct igk_error err;
    size_t len;
    uint8_t *der = load("milan-v2-vcek.der", &len);
    uint8_t *pem;

    igk_error_clear(&err);
    is_int(igk_cert_list_parse(der, len, &list, &err), 0, "DER VCEK parses");
    is_int((long long)list.n, 1, "one certificate");
    igk_cert_list_free(&list);
    is_int(igk_cert_list_parse(der, len - 1, &list, &err), IGK_E_INVALID, "cut DER refused");
    is_str(err.message, "neither a DER certificate nor PEM", "message");
    free(der);
    pem = load("turin-vcek.pem", &len);
    is_int(igk_cert_list_parse(pem, len, &list, &err), 0, "PEM VCEK parses");
    is_int((long long)list.n, 1, "one certificate");
    igk_cert_list_free(&list);
    is_int(igk_cert_list_parse(pem, len - 30, &list, &err), IGK_E_INVALID,
           "PEM without its END line refused");
    free(pem);
    is_int(igk_cert_list_parse((const uint8_t *)"-----BEGIN PUBLIC KEY-----\n", 27, &list, &err),
           IGK_E_INVALID, "a PEM file without a certificate refused");
}

static void test_rows(void)
{
    static struct igk_verify_table t;
    struct igk_verify_row *row;

    memset(&t, 0, sizeof(t));
    igk_verify_add_text(&t, "A", "x", "x", true);
    ok(igk_verify_passed(&t), "one match: passed");
    row = igk_verify_add_not_checked(&t, "B", false, "no %s", "key");
    ok(!igk_verify_passed(&t) && igk_verify_first_failure(&t) == row,
       "required, not checked: fails, and is the first failure");
    is_str(row->reason, "no key", "reason formatted");
    igk_verify_row_inform(&t, row);
    ok(igk_verify_passed(&t) && t.n_unchecked == 0, "informational: never decides");
    igk_verify_add_not_checked(&t, "C", true, "--no-signature given");
    ok(igk_verify_passed(&t), "waived: passes");
    row = igk_verify_add_u64(&t, "D", 1, 2, false);
    ok(!igk_verify_passed(&t) && igk_verify_first_failure(&t) == row && t.n_mismatches == 1,
       "mismatch: fails");
    is_str(igk_verify_status_name(IGK_VERIFY_NOT_CHECKED), "not checked", "status names");
    memset(&t, 0, sizeof(t));
    for (int i = 0; i <= IGK_VERIFY_MAX_ROWS; i++)
        igk_verify_add_text(&t, "X", "x", "x", true);
    ok(t.overflow && !igk_verify_passed(&t), "a row that does not fit fails the verdict");
}

static void test_authenticate(void)
{
    static struct igk_verify_table t;
    struct igk_snp_trust_options o = {0};
    struct igk_cert_list vcek;
    struct igk_snp_report r;
    struct igk_error err;
    size_t len, clen;
    uint8_t *rep = load("milan-v2-report.bin", &len);
    uint8_t *cert = load("milan-v2-vcek.der", &clen);

    igk_error_clear(&err);
    memset(&t, 0, sizeof(t));
    is_int(igk_snp_report_parse(rep, len, &r, &err), 0, "Milan report parses");
    is_int(igk_cert_list_parse(cert, clen, &vcek, &err), 0, "its VCEK parses");
    o.vcek = &vcek;
    o.at = 1767225600; /* 2026-01-01 */
    is_int(igk_snp_authenticate(rep, len, &r, &o, &t, &err), 0, "authenticates");
    is_int((long long)t.n_rows, 12, "12 rows");
    ok(igk_verify_passed(&t) && t.n_mismatches == 0, "all match");
    rep[0x90] ^= 1;
    memset(&t, 0, sizeof(t));
    igk_snp_authenticate(rep, len, &r, &o, &t, &err);
    ok(!igk_verify_passed(&t) && !strcmp(igk_verify_first_failure(&t)->field, "REPORT_SIGNATURE"),
       "altered report: REPORT_SIGNATURE fails");
    rep[0x90] ^= 1;
    o.at = 1900000000; /* 2030-03-17: after the VCEK's notAfter */
    memset(&t, 0, sizeof(t));
    igk_snp_authenticate(rep, len, &r, &o, &t, &err);
    ok(!strcmp(igk_verify_first_failure(&t)->field, "VCEK_VALIDITY"), "2030: VCEK expired");
    memset(&t, 0, sizeof(t));
    o.vcek = NULL;
    igk_snp_authenticate(rep, len, &r, &o, &t, &err);
    ok(t.n_rows == 2 && t.n_unchecked == 2 && t.n_notes == 2,
       "no VCEK: 2 rows not checked, 2 notes");
    igk_cert_list_free(&vcek);
    free(rep);
    free(cert);
}

int main(void)
{
    test_builtin_certs();
    test_products();
    test_tcb();
    test_time();
    test_cert_files();
    test_rows();
    test_authenticate();
    return tap_done();
}
