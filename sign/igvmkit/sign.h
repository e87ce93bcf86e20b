/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/sign.h> -- SEV-SNP ID blocks: signing, detached signing and the
 * QEMU id-block / id-auth values.
 *
 * An ID block binds a launch digest (LD) to a signer: the SNP firmware
 * checks at SNP_LAUNCH_FINISH that the block's LD equals the real digest and
 * its policy the launch policy, verifies the ID key's ECDSA P-384 signature
 * over the 96-byte block (and, when an author key is enabled, the author
 * key's signature over the ID key), and then reports FAMILY_ID, IMAGE_ID,
 * GUEST_SVN and the SHA-384 digests of both public keys in every attestation
 * report.  A verifier can then trust a signer instead of a list of digests.
 *
 * In an IGVM file the block is the SNP_ID_BLOCK directive (0x30B).  These
 * functions compute the file's SNP digest with igk_measure() under the
 * chosen loader profile, take the policy from the GUEST_POLICY header that
 * applies to the SNP platform (the last one, as QEMU does), and insert the
 * directive with the SNP platform's compatibility mask: an existing ID
 * block for that platform is replaced in place, otherwise the new one is
 * appended after the last directive.  QEMU refuses a second ID block for a
 * platform, so a file with several is refused here too.
 *
 * Signatures are ECDSA P-384 with SHA-384 over the raw bytes; r, s, qx and
 * qy are stored as 72-byte little-endian fields; id_key_algorithm and
 * author_key_algorithm are 1; author fields stay all zero without an author
 * key (QEMU enables the author key when its first byte is non-zero).
 *
 * FAMILY_ID / IMAGE_ID are 16 opaque bytes for the firmware; the igvmkit
 * program fills them from UUID strings with libuuid's uuid_parse(), i.e. in
 * the RFC 4122 byte order of the text (not the EFI mixed-endian GUID form),
 * so the report shows the bytes of the UUID as written.
 *
 * Errors: IGK_E_UNSUPPORTED (no SEV-SNP platform), IGK_E_INVALID (no
 * GUEST_POLICY for SNP, several ID blocks, a key that is not a P-384 PEM
 * key, a malformed signature), IGK_E_MISMATCH (an external signature that
 * does not verify), IGK_E_IO (a key file cannot be read).  On error the
 * model is unchanged.
 */
#ifndef IGVMKIT_SIGN_H
#define IGVMKIT_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IGK_SNP_ID_BLOCK_TBS_SIZE 96u
#define IGK_SNP_ID_AUTH_SIZE 4096u

struct igk_snp_sign_options {
    enum igk_loader loader; /* profile the LD is computed with (QEMU default) */
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t version;       /* ID block format version; the firmware wants 1 */
    uint32_t guest_svn;
    const char *id_key;     /* PEM private key path (PKCS#8 or SEC1), P-384 */
    const char *author_key; /* optional PEM private key path, or NULL       */
};

/* Defaults: QEMU profile, zero ids, version 1, SVN 0, no keys. */
IGK_PUBLIC void igk_snp_sign_options_init(struct igk_snp_sign_options *options);

/* Signs with options->id_key (and author_key) and installs the ID block. */
IGK_PUBLIC int igk_snp_sign(struct igk_igvm *igvm, const struct igk_snp_sign_options *options,
                            struct igk_error *err);

/*
 * Detached flow, step 1: the exact 96 bytes the ID key must sign (LD,
 * family id, image id, version, SVN, policy) for this file and options.
 */
IGK_PUBLIC int igk_snp_id_block_tbs(const struct igk_igvm *igvm,
                                    const struct igk_snp_sign_options *options,
                                    uint8_t ret_tbs[IGK_SNP_ID_BLOCK_TBS_SIZE],
                                    struct igk_error *err);

/*
 * Detached flow, step 2: embeds an external DER ECDSA signature (as written
 * by `openssl dgst -sha384 -sign`) made by the key in id_pub_path (PEM
 * public key or certificate) over the TBS of igk_snp_id_block_tbs() with
 * the same options.  The signature is verified first: IGK_E_MISMATCH when
 * it does not verify.  options->author_key, when set, signs the ID key.
 */
IGK_PUBLIC int igk_snp_attach_signature(struct igk_igvm *igvm,
                                        const struct igk_snp_sign_options *options,
                                        const uint8_t *sig_der, size_t sig_len,
                                        const char *id_pub_path, struct igk_error *err);

/*
 * The values of QEMU's sev-snp-guest `id-block` and `id-auth` properties
 * (before base64) for the file's SNP ID block: the 96-byte PSP ID block
 * (policy from GUEST_POLICY) and the 4096-byte ID authentication structure.
 * IGK_E_INVALID when the file has no ID block for the SNP platform.
 */
IGK_PUBLIC int igk_snp_qemu_id_values(const struct igk_igvm *igvm,
                                      uint8_t ret_id_block[IGK_SNP_ID_BLOCK_TBS_SIZE],
                                      uint8_t ret_id_auth[IGK_SNP_ID_AUTH_SIZE],
                                      struct igk_error *err);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_SIGN_H */
