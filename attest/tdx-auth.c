/* SPDX-License-Identifier: MIT */
/*
 * Authentication of a TDX quote (Intel TDX DCAP Quoting Library API,
 * "Quote Signature Data" and "QE Report Certification Data"; the checks
 * follow Intel's Quote Verification Library):
 *
 *   Intel SGX Root CA (pinned, intel-root.c)
 *     signs the PCK CA certificate, which signs the PCK certificate
 *   PCK certificate key  signs the QE's SGX REPORT
 *   QE REPORTDATA        binds the attestation key and QE authentication data
 *   attestation key      signs the quote header and TD report body
 *
 * Each link is a row of its own, so a failure names the link.  Every link
 * is checked even after one failed: the rows show the whole picture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "tdx-private.h"
#include "util.h"

/* A PEM chain longer than this is not a PCK chain (it has 3 certificates). */
#define MAX_CHAIN_CERTS 8

/* QE report (SGX REPORT body) offsets: Intel SGX SDK sgx_report_body_t. */
#define QE_REPORT_DATA 320

/* ECDSA over data with SHA-256; sig is r || s, 32 bytes each, big endian. */
int igk_tdx_ecdsa_p256_verify(EVP_PKEY *key, const uint8_t *data, size_t len, const uint8_t sig[64])
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32, NULL);
    EVP_MD_CTX *ctx = NULL;
    unsigned char *der = NULL;
    int der_len, ok = -1;

    if (!s || !r || !ss || !ECDSA_SIG_set0(s, r, ss)) {
        BN_free(r);
        BN_free(ss);
        goto out;
    }
    der_len = i2d_ECDSA_SIG(s, &der);
    if (der_len <= 0)
        goto out;
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) <= 0)
        goto out;
    ok = EVP_DigestVerify(ctx, der, (size_t)der_len, data, len) == 1 ? 1 : 0;
out:
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(s);
    return ok;
}

/* The attestation key: a raw P-256 point x || y. */
static EVP_PKEY *p256_key(const uint8_t xy[64])
{
    uint8_t point[65];
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;

    point[0] = 0x04; /* uncompressed */
    memcpy(point + 1, xy, 64);
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)))
        goto out;
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

void igk_tdx_chain_free(struct igk_tdx_chain *c)
{
    if (!c)
        return;
    X509_free(c->pck);
    X509_free(c->ca);
    X509_free(c->root);
    memset(c, 0, sizeof(*c));
}

X509 *igk_tdx_pinned_cert(const char *pem, const uint8_t sha256[32])
{
    BIO *bio = BIO_new_mem_buf(pem, (int)strlen(pem));
    X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    uint8_t fp[32];
    unsigned fp_len = 0;

    BIO_free(bio);
    /* The pin is checked at every use: a certificate that does not hash to it is never trusted. */
    if (cert && (!X509_digest(cert, EVP_sha256(), fp, &fp_len) || fp_len != 32 ||
                 memcmp(fp, sha256, 32))) {
        X509_free(cert);
        cert = NULL;
    }
    return cert;
}

X509 *igk_tdx_pinned_root(void)
{
    return igk_tdx_pinned_cert(igk_intel_sgx_root_ca_pem(), igk_intel_sgx_root_ca_sha256());
}

static void name_of(X509 *cert, char *out, size_t size)
{
    X509_NAME *n = X509_get_subject_name(cert);
    int i = n ? X509_NAME_get_index_by_NID(n, NID_commonName, -1) : -1;
    ASN1_STRING *s = i >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)) : NULL;
    int len = s ? ASN1_STRING_length(s) : 0;

    if (!s || len <= 0) {
        snprintf(out, size, "(no common name)");
        return;
    }
    snprintf(out, size, "%.*s", len, (const char *)ASN1_STRING_get0_data(s));
}

/*
 * Reads the PEM chain: PCK first, then its CA, then (optionally) a root.
 * Returns 0, or a reason in why (the chain row's text) and -1.
 */
static int read_chain(const struct igk_tdx_quote_signature *s, struct igk_tdx_chain *c, char *why,
                      size_t why_size)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    X509 *certs[MAX_CHAIN_CERTS];
    size_t n = 0, blocks = 0;
    BIO *bio;

    memset(c, 0, sizeof(*c));
    if (s->pck_chain_len > INT32_MAX)
        return snprintf(why, why_size, "PCK chain too large"), -1;
    bio = BIO_new_mem_buf(s->pck_chain, (int)s->pck_chain_len);
    if (!bio)
        return snprintf(why, why_size, "out of memory"), -1;
    while (n < MAX_CHAIN_CERTS) {
        X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (!x)
            break;
        certs[n++] = x;
    }
    ERR_clear_error();
    BIO_free(bio);
    /* Every certificate block must parse: none is skipped silently. */
    for (const uint8_t *p = s->pck_chain, *end = s->pck_chain + s->pck_chain_len;
         (p = memmem(p, (size_t)(end - p), begin, sizeof(begin) - 1)) != NULL;
         p += sizeof(begin) - 1)
        blocks++;
    if (blocks != n) {
        for (size_t i = 0; i < n; i++)
            X509_free(certs[i]);
        snprintf(why, why_size, "certificate %zu of the PEM chain does not parse", n + 1);
        return -1;
    }
    if (n < 2 || n > 3) {
        for (size_t i = 0; i < n; i++)
            X509_free(certs[i]);
        snprintf(why, why_size, "PEM chain holds %zu certificates (a PCK chain has 2 or 3)", n);
        return -1;
    }
    c->pck = certs[0];
    c->ca = certs[1];
    c->root = n == 3 ? certs[2] : NULL;
    return 0;
}

/* Verifies PCK <- CA <- pinned root at the time; fills the row text. */
static bool verify_chain(struct igk_tdx_chain *c, const struct igk_tdx_auth_options *o, char *text,
                         size_t size)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509 *root = igk_tdx_pinned_root();
    char pck_name[80], ca_name[80];
    bool ok = false;

    name_of(c->pck, pck_name, sizeof(pck_name));
    name_of(c->ca, ca_name, sizeof(ca_name));
    if (!store || !ctx || !untrusted || !root) {
        snprintf(text, size, "not checked (out of memory or pinned root unreadable)");
        goto out;
    }
    if (c->root) {
        uint8_t fp[32];
        unsigned fp_len = 0;

        if (!X509_digest(c->root, EVP_sha256(), fp, &fp_len) || fp_len != 32 ||
            memcmp(fp, igk_intel_sgx_root_ca_sha256(), 32)) {
            char root_name[80];

            name_of(c->root, root_name, sizeof(root_name));
            snprintf(text, size,
                     "broken: the chain's root '%s' is not the pinned Intel SGX Root CA",
                     root_name);
            goto out;
        }
    }
    if (!X509_STORE_add_cert(store, root) || !sk_X509_push(untrusted, c->ca)) {
        snprintf(text, size, "not checked (out of memory)");
        goto out;
    }
    if (!X509_STORE_CTX_init(ctx, store, c->pck, untrusted)) {
        snprintf(text, size, "not checked (out of memory)");
        goto out;
    }
    if (o && o->has_time)
        X509_STORE_CTX_set_time(ctx, 0, (time_t)o->time);
    /* The chain must be exactly PCK <- PCK CA <- root: no other path. */
    X509_STORE_CTX_set_depth(ctx, 2);
    if (X509_verify_cert(ctx) == 1) {
        int type = EVP_PKEY_get_base_id(X509_get0_pubkey(c->pck));
        if (type != EVP_PKEY_EC) {
            snprintf(text, size, "broken: the PCK certificate key is not an EC key");
            goto out;
        }
        snprintf(text, size, "%s <- %s <- Intel SGX Root CA", pck_name, ca_name);
        ok = true;
    } else {
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        snprintf(text, size, "broken at '%s': %s",
                 depth <= 0   ? pck_name
                 : depth == 1 ? ca_name
                              : "root",
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
out:
    ERR_clear_error();
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    X509_free(root);
    return ok;
}

static void add_signature_row(struct igk_verify_table *t, const char *field, const char *signer,
                              int verdict)
{
    char expected[64];

    snprintf(expected, sizeof(expected), "valid (%s)", signer);
    igk_verify_add_text(t, field, expected,
                        verdict == 1   ? "valid"
                        : verdict == 0 ? "invalid"
                                       : "not checked (key unusable)",
                        verdict == 1);
}

int igk_tdx_quote_authenticate(const uint8_t *buf, const struct igk_tdx_quote *q,
                               const struct igk_tdx_auth_options *o, struct igk_verify_table *t,
                               struct igk_error *err)
{
    struct igk_tdx_quote_signature s;
    struct igk_tdx_chain chain;
    uint8_t *bound = NULL;
    uint8_t want[32];
    EVP_PKEY *att = NULL;
    char text[256];
    bool chain_ok;
    int r;

    if (o && o->skip_signature) {
        igk_verify_add_not_checked(t, "QUOTE_SIGNATURE", true,
                                   "--no-signature: the quote was not authenticated");
        return 0;
    }
    r = igk_tdx_quote_signature_parse(buf, q, &s, err);
    if (r < 0)
        return r;

    /* Root down: the PCK chain. */
    if (read_chain(&s, &chain, text, sizeof(text)) < 0) {
        igk_verify_add_text(t, "PCK_CHAIN", "PCK <- PCK CA <- Intel SGX Root CA (pinned)", text,
                            false);
    } else {
        chain_ok = verify_chain(&chain, o, text, sizeof(text));
        igk_verify_add_text(t, "PCK_CHAIN", "PCK <- PCK CA <- Intel SGX Root CA (pinned)", text,
                            chain_ok);
    }

    /* The QE report, signed by the PCK key. */
    if (chain.pck) {
        add_signature_row(t, "QE_REPORT_SIG", "PCK certificate",
                          igk_tdx_ecdsa_p256_verify(X509_get0_pubkey(chain.pck), s.qe_report,
                                                    IGK_TDX_QE_REPORT_SIZE, s.qe_report_signature));
    } else {
        igk_verify_add_text(t, "QE_REPORT_SIG", "valid (PCK certificate)",
                            "not checked (no PCK certificate)", false);
    }

    /* The QE vouches for the attestation key through its REPORTDATA. */
    bound = malloc(64 + (size_t)s.qe_auth_data_len);
    if (!bound) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    memcpy(bound, s.attestation_key, 64);
    if (s.qe_auth_data_len)
        memcpy(bound + 64, s.qe_auth_data, s.qe_auth_data_len);
    if (igk_sha256(bound, 64 + (size_t)s.qe_auth_data_len, want) < 0) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        goto out;
    }
    {
        static const uint8_t zero[32];
        const uint8_t *rd = s.qe_report + QE_REPORT_DATA;
        char e[65], a[65];

        igk_hex_encode(want, 32, e);
        igk_hex_encode(rd, 32, a);
        if (memcmp(rd + 32, zero, 32)) {
            igk_verify_add_text(t, "QE_REPORT_DATA", e, "bytes 32..63 are not zero", false);
        } else {
            igk_verify_add_text(t, "QE_REPORT_DATA", e, a, !memcmp(rd, want, 32));
        }
    }

    /* The quote itself, signed by the attestation key. */
    att = p256_key(s.attestation_key);
    if (!att) {
        igk_verify_add_text(t, "QUOTE_SIGNATURE", "valid (attestation key)",
                            "invalid (the attestation key is not a P-256 point)", false);
    } else {
        add_signature_row(t, "QUOTE_SIGNATURE", "attestation key",
                          igk_tdx_ecdsa_p256_verify(att, buf, q->signed_len, s.signature));
    }

    r = igk_tdx_check_collateral(q, &s, &chain, o, t, err);
out:
    ERR_clear_error();
    EVP_PKEY_free(att);
    free(bound);
    igk_tdx_chain_free(&chain);
    return r;
}
