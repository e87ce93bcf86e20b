/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the SEV-SNP ID block crypto and PSP encodings
 * (measure/sign-ec.c, measure/sign-psp.c): byte layouts at their documented
 * offsets (snp-measure.md section 7.1), key loading and refusal, ECDSA
 * P-384 sign/verify with the 72-byte little-endian fields, DER conversion.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "le.h"
#include "sign.h"
#include "tap.h"
#include "util.h"

static char tmpdir[] = "/tmp/igk-test-sign.XXXXXX";

static char *tmp_path(const char *name)
{
    static char buf[8][256];
    static int n;
    char *p = buf[n++ % 8];

    snprintf(p, 256, "%s/%s", tmpdir, name);
    return p;
}

static EVP_PKEY *gen_key(const char *curve)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

/* Writes a key as PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
static void write_key(EVP_PKEY *key, const char *path, bool sec1)
{
    FILE *f = fopen(path, "w");

    if (sec1)
        {
            BIO *b = BIO_new_fp(f, BIO_NOCLOSE);
            PEM_write_bio_PrivateKey_traditional(b, key, NULL, NULL, 0, NULL, NULL);
            BIO_free(b);
        }
    else
        PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    fputs(text, f);
    fclose(f);
}

static void test_tbs_layout(void)
{
    struct igk_sign_tbs tbs;
    uint8_t out[IGK_SNP_PSP_ID_BLOCK_SIZE], want[IGK_SNP_PSP_ID_BLOCK_SIZE];

    memset(&tbs, 0, sizeof(tbs));
    for (int i = 0; i < 48; i++)
        tbs.ld[i] = (uint8_t)(0x80 + i);
    for (int i = 0; i < 16; i++) {
        tbs.family_id[i] = (uint8_t)(0x10 + i);
        tbs.image_id[i] = (uint8_t)(0x40 + i);
    }
    tbs.version = 1;
    tbs.guest_svn = 0x01020304;
    tbs.policy = 0x30000;
    igk_sign_encode_tbs(&tbs, out);

    memset(want, 0, sizeof(want));
    memcpy(want, tbs.ld, 48);
    memcpy(want + 0x30, tbs.family_id, 16);
    memcpy(want + 0x40, tbs.image_id, 16);
    want[0x50] = 1;
    want[0x54] = 4, want[0x55] = 3, want[0x56] = 2, want[0x57] = 1;
    want[0x5a] = 3; /* 0x30000 little endian at 0x58 */
    is_mem(out, want, sizeof(want), "PSP ID block: LD@0, ids@0x30/0x40, version, svn, policy@0x58");
}

static void test_key_and_auth_layout(void)
{
    struct igk_snp_id_block block;
    uint8_t psp[IGK_SNP_PSP_KEY_SIZE], auth[IGK_SNP_PSP_ID_AUTH_SIZE], zero[0x404];
    uint8_t digest[48], want_digest[48];

    memset(&block, 0, sizeof(block));
    memset(zero, 0, sizeof(zero));
    block.id_public_key.curve = 2;
    block.id_public_key.reserved = 0xdeadbeef; /* IGVM-only field: must not leak */
    memset(block.id_public_key.qx, 0x11, 48);
    memset(block.id_public_key.qy, 0x22, 48);
    memset(block.id_key_signature.r, 0x33, 48);
    memset(block.id_key_signature.s, 0x44, 48);
    block.id_key_algorithm = 1;

    igk_sign_psp_key(&block.id_public_key, psp);
    is_int(igk_le32(psp), 2, "PSP key: curve at 0");
    ok(psp[4] == 0x11 && psp[4 + 47] == 0x11 && psp[4 + 48] == 0, "PSP key: qx at 4, 72 bytes");
    ok(psp[0x4c] == 0x22 && psp[0x4c + 47] == 0x22 && psp[0x4c + 48] == 0,
       "PSP key: qy at 0x4c (no reserved word between curve and qx)");
    ok(!memcmp(psp + 0x94, zero, 0x404 - 0x94), "PSP key: zero after qy up to 0x404");

    igk_sign_key_digest(&block.id_public_key, digest);
    igk_sha384(psp, sizeof(psp), want_digest);
    is_mem(digest, want_digest, 48, "key digest is SHA-384 of the 0x404-byte form");

    /* Without an author key, everything past the ID key stays zero. */
    igk_sign_encode_id_auth(&block, auth);
    is_int(igk_le32(auth), 1, "ID auth: ID_KEY_ALGO at 0");
    is_int(igk_le32(auth + 4), 0, "ID auth: AUTH_KEY_ALGO 0 without author key");
    ok(auth[0x40] == 0x33 && auth[0x40 + 72] == 0x44, "ID auth: r at 0x40, s at 0x88");
    is_mem(auth + 0x240, psp, 0x404, "ID auth: ID key (PSP form) at 0x240");
    ok(!memcmp(auth + 0x644, zero, 0x3c) && !memcmp(auth + 0x680, zero, 0x404) &&
           !memcmp(auth + 0xa84, zero, 0x404) && !memcmp(auth + 0xe88, zero, 0x178),
       "ID auth: author fields zero when not enabled");

    block.author_key_enabled = 1;
    block.author_key_algorithm = 1;
    block.author_public_key.curve = 2;
    memset(block.author_public_key.qx, 0x55, 48);
    memset(block.author_key_signature.r, 0x66, 48);
    igk_sign_encode_id_auth(&block, auth);
    is_int(igk_le32(auth + 4), 1, "ID auth: AUTH_KEY_ALGO 1 with author key");
    is_int(auth[0x680], 0x66, "ID auth: ID_KEY_SIG at 0x680");
    ok(igk_le32(auth + 0x880) == 2 && auth[0x884] == 0x55, "ID auth: AUTHOR_KEY at 0x880");
}

static void test_keys(void)
{
    struct igk_error err;
    EVP_PKEY *p256 = gen_key("P-256"), *p384 = gen_key("P-384"), *got = NULL;
    int r;

    write_key(p384, tmp_path("id-pkcs8.pem"), false);
    write_key(p384, tmp_path("id-sec1.pem"), true);
    write_key(p256, tmp_path("p256.pem"), false);
    write_text(tmp_path("junk.pem"), "this is not a key\n");

    igk_error_clear(&err);
    r = igk_sign_load_private_key(tmp_path("id-pkcs8.pem"), "ID key", &got, &err);
    ok(r == 0 && got && EVP_PKEY_eq(got, p384) == 1, "PKCS#8 P-384 key loads");
    EVP_PKEY_free(got);
    r = igk_sign_load_private_key(tmp_path("id-sec1.pem"), "ID key", &got, &err);
    ok(r == 0 && got && EVP_PKEY_eq(got, p384) == 1, "SEC1 P-384 key loads");
    EVP_PKEY_free(got);

    igk_error_clear(&err);
    r = igk_sign_load_private_key(tmp_path("p256.pem"), "ID key", &got, &err);
    is_int(r, IGK_E_INVALID, "P-256 key refused");
    is_str(err.message, "ID key is on curve prime256v1; SEV-SNP ID blocks need P-384 (secp384r1)",
           "P-256 message");
    ok(got == NULL && !strcmp(err.path, tmp_path("p256.pem")), "P-256: no key, path set");

    igk_error_clear(&err);
    r = igk_sign_load_private_key(tmp_path("junk.pem"), "author key", &got, &err);
    is_int(r, IGK_E_INVALID, "non-PEM file refused");
    is_str(err.message, "author key is not an unencrypted PEM private key (PKCS#8 or SEC1)",
           "non-PEM message");

    igk_error_clear(&err);
    r = igk_sign_load_private_key(tmp_path("missing.pem"), "ID key", &got, &err);
    is_int(r, IGK_E_IO, "missing key file is an I/O error");
    is_str(err.message, "cannot open ID key: No such file or directory", "missing file message");

    /* Public keys: a PUBKEY PEM; a private key file is not a public key. */
    FILE *f = fopen(tmp_path("id-pub.pem"), "w");
    PEM_write_PUBKEY(f, p384);
    fclose(f);
    igk_error_clear(&err);
    r = igk_sign_load_public_key(tmp_path("id-pub.pem"), "ID public key", &got, &err);
    ok(r == 0 && EVP_PKEY_eq(got, p384) == 1, "PEM public key loads");
    EVP_PKEY_free(got);
    r = igk_sign_load_public_key(tmp_path("junk.pem"), "ID public key", &got, &err);
    is_int(r, IGK_E_INVALID, "non-PEM public key refused");
    is_str(err.message, "ID public key is not a PEM public key or certificate", "message");

    EVP_PKEY_free(p256);
    EVP_PKEY_free(p384);
}

static void test_sign_verify(void)
{
    static const uint8_t msg[96] = {1, 2, 3};
    uint8_t other[96] = {1, 2, 4};
    struct igk_snp_public_key pub;
    struct igk_snp_signature sig, sig2;
    struct igk_error err;
    EVP_PKEY *key = gen_key("P-384"), *rebuilt = NULL;
    BIGNUM *x = NULL;
    uint8_t be[48];

    igk_error_clear(&err);
    is_int(igk_sign_ecdsa(key, msg, sizeof(msg), &sig, &err), 0, "ECDSA sign");
    is_int(igk_sign_verify(key, msg, sizeof(msg), &sig, &err), 0, "own signature verifies");
    is_int(igk_sign_verify(key, other, sizeof(other), &sig, &err), IGK_E_MISMATCH,
           "signature over other bytes does not verify");
    sig2 = sig;
    sig2.r[0] ^= 1;
    is_int(igk_sign_verify(key, msg, sizeof(msg), &sig2, &err), IGK_E_MISMATCH,
           "flipped bit in r does not verify");
    memset(&sig2, 0, sizeof(sig2));
    is_int(igk_sign_verify(key, msg, sizeof(msg), &sig2, &err), IGK_E_MISMATCH,
           "all-zero signature does not verify");
    ok(!memcmp(sig.r + 48, (uint8_t[24]){0}, 24) && !memcmp(sig.s + 48, (uint8_t[24]){0}, 24),
       "r and s are zero-extended past 48 bytes");

    /* The public point is little endian: compare with OpenSSL's big-endian X. */
    is_int(igk_sign_public_key(key, &pub, &err), 0, "public point");
    EVP_PKEY_get_bn_param(key, "qx", &x);
    BN_bn2binpad(x, be, 48);
    BN_free(x);
    ok(pub.curve == 2 && pub.qx[0] == be[47] && pub.qx[47] == be[0], "qx little endian");

    is_int(igk_sign_key_from_public(&pub, &rebuilt, &err), 0, "key rebuilt from qx/qy");
    is_int(igk_sign_verify(rebuilt, msg, sizeof(msg), &sig, &err), 0,
           "signature verifies with the rebuilt key");
    EVP_PKEY_free(rebuilt);
    pub.qy[0] ^= 1;
    is_int(igk_sign_key_from_public(&pub, &rebuilt, &err), IGK_E_INVALID,
           "point off the curve refused");
    is_str(err.message, "public key is not a point on P-384", "off-curve message");
    pub.qy[0] ^= 1;
    pub.qx[60] = 1;
    is_int(igk_sign_key_from_public(&pub, &rebuilt, &err), IGK_E_INVALID, "coordinate > 384 bits");
    EVP_PKEY_free(key);
}

static void test_der(void)
{
    static const uint8_t msg[] = "detached";
    unsigned char der[256];
    size_t der_len = sizeof(der);
    struct igk_snp_signature sig;
    struct igk_error err;
    EVP_PKEY *key = gen_key("P-384");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key);
    EVP_DigestSign(ctx, der, &der_len, msg, sizeof(msg));
    EVP_MD_CTX_free(ctx);

    igk_error_clear(&err);
    is_int(igk_sign_der_to_signature(der, der_len, &sig, &err), 0, "DER signature converts");
    is_int(igk_sign_verify(key, msg, sizeof(msg), &sig, &err), 0,
           "converted DER signature verifies");
    is_int(igk_sign_der_to_signature(der, der_len - 1, &sig, &err), IGK_E_INVALID,
           "truncated DER refused");
    is_str(err.message, "signature is not a DER ECDSA signature (SEQUENCE of r and s)",
           "truncated DER message");
    der[der_len] = 0;
    is_int(igk_sign_der_to_signature(der, der_len + 1, &sig, &err), IGK_E_INVALID,
           "DER with trailing bytes refused");
    is_int(igk_sign_der_to_signature((const uint8_t *)"raw", 3, &sig, &err), IGK_E_INVALID,
           "raw bytes refused");
    EVP_PKEY_free(key);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! mkdtemp failed\n");
        return 1;
    }
    test_tbs_layout();
    test_key_and_auth_layout();
    test_keys();
    test_sign_verify();
    test_der();
    for (const char *n = "id-pkcs8.pem\0id-sec1.pem\0p256.pem\0junk.pem\0id-pub.pem\0"; *n;
         n += strlen(n) + 1)
        unlink(tmp_path(n));
    rmdir(tmpdir);
    return tap_done();
}
