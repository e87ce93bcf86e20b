/* SPDX-License-Identifier: MIT */
/*
 * ID block primitives and the SEV-SNP ID block check, with P-384 keys
 * generated here.  The PSP block, the PSP key form and the LE signature
 * fields are built in this file from docs/snp-id-block.md, independently
 * of measure/idblock.c, and signed with plain OpenSSL calls.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <igvmkit/measure.h>

#include "idblock.h"
#include "tap.h"

static struct igk_error err;
static uint8_t page[4096];

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Reference: public point of pkey as 72-byte LE qx, qy. */
static void ref_key(EVP_PKEY *pkey, struct igk_snp_public_key *k)
{
    BIGNUM *x = NULL, *y = NULL;

    memset(k, 0, sizeof(*k));
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x);
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
    k->curve = 2;
    BN_bn2lebinpad(x, k->qx, 72);
    BN_bn2lebinpad(y, k->qy, 72);
    BN_free(x);
    BN_free(y);
}

/* Reference: ECDSA-SHA384 signature of msg as 72-byte LE r, s. */
static void ref_sign(EVP_PKEY *pkey, const uint8_t *msg, size_t len, struct igk_snp_signature *s)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t der[256];
    size_t dlen = sizeof(der);
    const unsigned char *p = der;
    ECDSA_SIG *sig;
    const BIGNUM *r, *ss;

    EVP_DigestSignInit(c, NULL, EVP_sha384(), NULL, pkey);
    EVP_DigestSign(c, der, &dlen, msg, len);
    EVP_MD_CTX_free(c);
    sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
    ECDSA_SIG_get0(sig, &r, &ss);
    memset(s, 0, sizeof(*s));
    BN_bn2lebinpad(r, s->r, 72);
    BN_bn2lebinpad(ss, s->s, 72);
    ECDSA_SIG_free(sig);
}

/* Reference: the 96-byte PSP ID block (version forced to 1 as QEMU does). */
static void ref_block(const struct igk_snp_id_block *ib, uint64_t policy, uint8_t out[96])
{
    memset(out, 0, 96);
    memcpy(out, ib->ld, 48);
    memcpy(out + 48, ib->family_id, 16);
    memcpy(out + 64, ib->image_id, 16);
    put32(out + 80, 1);
    put32(out + 84, ib->guest_svn);
    put64(out + 88, policy);
}

static void ref_psp_key(const struct igk_snp_public_key *k, uint8_t out[0x404])
{
    memset(out, 0, 0x404);
    put32(out, k->curve);
    memcpy(out + 4, k->qx, 72);
    memcpy(out + 76, k->qy, 72);
}

/* The LD of the model below, spelled out: one NORMAL page at 0x1000. */
static void ref_ld(uint8_t ld[48])
{
    uint8_t info[112] = {0};

    EVP_Digest(page, sizeof(page), info + 48, NULL, EVP_sha384(), NULL);
    info[96] = 0x70;
    info[98] = 1;
    put64(info + 104, 0x1000);
    EVP_Digest(info, sizeof(info), ld, NULL, EVP_sha384(), NULL);
}

static struct igk_igvm *model(const struct igk_snp_id_block *ib)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);
    struct igk_header h = {.type = IGK_VHT_SUPPORTED_PLATFORM};

    h.u.platform.compatibility_mask = 1;
    h.u.platform.platform_type = IGK_PLATFORM_SEV_SNP;
    igk_igvm_append(m, &h, &err);
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_GUEST_POLICY;
    h.u.guest_policy.policy = 0x30000;
    h.u.guest_policy.compatibility_mask = 1;
    igk_igvm_append(m, &h, &err);
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_PAGE_DATA;
    h.u.page_data.gpa = 0x1000;
    h.u.page_data.compatibility_mask = 1;
    h.data = igk_igvm_keep(m, page, sizeof(page));
    h.data_size = sizeof(page);
    igk_igvm_append(m, &h, &err);
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_SNP_ID_BLOCK;
    h.u.snp_id_block = (const struct igk_snp_id_block *)igk_igvm_keep(m, ib, sizeof(*ib));
    igk_igvm_append(m, &h, &err);
    return m;
}

static void check(const struct igk_snp_id_block *ib, enum igk_idblock_status want_status,
                  bool ld, bool id, bool author, const char *name)
{
    struct igk_igvm *m = model(ib);
    struct igk_measurement r;

    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, NULL, &r, &err), 0, "%s: measures", name);
    is_int(r.idblock, want_status, "%s: status", name);
    ok(r.idblock_ld_match == ld, "%s: ld_match %d", name, ld);
    ok(r.idblock_id_sig_ok == id, "%s: id signature %d", name, id);
    ok(r.idblock_author_sig_ok == author, "%s: author signature %d", name, author);
    igk_igvm_free(m);
}

int main(void)
{
    EVP_PKEY *id_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    EVP_PKEY *author_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    struct igk_snp_id_block ib, bad;
    struct igk_snp_public_key k;
    struct igk_snp_signature sig, sig2;
    uint8_t block[96], want_block[96], key[0x404], want_key[0x404], digest[48];
    uint8_t *der;
    size_t der_len;
    EVP_PKEY *back = NULL;

    for (size_t i = 0; i < sizeof(page); i++)
        page[i] = (uint8_t)(i * 13 + 7);

    /* Primitives. */
    memset(&ib, 0, sizeof(ib));
    ib.compatibility_mask = 1;
    ref_ld(ib.ld);
    memset(ib.family_id, 0x11, 16);
    memset(ib.image_id, 0x22, 16);
    ib.version = 7; /* QEMU sends 1 whatever the file says */
    ib.guest_svn = 3;
    ib.id_key_algorithm = 1;
    ref_block(&ib, 0x30000, want_block);
    is_int(igk_idblock_psp_block(&ib, 0x30000, block), 0, "psp block");
    is_mem(block, want_block, 96, "PSP ID block layout (version 1, policy @0x58)");

    is_int(igk_idblock_key_from_pkey(id_key, &k, &err), 0, "key from pkey");
    ref_key(id_key, &ib.id_public_key);
    is_mem(&k, &ib.id_public_key, sizeof(k), "key fields are little endian, curve 2");
    igk_idblock_psp_key(&k, key);
    ref_psp_key(&k, want_key);
    is_mem(key, want_key, sizeof(key), "PSP key form: curve @0, qx @4, qy @76");
    is_int(igk_idblock_key_digest(&k, digest), 0, "key digest");
    {
        uint8_t want[48];
        EVP_Digest(want_key, sizeof(want_key), want, NULL, EVP_sha384(), NULL);
        is_mem(digest, want, 48, "key digest = SHA-384 of the PSP form");
    }
    is_int(igk_idblock_pkey_from_key(&k, &back, &err), 0, "pkey from key");
    EVP_PKEY_free(back);
    is_int(igk_idblock_key_from_pkey(p256, &k, &err), IGK_E_INVALID, "P-256 key refused");
    is_str(err.message, "key is not an EC P-384 key (curve prime256v1)", "P-256 message");

    ref_sign(id_key, want_block, 96, &sig);
    is_int(igk_idblock_verify_sig(want_block, 96, &sig, &ib.id_public_key, &err), 0,
           "reference signature verifies");
    is_int(igk_idblock_sig_to_der(&sig, &der, &der_len, &err), 0, "sig to DER");
    is_int(igk_idblock_sig_from_der(der, der_len, &sig2, &err), 0, "DER to sig");
    is_mem(&sig2, &sig, sizeof(sig), "DER round trip");
    free(der);
    is_int(igk_idblock_sign(id_key, want_block, 96, &sig2, &err), 0, "sign");
    is_int(igk_idblock_verify_sig(want_block, 96, &sig2, &ib.id_public_key, &err), 0,
           "own signature verifies");
    sig2.r[0] ^= 1;
    igk_error_clear(&err);
    is_int(igk_idblock_verify_sig(want_block, 96, &sig2, &ib.id_public_key, &err),
           IGK_E_MISMATCH, "corrupted signature does not verify");
    is_str(err.message, "signature does not verify", "mismatch message");
    k = ib.id_public_key;
    k.qy[0] ^= 1;
    igk_error_clear(&err);
    is_int(igk_idblock_verify_sig(want_block, 96, &sig, &k, &err), IGK_E_INVALID,
           "point off the curve is invalid");
    is_str(err.message, "public key is not a point on P-384", "off-curve message");
    k = ib.id_public_key;
    k.curve = 3;
    is_int(igk_idblock_verify_sig(want_block, 96, &sig, &k, &err), IGK_E_INVALID,
           "curve 3 is invalid");
    is_str(err.message, "public key curve is 3, not 2 (P-384)", "curve message");
    is_int(igk_idblock_sig_from_der((const uint8_t *)"\x30\x01", 2, &sig2, &err), IGK_E_INVALID,
           "bad DER");

    /* The check inside igk_measure: good, then each corruption. */
    ib.id_key_signature = sig;
    ib.author_key_enabled = 1;
    ib.author_key_algorithm = 1;
    ref_key(author_key, &ib.author_public_key);
    ref_psp_key(&ib.id_public_key, want_key);
    ref_sign(author_key, want_key, sizeof(want_key), &ib.author_key_signature);
    check(&ib, IGK_IDBLOCK_OK, true, true, true, "good ID block");

    bad = ib;
    bad.id_key_signature.s[5] ^= 0x80;
    check(&bad, IGK_IDBLOCK_BAD_SIGNATURE, true, false, true, "corrupted ID signature");
    bad = ib;
    bad.author_key_signature.r[1] ^= 0x01;
    check(&bad, IGK_IDBLOCK_BAD_SIGNATURE, true, true, false, "corrupted author signature");
    bad = ib;
    bad.guest_svn = 4; /* signed block no longer matches */
    check(&bad, IGK_IDBLOCK_BAD_SIGNATURE, true, false, true, "svn changed after signing");
    bad = ib;
    bad.ld[0] ^= 0xff;
    check(&bad, IGK_IDBLOCK_LD_MISMATCH, false, false, true, "wrong LD");

    EVP_PKEY_free(id_key);
    EVP_PKEY_free(author_key);
    EVP_PKEY_free(p256);
    return tap_done();
}
