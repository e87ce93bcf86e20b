/* SPDX-License-Identifier: MIT */
/*
 * ECDSA P-384 / SHA-384 for SEV-SNP ID blocks through OpenSSL 3 EVP.
 * The AMD structures hold r, s, qx and qy as 72-byte little-endian,
 * zero-extended integers while OpenSSL speaks big-endian bignums and DER
 * (snp-measure.md section 7.1 and pitfall 16): the conversions live here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sign.h"

/* Encrypted keys are refused instead of prompting on a terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return 0;
}

static int open_pem(const char *path, const char *role, BIO **ret, struct igk_error *err)
{
    FILE *f = fopen(path, "rb");

    if (!f) {
        igk_error_set_path(err, path);
        return igk_error_set(err, IGK_E_IO, "cannot open %s: %s", role, strerror(errno));
    }
    *ret = BIO_new_fp(f, BIO_CLOSE);
    if (!*ret) {
        fclose(f);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    return 0;
}

int igk_sign_check_p384(EVP_PKEY *key, const char *role, struct igk_error *err)
{
    char group[64] = "";
    size_t len = 0;

    if (!EVP_PKEY_is_a(key, "EC")) {
        const char *type = EVP_PKEY_get0_type_name(key);
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is a %s key; SEV-SNP ID blocks need an ECDSA P-384 key", role,
                             type ? type : "non-EC");
    }
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        &len))
        snprintf(group, sizeof(group), "an unnamed curve");
    if (strcmp(group, "secp384r1") != 0)
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is on curve %s; SEV-SNP ID blocks need P-384 (secp384r1)", role,
                             group);
    return 0;
}

int igk_sign_load_private_key(const char *path, const char *role, EVP_PKEY **ret_key,
                              struct igk_error *err)
{
    EVP_PKEY *key;
    BIO *bio;
    int r;

    *ret_key = NULL;
    r = open_pem(path, role, &bio, err);
    if (r < 0)
        return r;
    key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    ERR_clear_error();
    igk_error_set_path(err, path);
    if (!key)
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is not an unencrypted PEM private key (PKCS#8 or SEC1)", role);
    r = igk_sign_check_p384(key, role, err);
    if (r < 0) {
        EVP_PKEY_free(key);
        return r;
    }
    igk_error_set_path(err, "");
    *ret_key = key;
    return 0;
}

int igk_sign_load_public_key(const char *path, const char *role, EVP_PKEY **ret_key,
                             struct igk_error *err)
{
    EVP_PKEY *key;
    X509 *cert;
    BIO *bio;
    int r;

    *ret_key = NULL;
    r = open_pem(path, role, &bio, err);
    if (r < 0)
        return r;
    key = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    if (!key) {
        /* Also take a certificate (a VCEK, or a certified ID key). */
        (void)BIO_reset(bio);
        cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
        if (cert) {
            key = X509_get_pubkey(cert);
            X509_free(cert);
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    igk_error_set_path(err, path);
    if (!key)
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is not a PEM public key or certificate", role);
    r = igk_sign_check_p384(key, role, err);
    if (r < 0) {
        EVP_PKEY_free(key);
        return r;
    }
    igk_error_set_path(err, "");
    *ret_key = key;
    return 0;
}

int igk_sign_public_key(EVP_PKEY *key, struct igk_snp_public_key *ret, struct igk_error *err)
{
    BIGNUM *x = NULL, *y = NULL;
    int r = 0;

    memset(ret, 0, sizeof(*ret));
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
        !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) ||
        BN_bn2lebinpad(x, ret->qx, IGK_SNP_ECC_FIELD) < 0 ||
        BN_bn2lebinpad(y, ret->qy, IGK_SNP_ECC_FIELD) < 0)
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot read the public point of the key");
    ret->curve = IGK_SNP_CURVE_P384;
    BN_free(x);
    BN_free(y);
    ERR_clear_error();
    return r;
}

/* A 72-byte LE field to 48 big-endian bytes; false if it does not fit. */
static bool field_to_be48(const uint8_t le[IGK_SNP_ECC_FIELD], uint8_t be[48])
{
    for (size_t i = 48; i < IGK_SNP_ECC_FIELD; i++)
        if (le[i])
            return false;
    for (size_t i = 0; i < 48; i++)
        be[i] = le[47 - i];
    return true;
}

int igk_sign_key_from_public(const struct igk_snp_public_key *pub, EVP_PKEY **ret_key,
                             struct igk_error *err)
{
    uint8_t point[1 + 48 + 48];
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;
    int r = 0;

    *ret_key = NULL;
    if (pub->curve != IGK_SNP_CURVE_P384)
        return igk_error_set(err, IGK_E_INVALID, "public key curve %u is not P-384 (2)",
                             pub->curve);
    point[0] = 0x04; /* uncompressed point: 04 || X || Y, big endian (SEC 1 2.3.3) */
    if (!field_to_be48(pub->qx, point + 1) || !field_to_be48(pub->qy, point + 49))
        return igk_error_set(err, IGK_E_INVALID, "public key coordinate exceeds 384 bits");
    bld = OSSL_PARAM_BLD_new();
    if (!bld ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)) ||
        !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL))) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        r = igk_error_set(err, IGK_E_INVALID, "public key is not a point on P-384");
        goto out;
    }
    *ret_key = key;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    ERR_clear_error();
    return r;
}

int igk_sign_der_to_signature(const uint8_t *der, size_t len, struct igk_snp_signature *ret,
                              struct igk_error *err)
{
    const unsigned char *p = der;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG *sig;
    int rc = 0;

    memset(ret, 0, sizeof(*ret));
    if (len > 1024)
        return igk_error_set(err, IGK_E_INVALID, "signature is %zu bytes, too long for P-384 DER",
                             len);
    sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    if (!sig || p != der + len) {
        rc = igk_error_set(err, IGK_E_INVALID,
                           "signature is not a DER ECDSA signature (SEQUENCE of r and s)");
        goto out;
    }
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_is_negative(r) || BN_is_negative(s) || BN_num_bytes(r) > 48 || BN_num_bytes(s) > 48 ||
        BN_bn2lebinpad(r, ret->r, IGK_SNP_ECC_FIELD) < 0 ||
        BN_bn2lebinpad(s, ret->s, IGK_SNP_ECC_FIELD) < 0)
        rc = igk_error_set(err, IGK_E_INVALID, "signature values do not fit P-384");
out:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return rc;
}

int igk_sign_ecdsa(EVP_PKEY *key, const uint8_t *msg, size_t len, struct igk_snp_signature *ret,
                   struct igk_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char der[256];
    size_t der_len = sizeof(der);
    int r;

    if (!ctx)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key) <= 0 ||
        EVP_DigestSign(ctx, der, &der_len, msg, len) <= 0) {
        EVP_MD_CTX_free(ctx);
        ERR_clear_error();
        return igk_error_set(err, IGK_E_INTERNAL, "ECDSA signing failed");
    }
    EVP_MD_CTX_free(ctx);
    r = igk_sign_der_to_signature(der, der_len, ret, err);
    return r < 0 ? igk_error_set(err, IGK_E_INTERNAL, "OpenSSL produced %s", err->message) : 0;
}

int igk_sign_verify(EVP_PKEY *key, const uint8_t *msg, size_t len,
                    const struct igk_snp_signature *sig, struct igk_error *err)
{
    BIGNUM *r = BN_lebin2bn(sig->r, IGK_SNP_ECC_FIELD, NULL);
    BIGNUM *s = BN_lebin2bn(sig->s, IGK_SNP_ECC_FIELD, NULL);
    ECDSA_SIG *es = ECDSA_SIG_new();
    unsigned char *der = NULL;
    EVP_MD_CTX *ctx = NULL;
    int der_len, v, rc;

    if (!r || !s || !es || !ECDSA_SIG_set0(es, r, s)) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    der_len = i2d_ECDSA_SIG(es, &der);
    ctx = EVP_MD_CTX_new();
    if (der_len <= 0 || !ctx || EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, key) <= 0) {
        rc = igk_error_set(err, IGK_E_INTERNAL, "cannot set up ECDSA verification");
        goto out;
    }
    /* 1 valid, 0 invalid, < 0 malformed (e.g. r = 0): both are a bad signature. */
    v = EVP_DigestVerify(ctx, der, (size_t)der_len, msg, len);
    rc = v == 1 ? 0 : igk_error_set(err, IGK_E_MISMATCH, "signature does not verify");
out:
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    ERR_clear_error();
    return rc;
}
