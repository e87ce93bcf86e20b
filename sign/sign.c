/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP ID block signing: see <igvmkit/sign.h>.  The IGVM SNP_ID_BLOCK
 * layout is docs/igvm-format.md section 6.7; the PSP structures it stands
 * for, docs/snp-id-block.md.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/measure.h>
#include <igvmkit/sign.h>

#include "sign-private.h"
#include "idblock.h"

IGK_PUBLIC void igk_snp_sign_options_init(struct igk_snp_sign_options *options)
{
    memset(options, 0, sizeof(*options));
    options->loader = IGK_LOADER_QEMU;
    options->version = 1;
}

int igk_sign_find_target(const struct igk_igvm *igvm, struct igk_sign_target *ret,
                         struct igk_error *err)
{
    int r;

    memset(ret, 0, sizeof(*ret));
    ret->id_block_index = SIZE_MAX;
    r = igk_igvm_platform_mask(igvm, IGK_PLATFORM_SEV_SNP, &ret->mask, err);
    if (r < 0)
        return r;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t mask;

        if (h->type == IGK_VHT_GUEST_POLICY && igk_header_applies(h, ret->mask)) {
            /* QEMU keeps the last GUEST_POLICY matching the platform (docs/loaders.md 1). */
            ret->has_policy = true;
            ret->policy = h->u.guest_policy.policy;
        } else if (h->type == IGK_VHT_SNP_ID_BLOCK && igk_header_mask(h, &mask) &&
                   (mask & ret->mask)) {
            if (ret->n_id_blocks++ == 0)
                ret->id_block_index = i;
        }
    }
    return 0;
}

/* Everything but the signatures: checks the file and computes the LD. */
static int prepare(const struct igk_igvm *igvm, const struct igk_snp_sign_options *o,
                   struct igk_sign_target *target, struct igk_sign_tbs *tbs,
                   struct igk_error *err)
{
    struct igk_measure_options mo = {.loader = o->loader, .ignore_idblock = true};
    struct igk_measurement m;
    int r;

    r = igk_sign_find_target(igvm, target, err);
    if (r < 0)
        return r;
    if (!target->has_policy)
        return igk_error_set(err, IGK_E_INVALID,
                             "no GUEST_POLICY header applies to the SEV-SNP platform (mask "
                             "%#x): the ID block must carry the launch policy",
                             target->mask);
    if (target->n_id_blocks > 1)
        return igk_error_set(err, IGK_E_INVALID,
                             "%zu SNP_ID_BLOCK directives apply to the SEV-SNP platform; QEMU "
                             "accepts only one",
                             target->n_id_blocks);
    r = igk_measure(igvm, IGK_PLATFORM_SEV_SNP, &mo, &m, err);
    if (r < 0)
        return r;
    if (m.digest_len != sizeof(tbs->ld))
        return igk_error_set(err, IGK_E_INTERNAL, "SNP digest has %zu bytes", m.digest_len);
    memset(tbs, 0, sizeof(*tbs));
    memcpy(tbs->ld, m.digest, sizeof(tbs->ld));
    memcpy(tbs->family_id, o->family_id, 16);
    memcpy(tbs->image_id, o->image_id, 16);
    tbs->version = o->version;
    tbs->guest_svn = o->guest_svn;
    tbs->policy = target->policy;
    return 0;
}

IGK_PUBLIC int igk_snp_id_block_tbs(const struct igk_igvm *igvm,
                                    const struct igk_snp_sign_options *options,
                                    uint8_t ret_tbs[IGK_SNP_ID_BLOCK_TBS_SIZE],
                                    struct igk_error *err)
{
    struct igk_sign_target target;
    struct igk_sign_tbs tbs;
    int r;

    r = prepare(igvm, options, &target, &tbs, err);
    if (r < 0)
        return r;
    igk_sign_encode_tbs(&tbs, ret_tbs);
    return 0;
}

/* The author key signs the PSP form of the ID key (docs/snp-id-block.md 3). */
static int sign_author(struct igk_snp_id_block *block, const char *author_key,
                       struct igk_error *err)
{
    uint8_t psp_key[IGK_SNP_PSP_KEY_SIZE];
    EVP_PKEY *key;
    int r;

    if (!author_key)
        return 0;
    r = igk_sign_load_private_key(author_key, "author key", &key, err);
    if (r < 0)
        return r;
    r = igk_idblock_key_from_pkey(key, &block->author_public_key, err);
    if (r == 0) {
        igk_idblock_psp_key(&block->id_public_key, psp_key);
        r = igk_idblock_sign(key, psp_key, sizeof(psp_key), &block->author_key_signature, err);
    }
    EVP_PKEY_free(key);
    if (r < 0)
        return r;
    block->author_key_enabled = 1;
    block->author_key_algorithm = IGK_SNP_ALGO_ECDSA_P384_SHA384;
    return 0;
}

/* Fills the block from the TBS and the ID key's public half and signature. */
static void fill_block(struct igk_snp_id_block *block, uint32_t mask,
                       const struct igk_sign_tbs *tbs)
{
    memset(block, 0, sizeof(*block));
    block->compatibility_mask = mask;
    memcpy(block->ld, tbs->ld, sizeof(block->ld));
    memcpy(block->family_id, tbs->family_id, 16);
    memcpy(block->image_id, tbs->image_id, 16);
    block->version = tbs->version;
    block->guest_svn = tbs->guest_svn;
    block->id_key_algorithm = IGK_SNP_ALGO_ECDSA_P384_SHA384;
}

/* Replaces the platform's ID block in place, or appends one at the end. */
static int install(struct igk_igvm *igvm, const struct igk_sign_target *target,
                   const struct igk_snp_id_block *block, struct igk_error *err)
{
    const struct igk_snp_id_block *kept = (const void *)igk_igvm_keep(igvm, block,
                                                                      sizeof(*block));
    struct igk_header h;

    if (!kept)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (target->id_block_index != SIZE_MAX) {
        igvm->headers[target->id_block_index].u.snp_id_block = kept;
        return 0;
    }
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_SNP_ID_BLOCK;
    h.u.snp_id_block = kept;
    return igk_igvm_append(igvm, &h, err);
}

IGK_PUBLIC int igk_snp_sign(struct igk_igvm *igvm, const struct igk_snp_sign_options *options,
                            struct igk_error *err)
{
    uint8_t tbs_bytes[IGK_SNP_ID_BLOCK_TBS_SIZE];
    struct igk_sign_target target;
    struct igk_snp_id_block block;
    struct igk_sign_tbs tbs;
    EVP_PKEY *key = NULL;
    int r;

    if (!options->id_key)
        return igk_error_set(err, IGK_E_USAGE, "no ID key given");
    /* Keys first: a bad key is reported before the file is measured. */
    r = igk_sign_load_private_key(options->id_key, "ID key", &key, err);
    if (r < 0)
        return r;
    r = prepare(igvm, options, &target, &tbs, err);
    if (r < 0)
        goto out;
    fill_block(&block, target.mask, &tbs);
    igk_sign_encode_tbs(&tbs, tbs_bytes);
    r = igk_idblock_key_from_pkey(key, &block.id_public_key, err);
    if (r < 0)
        goto out;
    r = igk_idblock_sign(key, tbs_bytes, sizeof(tbs_bytes), &block.id_key_signature, err);
    if (r < 0)
        goto out;
    r = sign_author(&block, options->author_key, err);
    if (r < 0)
        goto out;
    r = install(igvm, &target, &block, err);
out:
    EVP_PKEY_free(key);
    return r;
}

IGK_PUBLIC int igk_snp_attach_signature(struct igk_igvm *igvm,
                                        const struct igk_snp_sign_options *options,
                                        const uint8_t *sig_der, size_t sig_len,
                                        const char *id_pub_path, struct igk_error *err)
{
    uint8_t tbs_bytes[IGK_SNP_ID_BLOCK_TBS_SIZE];
    struct igk_sign_target target;
    struct igk_snp_id_block block;
    struct igk_sign_tbs tbs;
    EVP_PKEY *pub = NULL;
    int r;

    r = igk_sign_load_public_key(id_pub_path, "ID public key", &pub, err);
    if (r < 0)
        return r;
    r = prepare(igvm, options, &target, &tbs, err);
    if (r < 0)
        goto out;
    fill_block(&block, target.mask, &tbs);
    igk_sign_encode_tbs(&tbs, tbs_bytes);
    r = igk_idblock_sig_from_der(sig_der, sig_len, &block.id_key_signature, err);
    if (r < 0)
        goto out;
    r = igk_idblock_verify_pkey(pub, tbs_bytes, sizeof(tbs_bytes), &block.id_key_signature, err);
    if (r == IGK_E_MISMATCH)
        igk_error_set(err, r,
                      "the signature does not verify with the ID public key over this file's "
                      "ID block (wrong key, or signed with other ids, version, SVN or file)");
    if (r < 0)
        goto out;
    r = igk_idblock_key_from_pkey(pub, &block.id_public_key, err);
    if (r < 0)
        goto out;
    r = sign_author(&block, options->author_key, err);
    if (r < 0)
        goto out;
    r = install(igvm, &target, &block, err);
out:
    EVP_PKEY_free(pub);
    return r;
}

IGK_PUBLIC int igk_snp_qemu_id_values(const struct igk_igvm *igvm,
                                      uint8_t ret_id_block[IGK_SNP_ID_BLOCK_TBS_SIZE],
                                      uint8_t ret_id_auth[IGK_SNP_ID_AUTH_SIZE],
                                      struct igk_error *err)
{
    const struct igk_snp_id_block *block;
    struct igk_sign_target target;
    struct igk_sign_tbs tbs;
    int r;

    r = igk_sign_find_target(igvm, &target, err);
    if (r < 0)
        return r;
    if (target.id_block_index == SIZE_MAX)
        return igk_error_set(err, IGK_E_INVALID, "the file has no SNP_ID_BLOCK for SEV-SNP");
    if (!target.has_policy)
        return igk_error_set(err, IGK_E_INVALID,
                             "no GUEST_POLICY header applies to the SEV-SNP platform");
    block = igvm->headers[target.id_block_index].u.snp_id_block;
    memset(&tbs, 0, sizeof(tbs));
    memcpy(tbs.ld, block->ld, 48);
    memcpy(tbs.family_id, block->family_id, 16);
    memcpy(tbs.image_id, block->image_id, 16);
    tbs.version = block->version;
    tbs.guest_svn = block->guest_svn;
    tbs.policy = target.policy;
    igk_sign_encode_tbs(&tbs, ret_id_block);
    igk_sign_encode_id_auth(block, ret_id_auth);
    return 0;
}
