/* SPDX-License-Identifier: MIT */
/* Internal pieces of the TDX quote authentication (attest/tdx-*.c). */
#ifndef IGK_TDX_PRIVATE_H
#define IGK_TDX_PRIVATE_H

#include <openssl/x509.h>

#include <igvmkit/attest.h>

/* The certificates of a quote's PCK chain (root NULL when not included). */
struct igk_tdx_chain {
    X509 *pck, *ca, *root;
};

void igk_tdx_chain_free(struct igk_tdx_chain *c);

/* A carried certificate in PEM form, or NULL when it does not parse or hash to sha256. */
X509 *igk_tdx_pinned_cert(const char *pem, const uint8_t sha256[32]);

/* The embedded Intel SGX Root CA, or NULL when it does not hash to the pin. */
X509 *igk_tdx_pinned_root(void);

/* ECDSA / SHA-256 over data with a raw r || s signature: 1 valid, 0 not, -1 error. */
int igk_tdx_ecdsa_p256_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
                              const uint8_t sig[64]);

/*
 * The collateral rows (PCK_CRL, QE_IDENTITY, TCB_STATUS) of
 * igk_tdx_quote_authenticate(); chain->pck and chain->ca may be NULL when
 * the chain could not be read.
 */
int igk_tdx_check_collateral(const struct igk_tdx_quote *q, const struct igk_tdx_quote_signature *s,
                             const struct igk_tdx_chain *chain,
                             const struct igk_tdx_auth_options *o, struct igk_verify_table *t,
                             struct igk_error *err);

/*
 * PCS's signed JSON documents (attest/tdx-signed-json.c).  The carried
 * "Intel SGX TCB Signing" certificate and its pin, and its key once the
 * certificate is found to hash to the pin and verify under the pinned root
 * (NULL otherwise).
 */
const char *igk_tdx_tcb_signing_pem(void);
const uint8_t *igk_tdx_tcb_signing_sha256(void);
EVP_PKEY *igk_tdx_tcb_signing_key(void);

enum igk_tdx_signed_status {
    IGK_TDX_SIGNED_OK = 0,        /* the signature verifies                  */
    IGK_TDX_SIGNED_MALFORMED = 1, /* not {"member":{...},"signature":"hex"}  */
    IGK_TDX_SIGNED_BAD = 2,       /* the signature does not verify           */
    IGK_TDX_SIGNED_NO_KEY = 3,    /* the carried certificate is unusable     */
};

/* The signed member of a document: body points into the document. */
struct igk_tdx_signed_json {
    const uint8_t *body;
    size_t body_len;
    uint8_t signature[64];
};

/*
 * Splits doc, which must be exactly {"member":{...},"signature":"<128 hex>"}
 * (white space allowed between tokens), and verifies the signature over the
 * member's bytes with the TCB signing key.  ret->body is set whenever the
 * shape is right.  Returns an igk_tdx_signed_status.
 */
int igk_tdx_signed_json(const uint8_t *doc, size_t len, const char *member,
                        struct igk_tdx_signed_json *ret);

#endif /* IGK_TDX_PRIVATE_H */
