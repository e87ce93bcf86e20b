/* SPDX-License-Identifier: MIT */
/*
 * The signed JSON documents of Intel's provisioning certification service
 * (PCS): a TDX TCB info and a TD QE identity are served as
 *
 *     {"tcbInfo":{...},"signature":"<128 hex digits>"}
 *     {"enclaveIdentity":{...},"signature":"<128 hex digits>"}
 *
 * where the signature is ECDSA P-256 / SHA-256, written as r || s, over the
 * exact bytes of the first member's value as they stand in the document
 * (Intel PCS API v4, "Get TDX TCB Information" and "Get TDX QE Identity";
 * Intel's Quote Verification Library checks them the same way).  The signer
 * is the "Intel SGX TCB Signing" certificate, issued by the Intel SGX Root CA.
 *
 * igvmkit carries that certificate (PCS sends it in the TCB-Info-Issuer-Chain
 * HTTP header, which the saved documents do not hold).  At every use it must
 * hash to the pin below and verify under the pinned Intel root
 * (attest/intel-root.c).  Its validity period (2018-05-21 to 2025-05-21) is
 * not applied: Intel renews the certificate over the same key, and documents
 * PCS issued in 2025 and 2026 verify with it (tests/cli/verify-tdx.sh).  A
 * document signed by any other key fails, so a rotation of Intel's key fails
 * closed until igvmkit carries the new certificate.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tdx-private.h"
#include "util.h"

static const char tcb_signing_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIICizCCAjKgAwIBAgIUfjiC1ftVKUpASY5FhAPpFJG99FUwCgYIKoZIzj0EAwIw\n"
    "aDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENv\n"
    "cnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJ\n"
    "BgNVBAYTAlVTMB4XDTE4MDUyMTEwNTAxMFoXDTI1MDUyMTEwNTAxMFowbDEeMBwG\n"
    "A1UEAwwVSW50ZWwgU0dYIFRDQiBTaWduaW5nMRowGAYDVQQKDBFJbnRlbCBDb3Jw\n"
    "b3JhdGlvbjEUMBIGA1UEBwwLU2FudGEgQ2xhcmExCzAJBgNVBAgMAkNBMQswCQYD\n"
    "VQQGEwJVUzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABENFG8xzydWRfK92bmGv\n"
    "P+mAh91PEyV7Jh6FGJd5ndE9aBH7R3E4A7ubrlh/zN3C4xvpoouGlirMba+W2lju\n"
    "ypajgbUwgbIwHwYDVR0jBBgwFoAUImUM1lqdNInzg7SVUr9QGzknBqwwUgYDVR0f\n"
    "BEswSTBHoEWgQ4ZBaHR0cHM6Ly9jZXJ0aWZpY2F0ZXMudHJ1c3RlZHNlcnZpY2Vz\n"
    "LmludGVsLmNvbS9JbnRlbFNHWFJvb3RDQS5kZXIwHQYDVR0OBBYEFH44gtX7VSlK\n"
    "QEmORYQD6RSRvfRVMA4GA1UdDwEB/wQEAwIGwDAMBgNVHRMBAf8EAjAAMAoGCCqG\n"
    "SM49BAMCA0cAMEQCIB9C8wOAN/ImxDtGACV246KcqjagZOR0kyctyBrsGGJVAiAj\n"
    "ftbrNGsGU8YH211dRiYNoPPu19Zp/ze8JmhujB0oBw==\n"
    "-----END CERTIFICATE-----\n";

/* SHA-256 of the certificate's DER form; tests/unit/test-tdx-quote.c recomputes it. */
static const uint8_t tcb_signing_sha256[32] = {
    0xec, 0x37, 0xd9, 0x81, 0x07, 0xbf, 0xb7, 0xda, 0xb6, 0xff, 0x8d, 0xe4, 0xd4, 0xdd, 0xa6, 0xfd,
    0xe3, 0x0a, 0x6f, 0x50, 0xb0, 0xd7, 0xb0, 0x3e, 0xef, 0xb5, 0x65, 0x2f, 0x1e, 0x65, 0x29, 0x69,
};

const char *igk_tdx_tcb_signing_pem(void)
{
    return tcb_signing_pem;
}

const uint8_t *igk_tdx_tcb_signing_sha256(void)
{
    return tcb_signing_sha256;
}

EVP_PKEY *igk_tdx_tcb_signing_key(void)
{
    X509 *cert = igk_tdx_pinned_cert(tcb_signing_pem, tcb_signing_sha256);
    X509 *root = igk_tdx_pinned_root();
    EVP_PKEY *key = NULL;

    if (cert && root && X509_verify(cert, X509_get0_pubkey(root)) == 1)
        key = X509_get_pubkey(cert);
    X509_free(cert);
    X509_free(root);
    ERR_clear_error();
    return key;
}

/* ---- a strict scanner for the two-member PCS document ---- */

static size_t skip_space(const uint8_t *p, size_t len, size_t i)
{
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i;
}

/* The end (one past the closing quote) of the JSON string at p[i], or 0. */
static size_t string_end(const uint8_t *p, size_t len, size_t i)
{
    if (i >= len || p[i] != '"')
        return 0;
    for (i++; i < len; i++) {
        if (p[i] == '\\')
            i++;
        else if (p[i] == '"')
            return i + 1;
        else if (p[i] < 0x20)
            return 0;
    }
    return 0;
}

/*
 * PCS documents nest six levels deep; deeper nesting is refused rather than
 * tracked, so the bracket kinds fit in the bits of one word.
 */
#define SIGNED_JSON_MAX_DEPTH 64

/*
 * The end of the JSON object at p[i], or 0.  Strings are skipped; every
 * closing bracket must match the kind of the one it closes.
 */
static size_t object_end(const uint8_t *p, size_t len, size_t i)
{
    uint64_t is_array = 0; /* bit d: the bracket open at depth d is '[' */
    unsigned depth = 0;

    if (i >= len || p[i] != '{')
        return 0;
    while (i < len) {
        if (p[i] == '"') {
            i = string_end(p, len, i);
            if (!i)
                return 0;
            continue;
        }
        if (p[i] == '{' || p[i] == '[') {
            if (depth == SIGNED_JSON_MAX_DEPTH)
                return 0;
            if (p[i] == '[')
                is_array |= 1ull << depth;
            else
                is_array &= ~(1ull << depth);
            depth++;
        } else if (p[i] == '}' || p[i] == ']') {
            if (depth == 0 || (p[i] == ']') != ((is_array >> (depth - 1)) & 1))
                return 0;
            if (--depth == 0)
                return i + 1;
        }
        i++;
    }
    return 0;
}

/* Whether p[i..] is the JSON string "name" (no escapes), and where it ends. */
static size_t name_end(const uint8_t *p, size_t len, size_t i, const char *name)
{
    size_t n = strlen(name);

    if (i + n + 2 > len || p[i] != '"' || memcmp(p + i + 1, name, n) || p[i + n + 1] != '"')
        return 0;
    return i + n + 2;
}

int igk_tdx_signed_json(const uint8_t *doc, size_t len, const char *member,
                        struct igk_tdx_signed_json *ret)
{
    size_t i, end, sig_start;
    char hex[129];
    EVP_PKEY *key;
    int ok;

    memset(ret, 0, sizeof(*ret));
    /* {"member":{...},"signature":"hex"} with optional white space. */
    i = skip_space(doc, len, 0);
    if (i >= len || doc[i] != '{')
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, i + 1);
    if (!(i = name_end(doc, len, i, member)))
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, i);
    if (i >= len || doc[i] != ':')
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, i + 1);
    if (!(end = object_end(doc, len, i)))
        return IGK_TDX_SIGNED_MALFORMED;
    ret->body = doc + i;
    ret->body_len = end - i;
    i = skip_space(doc, len, end);
    if (i >= len || doc[i] != ',')
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, i + 1);
    if (!(i = name_end(doc, len, i, "signature")))
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, i);
    if (i >= len || doc[i] != ':')
        return IGK_TDX_SIGNED_MALFORMED;
    sig_start = skip_space(doc, len, i + 1);
    if (!(end = string_end(doc, len, sig_start)) || end - sig_start != 130)
        return IGK_TDX_SIGNED_MALFORMED;
    memcpy(hex, doc + sig_start + 1, 128);
    hex[128] = 0;
    if (igk_hex_decode(hex, ret->signature, 64) != 0)
        return IGK_TDX_SIGNED_MALFORMED;
    i = skip_space(doc, len, end);
    if (i >= len || doc[i] != '}' || skip_space(doc, len, i + 1) != len)
        return IGK_TDX_SIGNED_MALFORMED;

    key = igk_tdx_tcb_signing_key();
    if (!key)
        return IGK_TDX_SIGNED_NO_KEY;
    ok = igk_tdx_ecdsa_p256_verify(key, ret->body, ret->body_len, ret->signature);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return ok == 1 ? IGK_TDX_SIGNED_OK : ok == 0 ? IGK_TDX_SIGNED_BAD : IGK_TDX_SIGNED_NO_KEY;
}
