/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP ID block primitives: PSP structures, key and signature conversion,
 * ECDSA P-384 verification (see idblock.h; docs/snp-id-block.md).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "idblock.h"
#include "le.h"
#include "util.h"

#define FIELD_SIZE 72 /* LE integer fields of the SNP ABI */
#define P384_SIZE 48  /* bytes of a P-384 coordinate or scalar */

_Static_assert(sizeof(((struct igk_snp_signature *)0)->r) == FIELD_SIZE, "r is 72 bytes");
_Static_assert(sizeof(((struct igk_snp_public_key *)0)->qx) == FIELD_SIZE, "qx is 72 bytes");

int igk_idblock_psp_block(const struct igk_snp_id_block *ib, uint64_t policy,
                          uint8_t out[IGK_IDBLOCK_PSP_BLOCK_SIZE])
{
    /* docs/snp-id-block.md section 1: LD @0, FAMILY_ID @0x30, IMAGE_ID @0x40,
     * VERSION @0x50, GUEST_SVN @0x54, POLICY @0x58. */
    memset(out, 0, IGK_IDBLOCK_PSP_BLOCK_SIZE);
    memcpy(out, ib->ld, 48);
    memcpy(out + 0x30, ib->family_id, 16);
    memcpy(out + 0x40, ib->image_id, 16);
    igk_put_le32(out + 0x50, IGK_IDBLOCK_VERSION);
    igk_put_le32(out + 0x54, ib->guest_svn);
    igk_put_le64(out + 0x58, policy);
    return 0;
}

void igk_idblock_psp_key(const struct igk_snp_public_key *key,
                         uint8_t out[IGK_IDBLOCK_PSP_KEY_SIZE])
{
    /* Section 7.2: curve @0, qx @4, qy @76; the IGVM reserved u32 is dropped. */
    memset(out, 0, IGK_IDBLOCK_PSP_KEY_SIZE);
    igk_put_le32(out, key->curve);
    memcpy(out + 4, key->qx, FIELD_SIZE);
    memcpy(out + 4 + FIELD_SIZE, key->qy, FIELD_SIZE);
}

int igk_idblock_key_digest(const struct igk_snp_public_key *key, uint8_t out[48])
{
    uint8_t psp[IGK_IDBLOCK_PSP_KEY_SIZE];

    igk_idblock_psp_key(key, psp);
    return igk_sha384(psp, sizeof(psp), out);
}

/* 72-byte LE field -> BIGNUM; the bytes above the curve size must be zero. */
static BIGNUM *le_to_bn(const uint8_t field[FIELD_SIZE])
{
    for (size_t i = P384_SIZE; i < FIELD_SIZE; i++)
        if (field[i])
            return NULL;
    return BN_lebin2bn(field, P384_SIZE, NULL);
}

static bool bn_to_le(const BIGNUM *bn, uint8_t field[FIELD_SIZE])
{
    return BN_bn2lebinpad(bn, field, FIELD_SIZE) == FIELD_SIZE;
}

int igk_idblock_pkey_from_key(const struct igk_snp_public_key *key, EVP_PKEY **ret_pkey,
                              struct igk_error *err)
{
    uint8_t point[1 + 2 * P384_SIZE];
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL, *check = NULL;
    EVP_PKEY *pkey = NULL;
    int r = IGK_E_INVALID;

    *ret_pkey = NULL;
    if (key->curve != IGK_IDBLOCK_CURVE_P384)
        return igk_error_set(err, IGK_E_INVALID, "public key curve is %u, not 2 (P-384)",
                             key->curve);
    for (size_t i = P384_SIZE; i < FIELD_SIZE; i++)
        if (key->qx[i] || key->qy[i])
            return igk_error_set(err, IGK_E_INVALID,
                                 "public key coordinate is larger than a P-384 field element");
    /* Uncompressed SEC1 point: 04 || X || Y, big endian. */
    point[0] = 0x04;
    for (size_t i = 0; i < P384_SIZE; i++) {
        point[1 + i] = key->qx[P384_SIZE - 1 - i];
        point[1 + P384_SIZE + i] = key->qy[P384_SIZE - 1 - i];
    }
    bld = OSSL_PARAM_BLD_new();
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) ||
        !(params = OSSL_PARAM_BLD_to_param(bld))) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0) {
        r = igk_error_set(err, IGK_E_INTERNAL, "OpenSSL has no EC support");
        goto out;
    }
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        r = igk_error_set(err, IGK_E_INVALID, "public key is not a point on P-384");
        goto out;
    }
    check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (!check || EVP_PKEY_public_check(check) != 1) {
        r = igk_error_set(err, IGK_E_INVALID, "public key is not a point on P-384");
        goto out;
    }
    *ret_pkey = pkey;
    pkey = NULL;
    r = 0;
out:
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    ERR_clear_error();
    return r;
}

int igk_idblock_key_from_pkey(const EVP_PKEY *pkey, struct igk_snp_public_key *out,
                              struct igk_error *err)
{
    char group[64] = "";
    BIGNUM *x = NULL, *y = NULL;
    int r;

    memset(out, 0, sizeof(*out));
    if (!EVP_PKEY_is_a(pkey, "EC") ||
        !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        NULL) ||
        (strcmp(group, "secp384r1") && strcmp(group, "P-384")))
        return igk_error_set(err, IGK_E_INVALID, "key is not an EC P-384 key%s%s%s",
                             *group ? " (curve " : "", group, *group ? ")" : "");
    if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
        !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) {
        r = igk_error_set(err, IGK_E_INVALID, "EC key has no public point");
        goto out;
    }
    out->curve = IGK_IDBLOCK_CURVE_P384;
    if (!bn_to_le(x, out->qx) || !bn_to_le(y, out->qy)) {
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot encode the public point");
        goto out;
    }
    r = 0;
out:
    BN_free(x);
    BN_free(y);
    return r;
}

int igk_idblock_sig_from_der(const uint8_t *der, size_t len, struct igk_snp_signature *out,
                             struct igk_error *err)
{
    const unsigned char *p = der;
    const BIGNUM *r, *s;
    ECDSA_SIG *sig;
    int ret = 0;

    memset(out, 0, sizeof(*out));
    if (len > 1024)
        return igk_error_set(err, IGK_E_INVALID, "signature is %zu bytes, too long for P-384 DER",
                             len);
    sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    if (!sig || p != der + len) {
        ret = igk_error_set(err, IGK_E_INVALID,
                            "signature is not a DER ECDSA signature (SEQUENCE of r and s)");
        goto out;
    }
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_is_negative(r) || BN_is_negative(s) || BN_num_bytes(r) > P384_SIZE ||
        BN_num_bytes(s) > P384_SIZE || !bn_to_le(r, out->r) || !bn_to_le(s, out->s))
        ret = igk_error_set(err, IGK_E_INVALID, "signature values do not fit P-384");
out:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return ret;
}

int igk_idblock_sig_to_der(const struct igk_snp_signature *sig, uint8_t **ret_der,
                           size_t *ret_len, struct igk_error *err)
{
    BIGNUM *r = le_to_bn(sig->r), *s = le_to_bn(sig->s);
    ECDSA_SIG *es = NULL;
    unsigned char *der = NULL;
    int len, ret = 0;

    *ret_der = NULL;
    *ret_len = 0;
    if (!r || !s) {
        ret = igk_error_set(err, IGK_E_INVALID, "signature value larger than a P-384 scalar");
        goto out;
    }
    es = ECDSA_SIG_new();
    if (!es || !ECDSA_SIG_set0(es, r, s)) {
        ret = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    r = s = NULL; /* owned by es */
    len = i2d_ECDSA_SIG(es, &der);
    if (len <= 0) {
        ret = igk_error_set(err, IGK_E_INTERNAL, "cannot encode the signature");
        goto out;
    }
    *ret_der = malloc((size_t)len);
    if (!*ret_der) {
        ret = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    memcpy(*ret_der, der, (size_t)len);
    *ret_len = (size_t)len;
out:
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    BN_free(r);
    BN_free(s);
    return ret;
}

int igk_idblock_sign(EVP_PKEY *pkey, const uint8_t *msg, size_t len,
                     struct igk_snp_signature *out, struct igk_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t der[256];
    size_t der_len = sizeof(der);
    struct igk_snp_public_key check;
    int r;

    if (!ctx)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    r = igk_idblock_key_from_pkey(pkey, &check, err);
    if (r < 0)
        goto out;
    if (EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, pkey) != 1 ||
        EVP_DigestSign(ctx, der, &der_len, msg, len) != 1) {
        r = igk_error_set(err, IGK_E_INVALID, "ECDSA P-384 signing failed (not a private key?)");
        goto out;
    }
    r = igk_idblock_sig_from_der(der, der_len, out, err);
out:
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return r;
}

int igk_idblock_verify_pkey(EVP_PKEY *pkey, const uint8_t *msg, size_t len,
                            const struct igk_snp_signature *sig, struct igk_error *err)
{
    EVP_MD_CTX *ctx = NULL;
    uint8_t *der = NULL;
    size_t der_len;
    int r, v;

    r = igk_idblock_sig_to_der(sig, &der, &der_len, err);
    if (r < 0) {
        /* r or s wider than the curve: cannot be a valid signature. */
        if (r == IGK_E_INVALID)
            r = igk_error_set(err, IGK_E_MISMATCH, "signature values are out of range");
        goto out;
    }
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, pkey) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot set up ECDSA verification");
        goto out;
    }
    /* 1 valid, 0 invalid, < 0 malformed (e.g. r = 0): both are a bad signature. */
    v = EVP_DigestVerify(ctx, der, der_len, msg, len);
    r = v == 1 ? 0 : igk_error_set(err, IGK_E_MISMATCH, "signature does not verify");
out:
    EVP_MD_CTX_free(ctx);
    free(der);
    ERR_clear_error();
    return r;
}

int igk_idblock_verify_sig(const uint8_t *msg, size_t len, const struct igk_snp_signature *sig,
                           const struct igk_snp_public_key *key, struct igk_error *err)
{
    EVP_PKEY *pkey = NULL;
    int r = igk_idblock_pkey_from_key(key, &pkey, err);

    if (r < 0)
        return r;
    r = igk_idblock_verify_pkey(pkey, msg, len, sig, err);
    EVP_PKEY_free(pkey);
    return r;
}

static void check_one(const uint8_t *msg, size_t len, const struct igk_snp_signature *sig,
                      const struct igk_snp_public_key *key, bool *ok, char *reason,
                      size_t reason_size)
{
    struct igk_error e;

    igk_error_clear(&e);
    *ok = igk_idblock_verify_sig(msg, len, sig, key, &e) == 0;
    {
        size_t n = *ok ? 0 : strnlen(e.message, reason_size - 1);
        memcpy(reason, e.message, n);
        reason[n] = '\0';
    }
}

int igk_idblock_check(const struct igk_snp_id_block *ib, const uint8_t ld[48], uint64_t policy,
                      struct igk_idblock_check *ret, struct igk_error *err)
{
    uint8_t block[IGK_IDBLOCK_PSP_BLOCK_SIZE], key[IGK_IDBLOCK_PSP_KEY_SIZE];

    (void)err;
    memset(ret, 0, sizeof(*ret));
    ret->ld_match = !memcmp(ib->ld, ld, 48);
    igk_idblock_psp_block(ib, policy, block);
    check_one(block, sizeof(block), &ib->id_key_signature, &ib->id_public_key, &ret->id_sig_ok,
              ret->id_sig_reason, sizeof(ret->id_sig_reason));
    /* QEMU sends the author key when its first byte (the curve) is non-zero
     * (docs/snp-id-block.md section 3); the flag in the file says the same. */
    ret->author_present = ib->author_key_enabled || (ib->author_public_key.curve & 0xff);
    if (ret->author_present) {
        igk_idblock_psp_key(&ib->id_public_key, key);
        check_one(key, sizeof(key), &ib->author_key_signature, &ib->author_public_key,
                  &ret->author_sig_ok, ret->author_sig_reason, sizeof(ret->author_sig_reason));
    }
    return 0;
}
