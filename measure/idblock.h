/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP ID block primitives (internal; used by measure and the sign verb).
 *
 * The IGVM SNP_ID_BLOCK header (docs/igvm-format.md 6.7) is not what the
 * PSP sees.  At SNP_LAUNCH_FINISH the loader hands over (docs/snp-id-block.md
 * sections 1-3):
 *   - a 96-byte ID block: LD, family id, image id, version, guest SVN and the
 *     launch policy; QEMU always sends version 1 and takes the policy from
 *     GUEST_POLICY, so that is what the ID key must have signed;
 *   - 0x404-byte public keys: u32 curve, qx[72], qy[72], zeros (the IGVM form
 *     has an extra reserved u32 after curve that the PSP form does not).
 * Signatures are ECDSA P-384 with SHA-384 over those bytes; r, s, qx and qy
 * are stored as 72-byte little-endian zero-extended integers, while OpenSSL
 * speaks big-endian bignums and DER, hence the converters below.
 */
#ifndef IGK_MEASURE_IDBLOCK_H
#define IGK_MEASURE_IDBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#define IGK_IDBLOCK_PSP_BLOCK_SIZE 96
#define IGK_IDBLOCK_PSP_KEY_SIZE 0x404
#define IGK_IDBLOCK_CURVE_P384 2u
#define IGK_IDBLOCK_ALGO_ECDSA_P384_SHA384 1u
#define IGK_IDBLOCK_VERSION 1u /* what QEMU sends whatever the file says */

/*
 * The 96-byte PSP ID block the ID key signs: ib's LD, family id, image id,
 * version 1 (IGK_IDBLOCK_VERSION), ib's guest SVN and policy.  Returns 0.
 */
int igk_idblock_psp_block(const struct igk_snp_id_block *ib, uint64_t policy,
                          uint8_t out[IGK_IDBLOCK_PSP_BLOCK_SIZE]);

/* The 0x404-byte PSP public key form of key (what the author key signs). */
void igk_idblock_psp_key(const struct igk_snp_public_key *key,
                         uint8_t out[IGK_IDBLOCK_PSP_KEY_SIZE]);

/* SHA-384 of the PSP key form: the report's ID_KEY_DIGEST / AUTHOR_KEY_DIGEST. */
int igk_idblock_key_digest(const struct igk_snp_public_key *key, uint8_t out[48]);

/*
 * Verifies an ECDSA P-384/SHA-384 signature of msg.  Returns 0 when it
 * verifies, IGK_E_MISMATCH when it does not, IGK_E_INVALID when the key is not
 * a P-384 point (or its curve field is not 2) or r/s are out of range.
 */
int igk_idblock_verify_sig(const uint8_t *msg, size_t len, const struct igk_snp_signature *sig,
                           const struct igk_snp_public_key *key, struct igk_error *err);

/*
 * The same with the key as an EVP_PKEY (a loaded PEM key or certificate,
 * e.g. the VCEK for an attestation report): 0, IGK_E_MISMATCH (also for r
 * or s out of range) or IGK_E_INTERNAL.
 */
int igk_idblock_verify_pkey(EVP_PKEY *pkey, const uint8_t *msg, size_t len,
                            const struct igk_snp_signature *sig, struct igk_error *err);

/* EVP_PKEY (EC P-384, public or private) -> 72-byte LE key fields, curve 2. */
int igk_idblock_key_from_pkey(const EVP_PKEY *pkey, struct igk_snp_public_key *out,
                              struct igk_error *err);

/* 72-byte LE key fields -> a new EVP_PKEY (public only); IGK_E_INVALID if not on P-384. */
int igk_idblock_pkey_from_key(const struct igk_snp_public_key *key, EVP_PKEY **ret_pkey,
                              struct igk_error *err);

/* DER ECDSA-Sig-Value -> 72-byte LE r and s; IGK_E_INVALID if malformed. */
int igk_idblock_sig_from_der(const uint8_t *der, size_t len, struct igk_snp_signature *out,
                             struct igk_error *err);

/* 72-byte LE r and s -> DER (malloc()ed, free() it). */
int igk_idblock_sig_to_der(const struct igk_snp_signature *sig, uint8_t **ret_der,
                           size_t *ret_len, struct igk_error *err);

/* Signs msg with an EC P-384 private key (ECDSA, SHA-384) into LE r and s. */
int igk_idblock_sign(EVP_PKEY *pkey, const uint8_t *msg, size_t len,
                     struct igk_snp_signature *out, struct igk_error *err);

/* Result of checking an ID block against a computed launch digest. */
struct igk_idblock_check {
    bool ld_match;
    bool id_sig_ok;
    bool author_present; /* author_key_enabled set in the file */
    bool author_sig_ok;  /* the author key signed the PSP form of the ID key */
    char id_sig_reason[160];     /* why id_sig_ok is false */
    char author_sig_reason[160]; /* why author_sig_ok is false */
};

/*
 * Checks ib against ld (the computed launch digest) and policy (the launch
 * policy from GUEST_POLICY).  Never fails on a mismatch: fills *ret and
 * returns 0; errors are only internal ones.
 */
int igk_idblock_check(const struct igk_snp_id_block *ib, const uint8_t ld[48], uint64_t policy,
                      struct igk_idblock_check *ret, struct igk_error *err);

#endif /* IGK_MEASURE_IDBLOCK_H */
