/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the SEV-SNP ID block crypto and PSP encodings
 * (sign/sign-ec.c, sign/sign-psp.c): byte layouts at their documented
 * offsets (docs/snp-id-block.md 1-2), key loading and refusal, ECDSA
 * P-384 sign/verify with the 72-byte little-endian fields, DER conversion.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/sign.h>

#include "le.h"
#include "sign-private.h"
#include "idblock.h"
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

    igk_idblock_psp_key(&block.id_public_key, psp);
    is_int(igk_le32(psp), 2, "PSP key: curve at 0");
    ok(psp[4] == 0x11 && psp[4 + 47] == 0x11 && psp[4 + 48] == 0, "PSP key: qx at 4, 72 bytes");
    ok(psp[0x4c] == 0x22 && psp[0x4c + 47] == 0x22 && psp[0x4c + 48] == 0,
       "PSP key: qy at 0x4c (no reserved word between curve and qx)");
    ok(!memcmp(psp + 0x94, zero, 0x404 - 0x94), "PSP key: zero after qy up to 0x404");

    igk_idblock_key_digest(&block.id_public_key, digest);
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
    is_int(igk_idblock_sign(key, msg, sizeof(msg), &sig, &err), 0, "ECDSA sign");
    is_int(igk_idblock_verify_pkey(key, msg, sizeof(msg), &sig, &err), 0, "own signature verifies");
    is_int(igk_idblock_verify_pkey(key, other, sizeof(other), &sig, &err), IGK_E_MISMATCH,
           "signature over other bytes does not verify");
    sig2 = sig;
    sig2.r[0] ^= 1;
    is_int(igk_idblock_verify_pkey(key, msg, sizeof(msg), &sig2, &err), IGK_E_MISMATCH,
           "flipped bit in r does not verify");
    memset(&sig2, 0, sizeof(sig2));
    is_int(igk_idblock_verify_pkey(key, msg, sizeof(msg), &sig2, &err), IGK_E_MISMATCH,
           "all-zero signature does not verify");
    ok(!memcmp(sig.r + 48, (uint8_t[24]){0}, 24) && !memcmp(sig.s + 48, (uint8_t[24]){0}, 24),
       "r and s are zero-extended past 48 bytes");

    /* The public point is little endian: compare with OpenSSL's big-endian X. */
    is_int(igk_idblock_key_from_pkey(key, &pub, &err), 0, "public point");
    EVP_PKEY_get_bn_param(key, "qx", &x);
    BN_bn2binpad(x, be, 48);
    BN_free(x);
    ok(pub.curve == 2 && pub.qx[0] == be[47] && pub.qx[47] == be[0], "qx little endian");

    is_int(igk_idblock_pkey_from_key(&pub, &rebuilt, &err), 0, "key rebuilt from qx/qy");
    is_int(igk_idblock_verify_pkey(rebuilt, msg, sizeof(msg), &sig, &err), 0,
           "signature verifies with the rebuilt key");
    EVP_PKEY_free(rebuilt);
    pub.qy[0] ^= 1;
    is_int(igk_idblock_pkey_from_key(&pub, &rebuilt, &err), IGK_E_INVALID,
           "point off the curve refused");
    is_str(err.message, "public key is not a point on P-384", "off-curve message");
    pub.qy[0] ^= 1;
    pub.qx[60] = 1;
    is_int(igk_idblock_pkey_from_key(&pub, &rebuilt, &err), IGK_E_INVALID, "coordinate > 384 bits");
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
    is_int(igk_idblock_sig_from_der(der, der_len, &sig, &err), 0, "DER signature converts");
    is_int(igk_idblock_verify_pkey(key, msg, sizeof(msg), &sig, &err), 0,
           "converted DER signature verifies");
    is_int(igk_idblock_sig_from_der(der, der_len - 1, &sig, &err), IGK_E_INVALID,
           "truncated DER refused");
    is_str(err.message, "signature is not a DER ECDSA signature (SEQUENCE of r and s)",
           "truncated DER message");
    der[der_len] = 0;
    is_int(igk_idblock_sig_from_der(der, der_len + 1, &sig, &err), IGK_E_INVALID,
           "DER with trailing bytes refused");
    is_int(igk_idblock_sig_from_der((const uint8_t *)"raw", 3, &sig, &err), IGK_E_INVALID,
           "raw bytes refused");
    EVP_PKEY_free(key);
}


static struct igk_igvm *read_sample(const char *name)
{
    const char *dir = getenv("TESTDATA");
    struct igk_igvm *igvm = NULL;
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
    if (igk_igvm_read_file(path, NULL, &igvm, NULL) < 0)
        return NULL;
    return igvm;
}

static void measure_snp(const struct igk_igvm *igvm, struct igk_measurement *m)
{
    struct igk_measure_options mo = {.loader = IGK_LOADER_QEMU};

    memset(m, 0, sizeof(*m));
    if (igk_measure(igvm, IGK_PLATFORM_SEV_SNP, &mo, m, NULL) < 0)
        m->digest_len = 0;
}

static size_t count_id_blocks(const struct igk_igvm *igvm)
{
    size_t n = 0;

    for (size_t i = 0; i < igvm->n_headers; i++)
        n += igvm->headers[i].type == IGK_VHT_SNP_ID_BLOCK;
    return n;
}

/* sign -> re-measure: same LD, both signatures verify, block appended last. */
static void test_sign_model(void)
{
    static const char minimal_ld[] = "5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d0"
                                     "8f0051dbbc9ce762d6969cbcdfaec3e0351e7";
    struct igk_snp_sign_options o;
    struct igk_measurement m;
    struct igk_error err;
    struct igk_igvm *igvm = read_sample("minimal_snp_v1.igvm");
    EVP_PKEY *id = gen_key("P-384"), *author = gen_key("P-384");
    const struct igk_snp_id_block *b;
    uint8_t tbs[96], id_block[96], id_auth[4096];
    size_t n;
    int r;

    if (!ok(igvm != NULL, "read minimal_snp_v1.igvm"))
        return;
    write_key(id, tmp_path("id.pem"), true);
    write_key(author, tmp_path("author.pem"), false);
    igk_snp_sign_options_init(&o);
    o.id_key = tmp_path("id.pem");
    o.author_key = tmp_path("author.pem");
    memset(o.family_id, 0xf1, 16);
    memset(o.image_id, 0x1d, 16);
    o.guest_svn = 7;

    igk_error_clear(&err);
    r = igk_snp_id_block_tbs(igvm, &o, tbs, &err);
    is_int(r, 0, "TBS of minimal_snp_v1");
    is_hex(tbs, 48, minimal_ld, "TBS starts with the file's SNP digest");
    ok(tbs[0x30] == 0xf1 && tbs[0x40] == 0x1d && igk_le32(tbs + 0x50) == 1 &&
           igk_le32(tbs + 0x54) == 7,
       "TBS carries ids, version 1, SVN 7");

    n = igvm->n_headers;
    r = igk_snp_sign(igvm, &o, &err);
    is_int(r, 0, "sign minimal_snp_v1 with ID and author keys");
    if (r < 0)
        diag("%s", err.message);
    is_int((long long)igvm->n_headers, (long long)n + 1, "one header added");
    b = igvm->headers[n].u.snp_id_block;
    ok(igvm->headers[n].type == IGK_VHT_SNP_ID_BLOCK && b->compatibility_mask == 1 &&
           b->author_key_enabled == 1 && b->id_key_algorithm == 1 &&
           b->author_key_algorithm == 1 && b->id_public_key.curve == 2,
       "ID block appended with SNP mask, algorithms 1, curve 2");
    is_hex(b->ld, 48, minimal_ld, "ID block LD = file digest");
    measure_snp(igvm, &m);
    is_hex(m.digest, 48, minimal_ld, "signed model re-measures to the same digest");
    ok(m.idblock == IGK_IDBLOCK_OK && m.idblock_ld_match && m.idblock_id_sig_ok &&
           m.idblock_author_present && m.idblock_author_sig_ok,
       "measure: LD matches, ID and author signatures valid");

    /* The QEMU values: the TBS again and the auth structure. */
    r = igk_snp_qemu_id_values(igvm, id_block, id_auth, &err);
    is_int(r, 0, "QEMU id-block/id-auth values");
    is_mem(id_block, tbs, 96, "id-block value is the signed TBS");
    ok(igk_le32(id_auth) == 1 && igk_le32(id_auth + 4) == 1 &&
           !memcmp(id_auth + 0x40, b->id_key_signature.r, 72) &&
           !memcmp(id_auth + 0x884, b->author_public_key.qx, 72),
       "id-auth holds the signature and keys at their offsets");

    /* Signing again replaces the block in place. */
    o.author_key = NULL;
    r = igk_snp_sign(igvm, &o, &err);
    ok(r == 0 && igvm->n_headers == n + 1 && count_id_blocks(igvm) == 1,
       "re-signing replaces the ID block in place");
    b = igvm->headers[n].u.snp_id_block;
    ok(b->author_key_enabled == 0 && b->author_key_algorithm == 0 &&
           !memcmp(&b->author_public_key, (uint8_t[152]){0}, sizeof(b->author_public_key)) &&
           !memcmp(&b->author_key_signature, (uint8_t[144]){0}, sizeof(b->author_key_signature)),
       "without an author key, the author fields are all zero");
    measure_snp(igvm, &m);
    ok(m.idblock == IGK_IDBLOCK_OK && m.idblock_id_sig_ok && !m.idblock_author_present,
       "measure: ID signature valid, no author key");

    EVP_PKEY_free(id);
    EVP_PKEY_free(author);
    igk_igvm_free(igvm);
}

/* snp_tdx_v1 carries a dummy ID block (LD 0xab...): signing replaces it. */
static void test_sign_replace(void)
{
    static const char qemu_ld[] = "ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f8"
                                  "18bea975b068113cec8a7def58081d8be903";
    struct igk_snp_sign_options o;
    struct igk_measurement m;
    struct igk_error err;
    struct igk_igvm *igvm = read_sample("snp_tdx_v1.igvm");
    size_t n, idx = SIZE_MAX;
    int r;

    if (!ok(igvm != NULL, "read snp_tdx_v1.igvm"))
        return;
    n = igvm->n_headers;
    for (size_t i = 0; i < n; i++)
        if (igvm->headers[i].type == IGK_VHT_SNP_ID_BLOCK)
            idx = i;
    measure_snp(igvm, &m);
    ok(idx != SIZE_MAX && m.idblock == IGK_IDBLOCK_LD_MISMATCH,
       "the sample's dummy ID block does not match");
    igk_snp_sign_options_init(&o);
    o.id_key = tmp_path("id.pem");
    igk_error_clear(&err);
    r = igk_snp_sign(igvm, &o, &err);
    ok(r == 0 && igvm->n_headers == n && igvm->headers[idx].type == IGK_VHT_SNP_ID_BLOCK,
       "sign replaces the dummy block at header #%zu", idx);
    is_hex(igvm->headers[idx].u.snp_id_block->ld, 48, qemu_ld, "new LD is the qemu-profile digest");
    measure_snp(igvm, &m);
    ok(m.idblock == IGK_IDBLOCK_OK && m.idblock_id_sig_ok, "replaced block verifies");

    /* Another loader profile signs another digest. */
    o.loader = IGK_LOADER_OPENVMM;
    r = igk_snp_sign(igvm, &o, &err);
    is_hex(igvm->headers[idx].u.snp_id_block->ld, 48,
           "bb3909476b59b771c5e6936b2fdf6bf9914ec077dc0786ee606ed425cffbb0c37f65a86dcda93dc2e28"
           "bf0ca4f682d44",
           "--loader openvmm signs the openvmm-profile digest");
    igk_igvm_free(igvm);
}

static void test_sign_refusals(void)
{
    struct igk_snp_sign_options o;
    struct igk_error err;
    struct igk_igvm *igvm;
    struct igk_header h = {.type = IGK_VHT_SUPPORTED_PLATFORM};
    size_t n;

    igk_snp_sign_options_init(&o);
    o.id_key = tmp_path("id.pem");

    /* No SNP platform. */
    igvm = igk_igvm_new(1, IGK_ARCH_X64);
    h.u.platform.platform_type = IGK_PLATFORM_NATIVE;
    h.u.platform.compatibility_mask = 1;
    igk_igvm_append(igvm, &h, NULL);
    igk_error_clear(&err);
    is_int(igk_snp_sign(igvm, &o, &err), IGK_E_UNSUPPORTED, "no SNP platform: unsupported");
    is_str(err.message, "the file does not declare platform sev-snp (it declares: native)",
           "no SNP platform: message");
    igk_igvm_free(igvm);

    /* SNP without GUEST_POLICY: drop the policy from the minimal sample. */
    igvm = read_sample("minimal_snp_v1.igvm");
    if (!igvm)
        return;
    for (size_t i = 0; i < igvm->n_headers; i++)
        if (igvm->headers[i].type == IGK_VHT_GUEST_POLICY)
            igvm->headers[i].u.guest_policy.compatibility_mask = 2;
    n = igvm->n_headers;
    igk_error_clear(&err);
    is_int(igk_snp_sign(igvm, &o, &err), IGK_E_INVALID, "no GUEST_POLICY for SNP: invalid");
    is_str(err.message,
           "no GUEST_POLICY header applies to the SEV-SNP platform (mask 0x1): the ID block "
           "must carry the launch policy",
           "no GUEST_POLICY: message");
    is_int((long long)igvm->n_headers, (long long)n, "model unchanged on error");
    igk_igvm_free(igvm);
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
    test_sign_model();
    test_sign_replace();
    test_sign_refusals();
    for (const char *n = "id-pkcs8.pem\0id-sec1.pem\0p256.pem\0junk.pem\0id-pub.pem\0id.pem\0author.pem\0"; *n;
         n += strlen(n) + 1)
        unlink(tmp_path(n));
    rmdir(tmpdir);
    return tap_done();
}
