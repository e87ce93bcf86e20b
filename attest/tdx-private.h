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

#endif /* IGK_TDX_PRIVATE_H */
