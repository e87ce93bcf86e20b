/* SPDX-License-Identifier: MIT */
/*
 * Internal pieces of SEV-SNP ID block signing (not installed): the PSP
 * structures that SNP_LAUNCH_FINISH takes (docs/snp-id-block.md 1-2), and
 * ECDSA P-384 / SHA-384 through OpenSSL EVP with the AMD field layout
 * (72-byte little-endian, zero-extended integers).
 *
 * Naming: igk_sign_* so these never collide with the measure module's
 * idblock.c, which verifies ID blocks; the lead may merge the two later.
 */
#ifndef IGK_SIGN_PRIVATE_H
#define IGK_SIGN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#define IGK_SNP_PSP_ID_BLOCK_SIZE 96u   /* ID block (the TBS)          */
#define IGK_SNP_PSP_ID_AUTH_SIZE 4096u  /* ID authentication structure */
#define IGK_SNP_PSP_KEY_SIZE 0x404u     /* public key, PSP form        */
#define IGK_SNP_PSP_SIG_SIZE 0x200u     /* signature, PSP form         */
#define IGK_SNP_ECC_FIELD 72u           /* r, s, qx, qy                */
#define IGK_SNP_CURVE_P384 2u
#define IGK_SNP_ALGO_ECDSA_P384_SHA384 1u

/* The fields of the 96-byte PSP ID block, host order. */
struct igk_sign_tbs {
    uint8_t ld[48];
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t version;
    uint32_t guest_svn;
    uint64_t policy;
};

/* Encodes the PSP ID block: LD @0, FAMILY_ID @0x30, IMAGE_ID @0x40,
 * VERSION @0x50, GUEST_SVN @0x54, POLICY @0x58 (docs/snp-id-block.md 1). */
void igk_sign_encode_tbs(const struct igk_sign_tbs *tbs, uint8_t out[IGK_SNP_PSP_ID_BLOCK_SIZE]);

/* The PSP key form and its digest (the report's ID_KEY_DIGEST) are
 * igk_idblock_psp_key() and igk_idblock_key_digest() in idblock.h. */

/*
 * The 4096-byte ID authentication structure QEMU's sev-snp-guest id-auth
 * property takes, from an IGVM ID block (author fields only when
 * author_key_enabled is set).
 */
void igk_sign_encode_id_auth(const struct igk_snp_id_block *block,
                             uint8_t out[IGK_SNP_PSP_ID_AUTH_SIZE]);

/* What signing needs to know about a file's SEV-SNP platform. */
struct igk_sign_target {
    uint32_t mask;          /* SNP compatibility mask                         */
    bool has_policy;
    uint64_t policy;        /* last GUEST_POLICY applying to SNP (as QEMU)    */
    size_t n_id_blocks;     /* SNP_ID_BLOCK directives whose mask has the bit */
    size_t id_block_index;  /* the first of them, SIZE_MAX if none            */
};

/* Fills *ret; IGK_E_UNSUPPORTED when the file has no SEV-SNP platform. */
int igk_sign_find_target(const struct igk_igvm *igvm, struct igk_sign_target *ret,
                         struct igk_error *err);

/* ---- keys ---- */

/*
 * Reads a PEM private key (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY")
 * and checks that it is an EC key on P-384.  `role` names it in messages
 * ("ID key").  Errors: IGK_E_IO (cannot open), IGK_E_INVALID (not PEM, not a
 * P-384 EC key).  err->path is set to path.
 */
int igk_sign_load_private_key(const char *path, const char *role, EVP_PKEY **ret_key,
                              struct igk_error *err);

/* Same for a PEM public key ("PUBLIC KEY") or an X.509 certificate. */
int igk_sign_load_public_key(const char *path, const char *role, EVP_PKEY **ret_key,
                             struct igk_error *err);

/* IGK_E_INVALID unless key is EC on secp384r1. */
int igk_sign_check_p384(EVP_PKEY *key, const char *role, struct igk_error *err);

/*
 * Key fields, signatures and their checks in the IGVM/PSP layout (72-byte
 * little-endian fields) are the ID-block module's: measure/idblock.h.
 */

#endif /* IGK_SIGN_PRIVATE_H */
