/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP chain of trust, offline (see <igvmkit/attest.h>): a report is
 * genuine when its ECDSA P-384 signature verifies with a VCEK (or VLEK)
 * whose certificate is signed by the ASK (ASVK) of the report's product line,
 * which is signed by the pinned ARK of that line, every certificate valid at
 * the chosen time, and the VCEK's AMD extensions naming the report's chip and
 * TCB.  Certificate layout and extensions: AMD 57230 ("Versioned Chip
 * Endorsement Key (VCEK) Certificate and KDS Interface Specification"),
 * sections 2-3: RSASSA-PSS with SHA-384 for the ARK, ASK, ASVK and the
 * signatures on VCEK/VLEK; extensions 1.3.6.1.4.1.3704.1.2 productName
 * (IA5String), .1.3.1 blSPL, .1.3.2 teeSPL, .1.3.3 snpSPL, .1.3.8 ucodeSPL,
 * .1.3.9 fmcSPL (Turin), each an INTEGER, and .1.4 hwID (the CHIP_ID, 64
 * bytes; 8 bytes on Turin).  Which key signed the report: the report's
 * SIGNING_KEY field (AMD SEV-SNP firmware ABI, ATTESTATION_REPORT byte 0x48
 * bits 4:2: 0 VCEK, 1 VLEK, 7 none).
 *
 * Every link is a row; mismatches are rows, not errors, so the user sees all
 * of them.  Errors are only for a VCEK file that cannot be a VCEK at all.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <igvmkit/attest.h>
#include "util.h"

/* ---- certificate files ---- */

void igk_cert_list_free(struct igk_cert_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++)
        X509_free(list->certs[i]);
    list->n = 0;
}

static bool looks_like_pem(const uint8_t *buf, size_t len)
{
    static const char begin[] = "-----BEGIN ";

    for (size_t i = 0; i + sizeof(begin) - 1 <= len; i++)
        if (!memcmp(buf + i, begin, sizeof(begin) - 1))
            return true;
    return false;
}

static int parse_pem(const uint8_t *buf, size_t len, struct igk_cert_list *ret,
                     struct igk_error *err)
{
    BIO *bio = BIO_new_mem_buf(buf, (int)len);
    X509 *c;

    if (!bio)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    ERR_clear_error();
    while ((c = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
        if (ret->n == IGK_CERT_LIST_MAX) {
            X509_free(c);
            BIO_free(bio);
            igk_cert_list_free(ret);
            return igk_error_set(err, IGK_E_INVALID, "more than %u certificates",
                                 IGK_CERT_LIST_MAX);
        }
        ret->certs[ret->n++] = c;
    }
    BIO_free(bio);
    /* PEM_read_bio_X509 ends with "no start line" at the end of the file;
     * anything else is a broken block. */
    if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
        ERR_clear_error();
        igk_cert_list_free(ret);
        return igk_error_set(err, IGK_E_INVALID, "a PEM certificate block does not decode");
    }
    ERR_clear_error();
    if (ret->n == 0)
        return igk_error_set(err, IGK_E_INVALID, "no CERTIFICATE block in this PEM file");
    return 0;
}

int igk_cert_list_parse(const uint8_t *buf, size_t len, struct igk_cert_list *ret,
                        struct igk_error *err)
{
    const unsigned char *p = buf;
    X509 *c;

    memset(ret, 0, sizeof(*ret));
    if (len > IGK_CERT_FILE_MAX)
        return igk_error_set(err, IGK_E_INVALID,
                             "%zu bytes is more than a certificate file has (limit %u)", len,
                             IGK_CERT_FILE_MAX);
    if (looks_like_pem(buf, len))
        return parse_pem(buf, len, ret, err);
    c = d2i_X509(NULL, &p, (long)len);
    ERR_clear_error();
    if (!c)
        return igk_error_set(err, IGK_E_INVALID, "neither a DER certificate nor PEM");
    if (p != buf + len) {
        X509_free(c);
        return igk_error_set(err, IGK_E_INVALID,
                             "%zu bytes follow the DER certificate (one certificate per DER file)",
                             (size_t)(buf + len - p));
    }
    ret->certs[ret->n++] = c;
    return 0;
}

/* ---- what a certificate is ---- */

enum role { ROLE_OTHER, ROLE_VCEK, ROLE_VLEK, ROLE_ASK, ROLE_ASVK, ROLE_ARK };

static void subject_cn(X509 *c, char *out, size_t size)
{
    out[0] = 0;
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(c), NID_commonName, out, (int)size) < 0)
        out[0] = 0;
}

static void issuer_cn(X509 *c, char *out, size_t size)
{
    out[0] = 0;
    if (X509_NAME_get_text_by_NID(X509_get_issuer_name(c), NID_commonName, out, (int)size) < 0)
        out[0] = 0;
}

/* By AMD's subject names (57230): the signatures decide; names only pick. */
static enum role cert_role(X509 *c)
{
    char cn[128];

    subject_cn(c, cn, sizeof(cn));
    if (!strcmp(cn, "SEV-VCEK"))
        return ROLE_VCEK;
    if (!strcmp(cn, "SEV-VLEK"))
        return ROLE_VLEK;
    if (!strncmp(cn, "ARK-", 4))
        return ROLE_ARK;
    if (!strncmp(cn, "SEV-VLEK-", 9))
        return ROLE_ASVK;
    if (!strncmp(cn, "SEV-", 4))
        return ROLE_ASK;
    return ROLE_OTHER;
}

static enum igk_amd_product cert_product_by_cn(X509 *c)
{
    char cn[128];

    subject_cn(c, cn, sizeof(cn));
    return igk_amd_product_from_name(cn);
}

/* The DER contents of an AMD extension (1.3.6.1.4.1.3704.<suffix>); NULL if absent. */
static const ASN1_OCTET_STRING *amd_extension(X509 *c, const char *suffix)
{
    char oid[64];
    ASN1_OBJECT *obj;
    int i;

    snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.%s", suffix);
    obj = OBJ_txt2obj(oid, 1);
    if (!obj)
        return NULL;
    i = X509_get_ext_by_OBJ(c, obj, -1);
    ASN1_OBJECT_free(obj);
    if (i < 0)
        return NULL;
    return X509_EXTENSION_get_data(X509_get_ext(c, i));
}

/* An SPL extension: a DER INTEGER 0..255.  -1 when absent or malformed. */
static int amd_spl(X509 *c, const char *suffix)
{
    const ASN1_OCTET_STRING *ext = amd_extension(c, suffix);
    const unsigned char *p;
    ASN1_INTEGER *v;
    int64_t n = -1;

    if (!ext)
        return -1;
    p = ASN1_STRING_get0_data(ext);
    v = d2i_ASN1_INTEGER(NULL, &p, ASN1_STRING_length(ext));
    if (!v || p != ASN1_STRING_get0_data(ext) + ASN1_STRING_length(ext) ||
        ASN1_INTEGER_get_int64(&n, v) != 1 || n < 0 || n > 255)
        n = -1;
    ASN1_INTEGER_free(v);
    ERR_clear_error();
    return (int)n;
}

/* productName (IA5String) of a VCEK/VLEK, "" if absent. */
static void amd_product_name(X509 *c, char *out, size_t size)
{
    const ASN1_OCTET_STRING *ext = amd_extension(c, "1.2");
    const unsigned char *p;
    ASN1_IA5STRING *s;

    out[0] = 0;
    if (!ext)
        return;
    p = ASN1_STRING_get0_data(ext);
    s = d2i_ASN1_IA5STRING(NULL, &p, ASN1_STRING_length(ext));
    if (s && (size_t)ASN1_STRING_length(s) < size &&
        !memchr(ASN1_STRING_get0_data(s), 0, (size_t)ASN1_STRING_length(s))) {
        memcpy(out, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
        out[ASN1_STRING_length(s)] = 0;
    }
    ASN1_IA5STRING_free(s);
    ERR_clear_error();
}

/*
 * hwID: the CHIP_ID bytes (64, or 8 on Turin).  AMD's KDS has served it both
 * as the raw bytes and wrapped in a DER OCTET STRING; both are read.
 * Returns the length, 0 when absent or of another size.
 */
static size_t amd_hwid(X509 *c, uint8_t out[64])
{
    const ASN1_OCTET_STRING *ext = amd_extension(c, "1.4");
    const uint8_t *p;
    size_t n;

    if (!ext)
        return 0;
    p = ASN1_STRING_get0_data(ext);
    n = (size_t)ASN1_STRING_length(ext);
    if ((n == 66 || n == 10) && p[0] == 0x04 && p[1] == n - 2) {
        p += 2;
        n -= 2;
    }
    if (n != 64 && n != 8)
        return 0;
    memcpy(out, p, n);
    return n;
}

/* ---- links ---- */

/* Where a CA certificate came from, for the reader. */
enum origin { FROM_CHAIN_FILE, FROM_VCEK_FILE, BUILT_IN };
static const char *const origin_words[] = {"from the chain file", "from the VCEK file", "built in"};

struct ca {
    X509 *cert; /* NULL: none known */
    enum origin origin;
    bool owned; /* parsed from the built-in PEM */
};

static X509 *builtin_cert(enum igk_amd_product product, enum igk_amd_cert_role role)
{
    const char *pem = igk_amd_cert_pem(product, role);
    BIO *bio;
    X509 *c;

    if (!pem)
        return NULL;
    bio = BIO_new_mem_buf(pem, -1);
    c = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    ERR_clear_error();
    return c;
}

/* A CA of the role: from the chain file, else the VCEK file, else built in;
 * among several of one file the one of the product line. */
static struct ca find_ca(const struct igk_snp_trust_options *o, enum role role,
                         enum igk_amd_product product)
{
    const struct igk_cert_list *lists[2] = {o->chain, o->vcek};
    struct ca ca = {NULL, BUILT_IN, false};

    for (int l = 0; l < 2 && !ca.cert; l++) {
        if (!lists[l])
            continue;
        for (size_t i = 0; i < lists[l]->n; i++) {
            X509 *c = lists[l]->certs[i];

            if (cert_role(c) != role)
                continue;
            if (!ca.cert ||
                (cert_product_by_cn(c) == product && cert_product_by_cn(ca.cert) != product)) {
                ca.cert = c;
                ca.origin = l == 0 ? FROM_CHAIN_FILE : FROM_VCEK_FILE;
            }
        }
    }
    if (!ca.cert && product != IGK_AMD_PRODUCT_UNKNOWN) {
        enum igk_amd_cert_role r = role == ROLE_ARK   ? IGK_AMD_ARK
                                   : role == ROLE_ASK ? IGK_AMD_ASK
                                                      : IGK_AMD_ASVK;

        ca.cert = builtin_cert(product, r);
        ca.owned = ca.cert != NULL;
    }
    return ca;
}

static void ca_free(struct ca *ca)
{
    if (ca->owned)
        X509_free(ca->cert);
    ca->cert = NULL;
}

/*
 * The link child <- issuer: RSASSA-PSS with SHA-384 (57230), by the issuer's
 * RSA key.  Adds the row.
 */
static void check_link(struct igk_verify_table *t, const char *field, X509 *child,
                       const char *child_name, const struct ca *issuer, const char *issuer_name)
{
    struct igk_verify_row *row;
    char cn[128], expected[132];
    int mdnid = 0, pknid = 0;
    EVP_PKEY *key;
    bool ok;

    if (!issuer->cert) {
        igk_verify_add_not_checked(t, field, false,
                                   "no %s certificate: the product line is unknown and none was "
                                   "given",
                                   issuer_name);
        return;
    }
    subject_cn(issuer->cert, cn, sizeof(cn));
    snprintf(expected, sizeof(expected), "RSA-PSS SHA-384 by %s (%s)", cn,
             origin_words[issuer->origin]);
    if (!X509_get_signature_info(child, &mdnid, &pknid, NULL, NULL) || pknid != NID_rsassaPss ||
        mdnid != NID_sha384) {
        ERR_clear_error();
        row = igk_verify_add_text(t, field, expected, "another algorithm", false);
        igk_verify_row_reason(row, "the %s is not signed with RSA-PSS/SHA-384 (signature %s)",
                              child_name, OBJ_nid2sn(X509_get_signature_nid(child)));
        return;
    }
    key = X509_get0_pubkey(issuer->cert);
    ok = key && (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS")) &&
         X509_verify(child, key) == 1;
    ERR_clear_error();
    row = igk_verify_add_text(t, field, expected, ok ? "valid" : "invalid", ok);
    if (!ok)
        igk_verify_row_reason(row, "the %s is not signed by this %s", child_name, issuer_name);
}

static void asn1_time_text(const ASN1_TIME *at, char out[64])
{
    struct tm tm;

    if (!at || !ASN1_TIME_to_tm(at, &tm)) {
        snprintf(out, 64, "(unreadable)");
        return;
    }
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void check_validity(struct igk_verify_table *t, const char *field, X509 *c, const char *name,
                           int64_t at)
{
    const ASN1_TIME *nb, *na;
    char when[32], from[64], to[64], expected[64], actual[132];
    struct igk_verify_row *row;
    int before, after;

    if (!c) {
        igk_verify_add_not_checked(t, field, false, "no %s certificate", name);
        return;
    }
    nb = X509_get0_notBefore(c);
    na = X509_get0_notAfter(c);
    igk_time_format(at, when);
    asn1_time_text(nb, from);
    asn1_time_text(na, to);
    snprintf(expected, sizeof(expected), "valid at %s", when);
    snprintf(actual, sizeof(actual), "%s to %s", from, to);
    before = nb ? ASN1_TIME_cmp_time_t(nb, (time_t)at) : -2; /* 1: notBefore is later */
    after = na ? ASN1_TIME_cmp_time_t(na, (time_t)at) : -2;  /* -1: notAfter is earlier */
    ERR_clear_error();
    row = igk_verify_add_text(t, field, expected, actual,
                              before != -2 && after != -2 && before <= 0 && after >= 0);
    if (before == -2 || after == -2)
        igk_verify_row_reason(row, "the %s's validity dates do not decode", name);
    else if (before > 0)
        igk_verify_row_reason(row, "the %s is not valid before %s", name, from);
    else if (after < 0)
        igk_verify_row_reason(row, "the %s expired %s", name, to);
}

static void check_pin(struct igk_verify_table *t, const struct ca *ark,
                      enum igk_amd_product product)
{
    const uint8_t *pin = igk_amd_ark_sha256(product);
    uint8_t digest[32];
    unsigned char *der = NULL;
    struct igk_verify_row *row;
    int n;

    if (!ark->cert || !pin) {
        igk_verify_add_not_checked(t, "ARK_PINNED", false, "no pinned ARK for product line %s",
                                   igk_amd_product_name(product));
        return;
    }
    n = i2d_X509(ark->cert, &der);
    if (n <= 0 || igk_sha256(der, (size_t)n, digest) < 0) {
        OPENSSL_free(der);
        ERR_clear_error();
        igk_verify_add_not_checked(t, "ARK_PINNED", false, "the ARK does not encode");
        return;
    }
    OPENSSL_free(der);
    row = igk_verify_add_bytes(t, "ARK_PINNED", pin, digest, 32);
    if (row && !row->match)
        igk_verify_row_reason(row, "the ARK is not AMD's ARK-%s (SHA-256 of its DER differs)",
                              igk_amd_product_name(product));
}

/* The product line each certificate names, against the report's. */
static void check_product(struct igk_verify_table *t, enum igk_amd_product want,
                          const char *want_source, X509 *leaf, const char *leaf_name,
                          const struct ca *mid, const char *mid_name, const struct ca *ark)
{
    char name[64], expected[132], actual[132];
    enum igk_amd_product leaf_p, mid_p, ark_p;
    struct igk_verify_row *row;

    amd_product_name(leaf, name, sizeof(name));
    leaf_p = igk_amd_product_from_name(name);
    if (leaf_p == IGK_AMD_PRODUCT_UNKNOWN) { /* no productName: the issuer's name says it */
        issuer_cn(leaf, name, sizeof(name));
        leaf_p = igk_amd_product_from_name(name);
    }
    mid_p = mid->cert ? cert_product_by_cn(mid->cert) : IGK_AMD_PRODUCT_UNKNOWN;
    ark_p = ark->cert ? cert_product_by_cn(ark->cert) : IGK_AMD_PRODUCT_UNKNOWN;
    snprintf(expected, sizeof(expected), "%s (%s)", igk_amd_product_name(want), want_source);
    if (leaf_p == mid_p && mid_p == ark_p)
        snprintf(actual, sizeof(actual), "%s", igk_amd_product_name(leaf_p));
    else
        snprintf(actual, sizeof(actual), "%s %s, %s %s, ARK %s", leaf_name,
                 igk_amd_product_name(leaf_p), mid_name, igk_amd_product_name(mid_p),
                 igk_amd_product_name(ark_p));
    row = igk_verify_add_text(t, "PRODUCT", expected, actual,
                              want != IGK_AMD_PRODUCT_UNKNOWN && leaf_p == want && mid_p == want &&
                                  ark_p == want);
    if (row && !row->match)
        igk_verify_row_reason(row, want == IGK_AMD_PRODUCT_UNKNOWN
                                       ? "the report's CPU is not a known SEV-SNP product line"
                                       : "the certificates are not all of the report's product "
                                         "line");
}

static void check_chip_id(struct igk_verify_table *t, X509 *leaf, bool vlek,
                          const struct igk_snp_report *r)
{
    static const uint8_t zero[64];
    struct igk_verify_row *row;
    uint8_t hwid[64];
    size_t n;

    if (vlek) {
        igk_verify_row_inform(
            t, igk_verify_add_not_checked(t, "CHIP_ID", false,
                                          "a VLEK is not bound to one chip and has no hwID"));
        return;
    }
    if (!memcmp(r->chip_id, zero, 64)) {
        /* The host may zero CHIP_ID in every report (SNP_CONFIG MASK_CHIP_ID);
         * the VCEK's signature still binds the report to its chip. */
        igk_verify_row_inform(
            t, igk_verify_add_not_checked(t, "CHIP_ID", false,
                                          "the report's CHIP_ID is zero: the host masks it"));
        return;
    }
    n = amd_hwid(leaf, hwid);
    if (n == 0) {
        row = igk_verify_add_text(t, "CHIP_ID", "hwID of the VCEK", "absent", false);
        igk_verify_row_reason(row, "the VCEK has no readable hwID extension");
        return;
    }
    /* Turin's hwID is the first 8 bytes of CHIP_ID; the rest is zero. */
    row = igk_verify_add_bytes(t, "CHIP_ID", hwid, r->chip_id, n);
    if (row && row->match && memcmp(r->chip_id + n, zero, 64 - n)) {
        row->status = IGK_VERIFY_MISMATCH;
        row->match = false;
        t->n_mismatches++;
    }
    if (row && !row->match)
        igk_verify_row_reason(row, "the VCEK is for another chip");
}

static void check_tcb(struct igk_verify_table *t, X509 *leaf, const char *leaf_name,
                      const struct igk_snp_report *r, enum igk_amd_product product)
{
    struct igk_snp_tcb got, cert;
    int bl = amd_spl(leaf, "1.3.1"), tee = amd_spl(leaf, "1.3.2"), snp = amd_spl(leaf, "1.3.3");
    int ucode = amd_spl(leaf, "1.3.8"), fmc = amd_spl(leaf, "1.3.9");
    char expected[132], actual[132];
    struct igk_verify_row *row;

    igk_snp_tcb_decode(r->reported_tcb, product, &got);
    igk_snp_tcb_format(&got, actual, sizeof(actual));
    if (bl < 0 || tee < 0 || snp < 0 || ucode < 0 || (got.has_fmc && fmc < 0)) {
        row = igk_verify_add_text(t, "REPORTED_TCB", "SPL extensions of the VCEK", actual, false);
        igk_verify_row_reason(row, "the %s lacks one of blSPL, teeSPL, snpSPL, ucodeSPL%s",
                              leaf_name, got.has_fmc ? ", fmcSPL" : "");
        return;
    }
    cert = (struct igk_snp_tcb){.has_fmc = got.has_fmc,
                                .fmc = (uint8_t)(fmc < 0 ? 0 : fmc),
                                .bootloader = (uint8_t)bl,
                                .tee = (uint8_t)tee,
                                .snp = (uint8_t)snp,
                                .microcode = (uint8_t)ucode};
    igk_snp_tcb_format(&cert, expected, sizeof(expected));
    row = igk_verify_add_text(t, "REPORTED_TCB", expected, actual,
                              !memcmp(&cert, &got, sizeof(cert)));
    if (row && !row->match)
        igk_verify_row_reason(row, "the %s was issued for another TCB than the report's",
                              leaf_name);
}

/* ---- no certificate: say which one to fetch ---- */

static bool all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void note_needed(struct igk_verify_table *t, const struct igk_snp_report *r,
                        enum igk_amd_product product)
{
    struct igk_snp_tcb tcb;
    char tcbtext[64], chip[129], fmc[16] = "";
    const char *name =
        product != IGK_AMD_PRODUCT_UNKNOWN ? igk_amd_product_name(product) : "{Milan|Genoa}";
    size_t chiplen = product == IGK_AMD_TURIN ? 8 : 64;

    igk_snp_tcb_decode(r->reported_tcb, product, &tcb);
    igk_snp_tcb_format(&tcb, tcbtext, sizeof(tcbtext));
    if (tcb.has_fmc)
        snprintf(fmc, sizeof(fmc), "fmcSPL=%u&", tcb.fmc);
    if (r->signing_key == IGK_SNP_SIGNING_KEY_VLEK) {
        igk_verify_add_note(t,
                            "needed: the VLEK certificate (%s, REPORTED_TCB %s) of the cloud "
                            "provider whose VLEK signed this report; AMD's KDS gives VLEKs to "
                            "registered providers only",
                            name, tcbtext);
        return;
    }
    if (all_zero(r->chip_id, 64)) {
        igk_verify_add_note(t,
                            "needed: the VCEK (%s, REPORTED_TCB %s); the report's CHIP_ID is "
                            "masked, so ask the host for the certificate",
                            name, tcbtext);
        return;
    }
    igk_hex_encode(r->chip_id, chiplen, chip);
    igk_verify_add_note(t, "needed: the VCEK of %s chip %s at REPORTED_TCB %s", name, chip,
                        tcbtext);
    igk_verify_add_note(t,
                        "fetch it from AMD's key distribution service: "
                        "https://kdsintf.amd.com/vcek/v1/%s/%s?%sblSPL=%u&teeSPL=%u&snpSPL=%u&"
                        "ucodeSPL=%u",
                        name, chip, fmc, tcb.bootloader, tcb.tee, tcb.snp, tcb.microcode);
}

/* ---- the whole chain ---- */

static int leaf_key_check(X509 *leaf, const char *leaf_name, struct igk_error *err)
{
    EVP_PKEY *key = X509_get0_pubkey(leaf);
    char curve[64] = "";
    size_t n = 0;

    ERR_clear_error();
    if (!key)
        return igk_error_set(err, IGK_E_INVALID, "the %s's public key does not decode", leaf_name);
    if (!EVP_PKEY_is_a(key, "EC"))
        return igk_error_set(err, IGK_E_INVALID,
                             "the %s key is %s; a VCEK or VLEK holds an ECDSA P-384 key", leaf_name,
                             EVP_PKEY_get0_type_name(key));
    if (!EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof(curve), &n) ||
        strcmp(curve, "secp384r1")) {
        ERR_clear_error();
        return igk_error_set(err, IGK_E_INVALID,
                             "the %s's key is on curve %s; a VCEK or VLEK is on P-384 "
                             "(secp384r1)",
                             leaf_name, curve[0] ? curve : "(unknown)");
    }
    return 0;
}

static void not_checked_all(struct igk_verify_table *t, const struct igk_snp_trust_options *o,
                            const struct igk_snp_report *r, enum igk_amd_product product)
{
    const char *why = o->no_signature ? "--no-signature given" : "no VCEK given";

    igk_verify_add_not_checked(t, "REPORT_SIGNATURE", o->no_signature, "%s", why);
    igk_verify_add_not_checked(t, "CERT_CHAIN", o->no_signature, "%s", why);
    note_needed(t, r, product);
}

int igk_snp_authenticate(const uint8_t *report, size_t len, const struct igk_snp_report *r,
                         const struct igk_snp_trust_options *o, struct igk_verify_table *t,
                         struct igk_error *err)
{
    enum igk_amd_product product = igk_snp_report_product(r);
    const char *product_source = "report CPUID";
    char want[64], have[96], cn[128], name[64];
    struct ca mid = {0}, ark = {0};
    const char *leaf_name, *mid_name;
    struct igk_verify_row *row;
    X509 *leaf = NULL;
    bool vlek;
    int rc;

    if (!o->vcek || o->vcek->n == 0) {
        not_checked_all(t, o, r, product);
        return 0;
    }
    for (size_t i = 0; i < o->vcek->n && !leaf; i++) {
        enum role role = cert_role(o->vcek->certs[i]);

        if (role != ROLE_ARK && role != ROLE_ASK && role != ROLE_ASVK)
            leaf = o->vcek->certs[i];
    }
    if (!leaf)
        return igk_error_set(err, IGK_E_INVALID,
                             "no VCEK or VLEK certificate in it (only AMD CA certificates)");
    vlek = cert_role(leaf) == ROLE_VLEK;
    leaf_name = vlek ? "VLEK" : "VCEK";
    rc = leaf_key_check(leaf, leaf_name, err);
    if (rc < 0)
        return rc;

    /* The report names its CPU from version 3; before, the chain's own product line. */
    if (r->version < 3) {
        amd_product_name(leaf, name, sizeof(name));
        product = igk_amd_product_from_name(name);
        if (product == IGK_AMD_PRODUCT_UNKNOWN) {
            issuer_cn(leaf, name, sizeof(name));
            product = igk_amd_product_from_name(name);
        }
        product_source = "the VCEK's, report version 2 names no CPU";
    }

    /* 1. the report signature by the leaf key */
    {
        EVP_PKEY *key = X509_get0_pubkey(leaf);
        struct igk_error serr;

        igk_error_clear(&serr);
        rc = igk_snp_report_verify(report, len, key, &serr);
        if (rc == IGK_E_INVALID) {
            *err = serr;
            return rc;
        }
        snprintf(want, sizeof(want), "ECDSA P-384 SHA-384 by the %s", leaf_name);
        row = igk_verify_add_text(t, "REPORT_SIGNATURE", want, rc == 0 ? "valid" : "invalid",
                                  rc == 0);
        if (rc != 0 && r->mask_chip_key)
            igk_verify_row_reason(row, "the report is unsigned: MASK_CHIP_KEY is set");
        else if (rc != 0)
            igk_verify_row_reason(row, "the report was altered or not signed by this %s",
                                  leaf_name);
    }

    /* 2. which key the report says signed it */
    subject_cn(leaf, cn, sizeof(cn));
    snprintf(want, sizeof(want), "%s (report SIGNING_KEY %u)",
             r->signing_key == IGK_SNP_SIGNING_KEY_VCEK   ? "VCEK"
             : r->signing_key == IGK_SNP_SIGNING_KEY_VLEK ? "VLEK"
                                                          : "none",
             r->signing_key);
    snprintf(have, sizeof(have), "%s (CN=%s)", cert_role(leaf) == ROLE_OTHER ? "other" : leaf_name,
             cn);
    row = igk_verify_add_text(
        t, "SIGNING_KEY", want, have,
        (r->signing_key == IGK_SNP_SIGNING_KEY_VCEK && cert_role(leaf) == ROLE_VCEK) ||
            (r->signing_key == IGK_SNP_SIGNING_KEY_VLEK && vlek));
    if (row && !row->match)
        igk_verify_row_reason(row, "the report was not signed by a key of this kind");

    /* 3. the chain: leaf <- ASK/ASVK <- ARK <- ARK, by the report's key kind */
    if (r->signing_key == IGK_SNP_SIGNING_KEY_VLEK)
        vlek = true;
    mid_name = vlek ? "ASVK" : "ASK";
    mid = find_ca(o, vlek ? ROLE_ASVK : ROLE_ASK, product);
    ark = find_ca(o, ROLE_ARK, product);
    check_link(t, vlek ? "VLEK_SIGNED_BY_ASVK" : "VCEK_SIGNED_BY_ASK", leaf, leaf_name, &mid,
               mid_name);
    if (mid.cert)
        check_link(t, vlek ? "ASVK_SIGNED_BY_ARK" : "ASK_SIGNED_BY_ARK", mid.cert, mid_name, &ark,
                   "ARK");
    else
        igk_verify_add_not_checked(t, vlek ? "ASVK_SIGNED_BY_ARK" : "ASK_SIGNED_BY_ARK", false,
                                   "no %s certificate", mid_name);
    if (ark.cert)
        check_link(t, "ARK_SELF_SIGNED", ark.cert, "ARK", &ark, "ARK");
    else
        igk_verify_add_not_checked(t, "ARK_SELF_SIGNED", false, "no ARK certificate");
    check_pin(t, &ark, product);
    check_product(t, product, product_source, leaf, leaf_name, &mid, mid_name, &ark);

    /* 4. the leaf names the report's chip and TCB */
    check_chip_id(t, leaf, vlek, r);
    check_tcb(t, leaf, leaf_name, r, product);

    /* 5. every certificate valid at the time asked */
    check_validity(t, vlek ? "VLEK_VALIDITY" : "VCEK_VALIDITY", leaf, leaf_name, o->at);
    check_validity(t, vlek ? "ASVK_VALIDITY" : "ASK_VALIDITY", mid.cert, mid_name, o->at);
    check_validity(t, "ARK_VALIDITY", ark.cert, "ARK", o->at);
    ca_free(&mid);
    ca_free(&ark);
    return 0;
}
