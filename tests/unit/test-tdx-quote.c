/* SPDX-License-Identifier: MIT */
/*
 * TDX quotes (attest/tdx-quote.c, tdx-auth.c, tdx-collateral.c,
 * intel-root.c) with the real quotes of tests/data/evidence/tdx (see the
 * README there), and TD event logs (attest/eventlog*.c) with the real GCE
 * log of the same folder and logs built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <igvmkit/attest.h>

#include "le.h"
#include "tdx-private.h"
#include "tap.h"
#include "util.h"

static char dir[1024];

static uint8_t *load(const char *name, size_t *len)
{
    char path[1200];
    uint8_t *data = NULL;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (igk_read_file(path, &data, len, NULL) < 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(99);
    }
    return data;
}

static const struct igk_verify_row *row(const struct igk_verify_table *t, const char *field)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (!strcmp(t->rows[i].field, field))
            return &t->rows[i];
    return NULL;
}

/* Authenticates a quote buffer; returns the mismatching rows, comma separated. */
static int authenticate(const uint8_t *b, size_t len, const struct igk_tdx_auth_options *o,
                        struct igk_verify_table *t, char *failed, size_t size)
{
    struct igk_tdx_quote q;
    struct igk_error err;
    int r;

    memset(t, 0, sizeof(*t));
    failed[0] = 0;
    igk_error_clear(&err);
    r = igk_tdx_quote_parse(b, len, &q, &err);
    if (r == 0)
        r = igk_tdx_quote_authenticate(b, &q, o, t, &err);
    if (r < 0) {
        snprintf(failed, size, "error %d: %.400s", r, err.message);
        return r;
    }
    for (size_t i = 0; i < t->n_rows; i++)
        if (t->rows[i].required && t->rows[i].status != IGK_VERIFY_MATCH && !t->rows[i].waived)
            snprintf(failed + strlen(failed), size - strlen(failed), "%s%s", *failed ? "," : "",
                     t->rows[i].field);
    return 0;
}

static void test_root(void)
{
    const char *pem = igk_intel_sgx_root_ca_pem();
    BIO *bio = BIO_new_mem_buf(pem, (int)strlen(pem));
    X509 *root = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    uint8_t fp[32];
    unsigned n = 0;
    size_t len;
    uint8_t *file = load("intel-sgx-root-ca.pem", &len);

    ok(root && X509_digest(root, EVP_sha256(), fp, &n) && n == 32, "embedded root parses");
    is_hex(fp, 32, "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3",
           "embedded root: SHA-256 of its DER is the documented fingerprint");
    is_mem(igk_intel_sgx_root_ca_sha256(), fp, 32, "the pin equals the embedded root's hash");
    /* The test data's copy (no final newline) is the same text. */
    ok((len == strlen(pem) || len + 1 == strlen(pem)) && !memcmp(file, pem, len),
       "embedded PEM is the Intel SGX Root CA of the test data");
    X509_free(root);
    BIO_free(bio);
    free(file);
}

/* The carried TCB signing certificate, and PCS's signed documents split and verified. */
static void test_tcb_signing(void)
{
    const char *pem = igk_tdx_tcb_signing_pem();
    BIO *bio = BIO_new_mem_buf(pem, (int)strlen(pem));
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    EVP_PKEY *key = igk_tdx_tcb_signing_key();
    struct igk_tdx_signed_json sj;
    static const struct {
        const char *file, *member;
    } docs[] = {
        {"collateral/tcbInfo.json", "tcbInfo"},
        {"collateral/enclaveIdentity.json", "enclaveIdentity"},
        {"collateral-v5/tcbInfo.json", "tcbInfo"},
    };
    uint8_t fp[32];
    unsigned n = 0;

    ok(cert && X509_digest(cert, EVP_sha256(), fp, &n) && n == 32, "TCB signing cert parses");
    is_hex(fp, 32, "ec37d98107bfb7dab6ff8de4d4dda6fde30a6f50b0d7b03eefb5652f1e652969",
           "TCB signing cert: SHA-256 of its DER is the documented pin");
    is_mem(igk_tdx_tcb_signing_sha256(), fp, 32, "the pin equals the carried certificate's hash");
    ok(key != NULL, "the carried certificate verifies under the pinned Intel root");
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(bio);

    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        size_t len;
        uint8_t *doc = load(docs[i].file, &len);
        uint8_t *copy = malloc(len + 8);
        size_t at;

        is_int(igk_tdx_signed_json(doc, len, docs[i].member, &sj), IGK_TDX_SIGNED_OK,
               "%s: Intel's signature verifies", docs[i].file);
        ok(sj.body == doc + strlen(docs[i].member) + 4 && sj.body[0] == '{' &&
               sj.body[sj.body_len - 1] == '}',
           "%s: the signed body is the member's object", docs[i].file);
        /* One changed byte inside the signed body. */
        memcpy(copy, doc, len);
        at = (size_t)(sj.body - doc) + sj.body_len / 2;
        copy[at] ^= 1;
        is_int(igk_tdx_signed_json(copy, len, docs[i].member, &sj), IGK_TDX_SIGNED_BAD,
               "%s: one byte of the body changed: signature fails", docs[i].file);
        /* The wrong member name, trailing bytes, a cut signature. */
        is_int(igk_tdx_signed_json(doc, len, "tdxModule", &sj), IGK_TDX_SIGNED_MALFORMED,
               "%s: another member name is not the signed document", docs[i].file);
        memcpy(copy, doc, len);
        memcpy(copy + len, "{}", 2);
        is_int(igk_tdx_signed_json(copy, len + 2, docs[i].member, &sj), IGK_TDX_SIGNED_MALFORMED,
               "%s: bytes after the document: refused", docs[i].file);
        is_int(igk_tdx_signed_json(doc, len - 4, docs[i].member, &sj), IGK_TDX_SIGNED_MALFORMED,
               "%s: truncated: refused", docs[i].file);
        free(copy);
        free(doc);
    }
    {
        static const char swapped[] = "{\"signature\":\"00\",\"tcbInfo\":{}}";
        static const char nested[] = "{\"tcbInfo\":{\"a\":\"}\"},\"signature\":\"zz\"}";
        is_int(igk_tdx_signed_json((const uint8_t *)swapped, strlen(swapped), "tcbInfo", &sj),
               IGK_TDX_SIGNED_MALFORMED, "signature first: refused");
        is_int(igk_tdx_signed_json((const uint8_t *)nested, strlen(nested), "tcbInfo", &sj),
               IGK_TDX_SIGNED_MALFORMED, "a brace inside a string is skipped; bad hex refused");
        ok(sj.body_len == strlen("{\"a\":\"}\"}"), "the body ends at the object's real end");
        static const char crossed[] = "{\"tcbInfo\":{\"l\":[{\"a\":1}]],\"signature\":\"00\"}";
        is_int(igk_tdx_signed_json((const uint8_t *)crossed, strlen(crossed), "tcbInfo", &sj),
               IGK_TDX_SIGNED_MALFORMED, "a ']' closing a '{': refused (found by fuzz-collateral)");
        char deep[200];
        size_t len = (size_t)snprintf(deep, sizeof(deep), "{\"tcbInfo\":{\"a\":");
        for (int k = 0; k < 64; k++)
            deep[len++] = '[';
        deep[len] = 0;
        is_int(igk_tdx_signed_json((const uint8_t *)deep, len, "tcbInfo", &sj),
               IGK_TDX_SIGNED_MALFORMED, "nesting past 64 levels: refused");
    }
}

struct real_quote {
    const char *file;
    unsigned version, body_type;
    size_t size, signed_end, trailing;
    const char *mrtd;
    bool debug;
};

static const struct real_quote quotes[] = {
    {"quote-v4-debug-td.dat", 4, 2, 4936, 4936, 0,
     "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f"
     "031",
     true},
    {"quote-v4-trailing-zeros.dat", 4, 2, 5006, 4936, 70,
     "21e8dead92d6c69d7cbba79816686c03a48485c7df0c11f6f04792d5e1d378f6b8c46615ba6946adccac6becffbb1"
     "e88",
     false},
    {"quote-v5.dat", 5, 3, 5006, 5006, 0,
     "7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc0d21fb001a1ced3ee19747dda8f750c3bc8f"
     "876",
     false},
    {"gce-cos113-quote.dat", 4, 2, 8000, 4935, 3065,
     "dae67181d3d65e073ad8f95b7907d5e927bfe9761c9ff3e9b89734a45d8954dba41394c7717cb2735396c1d04231f"
     "94a",
     false},
};

static void test_real_quotes(void)
{
    for (size_t i = 0; i < IGK_ARRAY_SIZE(quotes); i++) {
        const struct real_quote *rq = &quotes[i];
        struct igk_verify_table t;
        struct igk_tdx_quote q;
        char failed[512];
        size_t len;
        uint8_t *b = load(rq->file, &len);

        is_int((long long)len, (long long)rq->size, "%s: %zu bytes", rq->file, rq->size);
        is_int(igk_tdx_quote_parse(b, len, &q, NULL), 0, "%s parses", rq->file);
        ok(q.version == rq->version && q.body_type == rq->body_type &&
               q.quote_len == rq->signed_end && q.trailing_len == rq->trailing,
           "%s: version %u, body type %u, quote ends at %zu, %zu trailing bytes", rq->file,
           rq->version, rq->body_type, rq->signed_end, rq->trailing);
        is_hex(q.mr_td, 48, rq->mrtd, "%s: MRTD", rq->file);
        is_int(!!(q.td_attributes & IGK_TDX_TD_ATTRIBUTES_DEBUG), rq->debug,
               "%s: TD_ATTRIBUTES debug bit", rq->file);
        is_int(authenticate(b, len, NULL, &t, failed, sizeof(failed)), 0, "%s authenticates",
               rq->file);
        is_str(failed, "", "%s: every row matches", rq->file);
        is_int((long long)t.n_rows, 5,
               "%s: 5 rows (chain, QE report sig, QE report data, "
               "quote signature, TCB status)",
               rq->file);
        ok(row(&t, "TCB_STATUS") && row(&t, "TCB_STATUS")->status == IGK_VERIFY_NOT_CHECKED &&
               !row(&t, "TCB_STATUS")->required &&
               !strcmp(row(&t, "TCB_STATUS")->reason, "no collateral (--tdx-collateral)"),
           "%s: TCB status not checked without collateral, informational", rq->file);
        ok(row(&t, "PCK_CHAIN") &&
               !strcmp(row(&t, "PCK_CHAIN")->actual, "Intel SGX PCK Certificate <- Intel SGX "
                                                     "PCK Platform CA <- Intel SGX Root CA"),
           "%s: chain named", rq->file);
        free(b);
    }
}

/* Byte offsets of the signature data parts in a v4 quote. */
#define V4_SIG 636
#define V4_ATT_KEY (V4_SIG + 64)
#define V4_QE_REPORT (V4_SIG + 128 + 6)
#define V4_QE_SIG (V4_QE_REPORT + 384)
#define V4_QE_AUTH (V4_QE_SIG + 64 + 2)

static void test_tampering(void)
{
    struct igk_verify_table t;
    char failed[512];
    size_t len;
    uint8_t *orig = load("quote-v4-debug-td.dat", &len);
    uint8_t *b = malloc(len);
    struct {
        size_t offset;
        const char *what, *failed;
    } cases[] = {
        {48 + 136, "MRTD byte 0", "QUOTE_SIGNATURE"},
        {48 + 120, "TD_ATTRIBUTES (debug bit)", "QUOTE_SIGNATURE"},
        {48 + 520 + 63, "last REPORTDATA byte", "QUOTE_SIGNATURE"},
        {4, "header byte 4 (TEE type)", NULL},
        {20, "QE vendor id", "QUOTE_SIGNATURE"},
        {V4_SIG + 5, "quote signature r", "QUOTE_SIGNATURE"},
        {V4_SIG + 63, "quote signature s", "QUOTE_SIGNATURE"},
        {V4_ATT_KEY + 10, "attestation key", "QE_REPORT_DATA,QUOTE_SIGNATURE"},
        {V4_QE_REPORT + 64, "QE report MRENCLAVE", "QE_REPORT_SIG"},
        {V4_QE_REPORT + 320, "QE report REPORTDATA", "QE_REPORT_SIG,QE_REPORT_DATA"},
        {V4_QE_SIG + 1, "QE report signature", "QE_REPORT_SIG"},
        {V4_QE_AUTH + 3, "QE authentication data", "QE_REPORT_DATA"},
    };

    for (size_t i = 0; i < IGK_ARRAY_SIZE(cases); i++) {
        memcpy(b, orig, len);
        b[cases[i].offset] ^= 0x01;
        int r = authenticate(b, len, NULL, &t, failed, sizeof(failed));
        if (!cases[i].failed) {
            is_int(r, IGK_E_UNSUPPORTED, "%s flipped: not a TDX quote any more", cases[i].what);
            continue;
        }
        is_str(failed, cases[i].failed, "%s flipped: fails exactly %s", cases[i].what,
               cases[i].failed);
    }

    /* The PCK certificate's signature (a base64 character near its end). */
    memcpy(b, orig, len);
    {
        const char *pem = (const char *)b + V4_QE_AUTH + 32 + 6;
        const char *end = strstr(pem, "-----END CERTIFICATE-----");
        size_t at = (size_t)(end - (const char *)b) - 10;
        b[at] = b[at] == 'A' ? 'B' : 'A';
        authenticate(b, len, NULL, &t, failed, sizeof(failed));
        ok(!strncmp(failed, "PCK_CHAIN", 9), "PCK certificate signature broken: chain fails (%s)",
           failed);
        ok(row(&t, "PCK_CHAIN") &&
               !strcmp(row(&t, "PCK_CHAIN")->actual,
                       "broken at 'Intel SGX PCK Certificate': certificate signature failure"),
           "broken chain: row names the certificate (%s)",
           row(&t, "PCK_CHAIN") ? row(&t, "PCK_CHAIN")->actual : "-");
    }
    free(b);
    free(orig);
}

/* Replaces the PCK CA in the quote's chain by the PCK CA of another quote of the same length. */
static void test_foreign_root(void)
{
    struct igk_verify_table t;
    char failed[512];
    size_t len;
    uint8_t *b = load("quote-v4-trailing-zeros.dat", &len);
    char *pem = (char *)b + V4_QE_AUTH + 32 + 6;
    char *root = strstr(strstr(strstr(pem, "-----END") + 1, "-----END") + 1, "-----BEGIN");

    /* Corrupt the root the chain carries: it is then not the pinned one. */
    ok(root != NULL, "the chain carries a root certificate");
    root[100] = root[100] == 'A' ? 'B' : 'A';
    authenticate(b, len, NULL, &t, failed, sizeof(failed));
    ok(!strcmp(failed, "PCK_CHAIN") || !strncmp(failed, "PCK_CHAIN", 9),
       "a carried root that is not the pinned one breaks the chain (%s)", failed);
    free(b);
}

static void test_parse_errors(void)
{
    uint8_t b[5006];
    struct igk_tdx_quote q;
    struct igk_error err;
    size_t len;
    uint8_t *v5 = load("quote-v5.dat", &len);

    memcpy(b, v5, sizeof(b));
    igk_error_clear(&err);
    igk_put_le16(b, 3);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_UNSUPPORTED,
           "version 3: unsupported");
    is_str(err.message,
           "this is an SGX quote (version 3, TEE type 0x81), not a TDX quote; "
           "igvmkit verifies TDX quotes only",
           "version 3 message");
    igk_put_le16(b, 5);
    igk_put_le32(b + 4, 0x42);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_UNSUPPORTED, "TEE type 0x42");
    is_str(err.message, "quote TEE type 0x42 is not TDX (0x81); igvmkit verifies TDX quotes only",
           "other TEE message");
    igk_put_le32(b + 4, 0x81);
    igk_put_le16(b + 48, 1);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_UNSUPPORTED, "v5 body type 1 (SGX)");
    igk_put_le16(b + 48, 4);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_UNSUPPORTED, "v5 body type 4");
    igk_put_le16(b + 48, 3);
    igk_put_le32(b + 50, 584);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_INVALID, "body type 3 of 584 bytes");
    is_str(err.message, "TDX quote body type 3 is 648 bytes, but the quote says 584 (byte 50)",
           "body size message");
    memcpy(b, v5, sizeof(b));
    is_int(igk_tdx_quote_parse(b, 5005, &q, &err), IGK_E_INVALID, "v5 one byte short");
    is_str(err.message,
           "TDX quote truncated at byte 706: the signature data runs past the end "
           "(5005 bytes)",
           "truncation message names the byte");
    is_int(igk_tdx_quote_parse(b, 600, &q, &err), IGK_E_INVALID, "600 bytes");
    is_int(igk_tdx_quote_parse(b, 3, &q, &err), IGK_E_INVALID, "3 bytes");
    is_int(igk_tdx_quote_parse(b, IGK_TDX_QUOTE_MAX_SIZE + 1, &q, &err), IGK_E_INVALID,
           "more than the size limit, refused before reading");
    igk_put_le32(b + 54 + 648, 0xFFFFFFFFu);
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), IGK_E_INVALID,
           "huge signature length: no overflow");
    /* Signature data: a QE authentication data size running past the end. */
    memcpy(b, v5, sizeof(b));
    is_int(igk_tdx_quote_parse(b, sizeof(b), &q, &err), 0, "v5 parses");
    {
        struct igk_tdx_quote_signature s;
        size_t auth = 54 + 648 + 4 + 128 + 6 + 384 + 64;
        igk_put_le16(b + auth, 0xFFFF);
        is_int(igk_tdx_quote_signature_parse(b, &q, &s, &err), IGK_E_INVALID,
               "QE auth data past the end");
        memcpy(b, v5, sizeof(b));
        igk_put_le16(b + 54 + 648 + 4 + 128, 5);
        is_int(igk_tdx_quote_signature_parse(b, &q, &s, &err), IGK_E_UNSUPPORTED,
               "certification data type 5 at the top: unsupported");
    }
    free(v5);
}

static void test_collateral(void)
{
    struct igk_tdx_collateral c;
    struct igk_tdx_auth_options o = {0};
    struct igk_verify_table t;
    struct igk_error err;
    char path[1200], failed[512];
    size_t len;
    uint8_t *b = load("quote-v4-debug-td.dat", &len);

    snprintf(path, sizeof(path), "%s/collateral", dir);
    is_int(igk_tdx_collateral_load(path, &c, &err), 0, "collateral loads");
    o.collateral = &c;
    o.has_time = true;
    o.time = 1686787200; /* 2023-06-15T00:00:00Z: inside the CRL's validity */
    authenticate(b, len, &o, &t, failed, sizeof(failed));
    ok(row(&t, "PCK_CRL") && row(&t, "PCK_CRL")->match &&
           !strcmp(row(&t, "PCK_CRL")->actual, "not revoked"),
       "CRL: PCK not revoked on 2023-06-15");
    ok(row(&t, "QE_IDENTITY") && !row(&t, "QE_IDENTITY")->match,
       "QE identity issued in 2025: not current on 2023-06-15, a failure (%s)",
       row(&t, "QE_IDENTITY") ? row(&t, "QE_IDENTITY")->actual : "-");
    ok(row(&t, "TCB_STATUS") && !row(&t, "TCB_STATUS")->match &&
           !strcmp(row(&t, "TCB_STATUS")->actual,
                   "not checked (TCB info for FMSPC 00a06d080000, the PCK's is 50806f000000)"),
       "TCB info of another FMSPC: not used, and a failure");
    o.time = 1767225600; /* 2026-01-01: the CRL expired */
    authenticate(b, len, &o, &t, failed, sizeof(failed));
    ok(row(&t, "PCK_CRL") && !row(&t, "PCK_CRL")->match &&
           !strncmp(row(&t, "PCK_CRL")->actual, "the CRL expired", 15),
       "CRL expired at the time of the check: a failure");
    o.time = 1546300800; /* 2019-01-01: before the PCK certificate */
    authenticate(b, len, &o, &t, failed, sizeof(failed));
    ok(row(&t, "PCK_CHAIN") && !row(&t, "PCK_CHAIN")->match &&
           !strcmp(row(&t, "PCK_CHAIN")->actual,
                   "broken at 'Intel SGX PCK Certificate': certificate is not yet valid"),
       "--at before the PCK certificate: chain fails (%s)",
       row(&t, "PCK_CHAIN") ? row(&t, "PCK_CHAIN")->actual : "-");
    free(b);

    /* The trailing-zeros quote's FMSPC is the TCB info's. */
    b = load("quote-v4-trailing-zeros.dat", &len);
    o.time = 1761782400; /* 2025-10-30 */
    authenticate(b, len, &o, &t, failed, sizeof(failed));
    ok(row(&t, "QE_IDENTITY") && row(&t, "QE_IDENTITY")->match &&
           !strcmp(row(&t, "QE_IDENTITY")->actual, "ISVSVN 7: UpToDate"),
       "QE identity current on 2025-10-30, signature verified: matches (%s)",
       row(&t, "QE_IDENTITY") ? row(&t, "QE_IDENTITY")->actual : "-");
    ok(row(&t, "TCB_STATUS") && !row(&t, "TCB_STATUS")->match &&
           !strncmp(row(&t, "TCB_STATUS")->actual, "OutOfDate (TCB level of ", 24),
       "TCB level evaluated: OutOfDate is a failure (%s)",
       row(&t, "TCB_STATUS") ? row(&t, "TCB_STATUS")->actual : "-");
    free(b);
    igk_tdx_collateral_free(&c);

    snprintf(path, sizeof(path), "%s/no-such-dir", dir);
    is_int(igk_tdx_collateral_load(path, &c, &err), IGK_E_IO, "no collateral: I/O error");
}

/* ---- event logs ---- */

struct logbuf {
    uint8_t b[4096];
    size_t n;
};

static void put32(struct logbuf *l, uint32_t v)
{
    igk_put_le32(l->b + l->n, v);
    l->n += 4;
}

static void spec_id(struct logbuf *l, uint16_t alg, uint16_t size)
{
    memset(l, 0, sizeof(*l));
    put32(l, 0);
    put32(l, 3); /* EV_NO_ACTION */
    l->n += 20;
    put32(l, 33);
    memcpy(l->b + l->n, "Spec ID Event03", 16);
    l->n += 16;
    put32(l, 0);        /* platform class */
    l->b[l->n + 1] = 2; /* spec version 2.0 */
    l->b[l->n + 3] = 2; /* uintn size */
    l->n += 4;
    put32(l, 1);
    igk_put_le16(l->b + l->n, alg);
    igk_put_le16(l->b + l->n + 2, size);
    l->n += 4;
    l->b[l->n++] = 0; /* vendor info size */
}

static void event(struct logbuf *l, uint32_t mr, uint32_t type, uint8_t fill, const char *data,
                  size_t len)
{
    put32(l, mr);
    put32(l, type);
    put32(l, 1);
    igk_put_le16(l->b + l->n, IGK_TPM_ALG_SHA384);
    l->n += 2;
    memset(l->b + l->n, fill, 48);
    l->n += 48;
    put32(l, (uint32_t)len);
    memcpy(l->b + l->n, data, len);
    l->n += len;
}

static void expect_log_error(const struct logbuf *l, size_t len, const char *msg, const char *what)
{
    struct igk_event_log log;
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_event_log_parse(l->b, len, &log, &err), IGK_E_INVALID, "%s: refused", what);
    is_str(err.message, msg, "%s: message", what);
}

static void test_event_logs(void)
{
    struct igk_event_log log;
    struct igk_error err;
    struct logbuf l;
    uint64_t laml = 0, lasa = 0;
    size_t len, tlen;
    uint8_t *b = load("gce-cos113-ccel-log.dat", &len);
    uint8_t *table = load("gce-cos113-ccel-table.dat", &tlen);
    char desc[256];

    is_int(igk_event_log_parse(b, len, &log, NULL), 0, "GCE log parses");
    is_int((long long)log.n_events, 43, "43 events");
    is_int((long long)log.length, 18101, "log ends at byte 18101 (end of the data)");
    is_hex(log.rtmr[0], 48,
           "3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece7"
           "52afd17f6",
           "RTMR0 replayed = the quote's");
    is_hex(log.rtmr[1], 48,
           "f62dbc072bd5d3f3438b7b35c39a727f5aea2ffc2473f43723953f530daf62504f0a7944aa62c41a86e8a87"
           "8c2b122c1",
           "RTMR1 replayed");
    is_hex(log.rtmr[2], 48,
           "4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f38"
           "1a6fbe7c1",
           "RTMR2 replayed");
    ok(log.rtmr_events[0] == 16 && log.rtmr_events[1] == 7 && log.rtmr_events[2] == 20 &&
           log.rtmr_events[3] == 0,
       "16, 7, 20 and 0 events per RTMR");
    is_str(igk_event_describe(&log.events[2], desc, sizeof(desc)),
           "variable 8be4df61-93ca-11d2-aa0d-00e098032b8c:SecureBoot (1 bytes) = 0",
           "EV_EFI_VARIABLE_DRIVER_CONFIG decoded");
    is_str(igk_event_describe(&log.events[0], desc, sizeof(desc)), "\"TdxTable\", 1 tables",
           "EV_EFI_HANDOFF_TABLES2 decoded");
    is_str(igk_event_describe(&log.events[23], desc, sizeof(desc)),
           "PE image of 743168 bytes at 0xbcb87018 file \\EFI\\BOOT\\grub-lakitu.efi",
           "EV_EFI_BOOT_SERVICES_APPLICATION: file path");
    is_str(igk_event_describe(&log.events[7], desc, sizeof(desc)), "separator", "separator");
    is_str(
        igk_event_describe(&log.events[12], desc, sizeof(desc)),
        "variable 8be4df61-93ca-11d2-aa0d-00e098032b8c:Boot0001 (96 bytes) \"UEFI nvme_card-pd\"",
        "Boot#### with its description");
    ok(!strncmp(igk_event_describe(&log.events[16], desc, sizeof(desc)),
                "GPT disk e0c6c56e-5ef7-8e4a-ace6-3c31a7f75a29, 12 partitions: STATE, KERN-A", 73),
       "GPT header and partition names (%s)", desc);
    is_str(igk_event_type_name(log.events[40].type), "EV_IPL", "EV_IPL named");
    ok(!strncmp(igk_event_describe(&log.events[40], desc, sizeof(desc)),
                "\"kernel_cmdline: /syslinux/vmlinuz.A init=", 41),
       "EV_IPL command line as text");
    igk_event_log_free(&log);

    is_int(igk_ccel_table_parse(table, tlen, &laml, &lasa, &err), 0, "CCEL table parses");
    ok(laml == 0x40000 && lasa == 0xbedbf000, "LAML 0x40000, LASA 0xbedbf000");
    table[20] ^= 1;
    is_int(igk_ccel_table_parse(table, tlen, &laml, &lasa, &err), IGK_E_INVALID, "bad checksum");
    table[20] ^= 1;
    table[0] = 'X';
    is_int(igk_ccel_table_parse(table, tlen, &laml, &lasa, &err), IGK_E_INVALID, "not CCEL");

    /* Built logs: the layout, then each malformation named with its byte. */
    spec_id(&l, IGK_TPM_ALG_SHA384, 48);
    size_t first = l.n;
    event(&l, 2, 0x6, 0x11, "\xed\x22\x3b\x8f\x1a\x00\x00\x00LOADED_IMAGE::LoadOptions", 34);
    is_int(igk_event_log_parse(l.b, l.n, &log, &err), 0, "built log parses");
    is_str(igk_event_describe(&log.events[0], desc, sizeof(desc)),
           "Linux kernel command line, LoadOptions (tag 0x8f3b22ed): \"LOADED_IMAGE::LoadOptions\"",
           "EV_EVENT_TAG with the Linux load options tag");
    igk_event_log_free(&log);
    event(&l, 3, 0x6, 0x22, "\xec\x22\x3b\x8f\x0d\x00\x00\x00Linux initrd", 21);
    is_int(igk_event_log_parse(l.b, l.n, &log, &err), 0, "two events");
    is_str(igk_event_describe(&log.events[1], desc, sizeof(desc)),
           "Linux initrd (tag 0x8f3b22ec): \"Linux initrd\"", "Linux initrd tag");
    igk_event_log_free(&log);

    is_int((long long)first, 65, "first event at byte 65 (32 + 33-byte spec ID event)");
    is_int((long long)l.n, 252, "two events: 100 + 87 bytes");
    expect_log_error(&l, first + 20,
                     "event log byte 77: digest 0 of 48 bytes runs past the end of the log",
                     "truncated in a digest");
    expect_log_error(&l, first + 6,
                     "event log byte 65: record truncated: 6 bytes left, the "
                     "header needs 12",
                     "truncated in the header");
    expect_log_error(&l, first + 64,
                     "event log byte 127: event size runs past the end of the "
                     "log (129 bytes)",
                     "truncated in the event size");
    expect_log_error(&l, first + 70,
                     "event log byte 127: event data of 34 bytes runs past the "
                     "end of the log (4 bytes left)",
                     "truncated in the data");
    expect_log_error(&l, l.n - 1,
                     "event log byte 227: event data of 21 bytes runs past the "
                     "end of the log (20 bytes left)",
                     "last event one byte short");
    {
        struct logbuf m = l;
        igk_put_le32(m.b + first + 8, 2);
        expect_log_error(&m, m.n,
                         "event log byte 73: digest count 2: the spec ID event lists 1 "
                         "algorithms",
                         "digest count above the spec ID event's");
        m = l;
        igk_put_le32(m.b + first + 12 + 2 + 48, 0x7FFFFFFF);
        expect_log_error(&m, m.n,
                         "event log byte 127: event data of 2147483647 bytes runs past "
                         "the end of the log (121 bytes left)",
                         "event size past the end");
        m = l;
        igk_put_le16(m.b + first + 12, 0x000B);
        expect_log_error(&m, m.n,
                         "event log byte 77: unknown digest algorithm 0x000b (not in "
                         "the spec ID event)",
                         "unknown algorithm");
        m = l;
        igk_put_le32(m.b + first, 5);
        expect_log_error(&m, m.n,
                         "event log byte 65: MR index 5 is above 4 (0 MRTD, 1..4 "
                         "RTMR0..3)",
                         "MR index 5");
        m = l;
        memcpy(m.b + 32, "Spec ID Event02", 15);
        expect_log_error(&m, m.n,
                         "event log byte 0: the spec ID event is missing: the log does "
                         "not begin with an EV_NO_ACTION \"Spec ID Event03\" record",
                         "spec ID event missing");
        expect_log_error(&m, 10,
                         "event log byte 0: the spec ID event is missing: the log has 10 "
                         "bytes (32 needed)",
                         "10-byte log");
    }
    spec_id(&l, IGK_TPM_ALG_SHA384, 32);
    expect_log_error(&l, l.n, "event log byte 62: SHA-384 digest size is 32, not 48",
                     "SHA-384 of 32 bytes");
    /* The end marker: 0xFF after the last event ends the log. */
    spec_id(&l, IGK_TPM_ALG_SHA384, 48);
    event(&l, 4, 0xD, 0x33, "app", 3);
    memset(l.b + l.n, 0xFF, 64);
    is_int(igk_event_log_parse(l.b, l.n + 64, &log, &err), 0, "0xFF after the last event");
    ok(log.n_events == 1 && log.length == l.n && log.rtmr_events[3] == 1,
       "one RTMR3 event; the log ends at the marker");
    igk_event_log_free(&log);
    free(b);
    free(table);
}

int main(void)
{
    const char *top = getenv("top_srcdir");

    snprintf(dir, sizeof(dir), "%s/tests/data/evidence/tdx", top ? top : ".");
    test_root();
    test_tcb_signing();
    test_real_quotes();
    test_tampering();
    test_foreign_root();
    test_parse_errors();
    test_collateral();
    test_event_logs();
    return tap_done();
}
