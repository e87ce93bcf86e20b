/* SPDX-License-Identifier: MIT */
/*
 * The PSP structures of SNP_LAUNCH_FINISH (docs/snp-id-block.md 1-2): the
 * 96-byte ID block (what the ID key signs), the 0x404-byte public key form
 * (what the author key signs and what the report's key digests hash) and the
 * 4096-byte ID authentication structure.  Encoded field by field.
 */
#include <string.h>

#include "le.h"
#include "sign-private.h"
#include "idblock.h"
#include "util.h"

/* ID block offsets (SNP firmware ABI, table "ID_BLOCK"). */
#define TBS_LD 0x00
#define TBS_FAMILY_ID 0x30
#define TBS_IMAGE_ID 0x40
#define TBS_VERSION 0x50
#define TBS_GUEST_SVN 0x54
#define TBS_POLICY 0x58
_Static_assert(TBS_POLICY + 8 == IGK_SNP_PSP_ID_BLOCK_SIZE, "ID block is 96 bytes");

/* Public key form: curve, then qx and qy, then zeros. */
#define KEY_CURVE 0x000
#define KEY_QX 0x004
#define KEY_QY 0x04C
_Static_assert(KEY_QY + IGK_SNP_ECC_FIELD <= IGK_SNP_PSP_KEY_SIZE, "key fits 0x404 bytes");

/* ID authentication structure offsets. */
#define AUTH_ID_KEY_ALGO 0x000
#define AUTH_AUTH_KEY_ALGO 0x004
#define AUTH_ID_BLOCK_SIG 0x040
#define AUTH_ID_KEY 0x240
#define AUTH_ID_KEY_SIG 0x680
#define AUTH_AUTHOR_KEY 0x880
_Static_assert(AUTH_ID_KEY + IGK_SNP_PSP_KEY_SIZE <= AUTH_ID_KEY_SIG, "ID key before ID key sig");
_Static_assert(AUTH_AUTHOR_KEY + IGK_SNP_PSP_KEY_SIZE <= IGK_SNP_PSP_ID_AUTH_SIZE, "fits 4 KiB");

void igk_sign_encode_tbs(const struct igk_sign_tbs *tbs, uint8_t out[IGK_SNP_PSP_ID_BLOCK_SIZE])
{
    memset(out, 0, IGK_SNP_PSP_ID_BLOCK_SIZE);
    memcpy(out + TBS_LD, tbs->ld, 48);
    memcpy(out + TBS_FAMILY_ID, tbs->family_id, 16);
    memcpy(out + TBS_IMAGE_ID, tbs->image_id, 16);
    igk_put_le32(out + TBS_VERSION, tbs->version);
    igk_put_le32(out + TBS_GUEST_SVN, tbs->guest_svn);
    igk_put_le64(out + TBS_POLICY, tbs->policy);
}

/* Signature form: r, then s, then 0x170 reserved zero bytes. */
static void put_signature(uint8_t *out, const struct igk_snp_signature *sig)
{
    memcpy(out, sig->r, IGK_SNP_ECC_FIELD);
    memcpy(out + IGK_SNP_ECC_FIELD, sig->s, IGK_SNP_ECC_FIELD);
}

void igk_sign_encode_id_auth(const struct igk_snp_id_block *block,
                             uint8_t out[IGK_SNP_PSP_ID_AUTH_SIZE])
{
    memset(out, 0, IGK_SNP_PSP_ID_AUTH_SIZE);
    igk_put_le32(out + AUTH_ID_KEY_ALGO, block->id_key_algorithm);
    put_signature(out + AUTH_ID_BLOCK_SIG, &block->id_key_signature);
    igk_idblock_psp_key(&block->id_public_key, out + AUTH_ID_KEY);
    if (block->author_key_enabled) {
        igk_put_le32(out + AUTH_AUTH_KEY_ALGO, block->author_key_algorithm);
        put_signature(out + AUTH_ID_KEY_SIG, &block->author_key_signature);
        igk_idblock_psp_key(&block->author_public_key, out + AUTH_AUTHOR_KEY);
    }
}
