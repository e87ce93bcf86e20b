/* SPDX-License-Identifier: MIT */
/*
 * What a launch of an IGVM file must show in its attestation evidence, and
 * the field-by-field comparison (see <igvmkit/attest.h>).  Without an ID block the SNP
 * firmware reports zero FAMILY_ID, IMAGE_ID, GUEST_SVN and key digests
 * (AMD SEV-SNP firmware ABI, SNP_LAUNCH_FINISH: ID_BLOCK_EN = 0), so zeros
 * are the expected values then.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/attest.h>
#include "sign-private.h"
#include "idblock.h"
#include "util.h"

int igk_snp_expected_from_igvm(const struct igk_igvm *igvm, enum igk_loader loader,
                               struct igk_snp_expected *e, struct igk_error *err)
{
    struct igk_measure_options mo = {.loader = loader, .ignore_idblock = true};
    struct igk_sign_target target;
    struct igk_measurement m;
    int r;

    memset(e, 0, sizeof(*e));
    e->has_file = true;
    r = igk_measure(igvm, IGK_PLATFORM_SEV_SNP, &mo, &m, err);
    if (r < 0)
        return r;
    memcpy(e->measurement, m.digest, sizeof(e->measurement));
    r = igk_sign_find_target(igvm, &target, err);
    if (r < 0)
        return r;
    e->has_policy = target.has_policy;
    e->policy = target.policy;
    if (target.id_block_index != SIZE_MAX) {
        const struct igk_snp_id_block *b = igvm->headers[target.id_block_index].u.snp_id_block;

        e->has_id_block = true;
        memcpy(e->family_id, b->family_id, 16);
        memcpy(e->image_id, b->image_id, 16);
        e->guest_svn = b->guest_svn;
        r = igk_idblock_key_digest(&b->id_public_key, e->id_key_digest);
        if (r == 0 && b->author_key_enabled)
            r = igk_idblock_key_digest(&b->author_public_key, e->author_key_digest);
        if (r < 0)
            return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    }
    return 0;
}

static const char *debug_word(uint64_t policy)
{
    return policy & IGK_SNP_POLICY_DEBUG ? "allowed" : "disallowed";
}

/* Each component of REPORTED_TCB at least the minimum the verifier names. */
static void compare_min_tcb(const struct igk_snp_tcb *min, const struct igk_snp_report *r,
                            enum igk_amd_product product, struct igk_verify_table *t)
{
    struct igk_verify_row *row;
    struct igk_snp_tcb got;
    char want[64], have[64], expected[80];
    bool ok;

    igk_snp_tcb_decode(r->reported_tcb, product, &got);
    ok = got.bootloader >= min->bootloader && got.tee >= min->tee && got.snp >= min->snp &&
         got.microcode >= min->microcode && (!min->has_fmc || (got.has_fmc && got.fmc >= min->fmc));
    igk_snp_tcb_format(min, want, sizeof(want));
    igk_snp_tcb_format(&got, have, sizeof(have));
    snprintf(expected, sizeof(expected), ">= %s", want);
    row = igk_verify_add_text(t, "MIN_TCB", expected, have, ok);
    if (min->has_fmc && !got.has_fmc)
        igk_verify_row_reason(row, "fmc= applies to Turin; this report's TCB has no FMC SVN");
    else if (!ok)
        igk_verify_row_reason(row, "REPORTED_TCB is below the minimum");
}

void igk_snp_compare(const struct igk_snp_expected *e, const struct igk_snp_report *r,
                     enum igk_amd_product product, struct igk_verify_table *t)
{
    if (e->has_file) {
        uint64_t want_debug = e->has_policy ? e->policy & IGK_SNP_POLICY_DEBUG : 0;

        igk_verify_add_bytes(t, "MEASUREMENT", e->measurement, r->measurement, 48);
        if (e->has_policy)
            igk_verify_add_u64(t, "POLICY", e->policy, r->policy, true);
        /* A guest that allows debugging lets the host read its memory: never
         * accept it unless the file itself asked for it. */
        igk_verify_add_text(t, "POLICY_DEBUG", debug_word(want_debug), debug_word(r->policy),
                            !(r->policy & IGK_SNP_POLICY_DEBUG) || want_debug);
        igk_verify_add_bytes(t, "FAMILY_ID", e->family_id, r->family_id, 16);
        igk_verify_add_bytes(t, "IMAGE_ID", e->image_id, r->image_id, 16);
        igk_verify_add_u64(t, "GUEST_SVN", e->guest_svn, r->guest_svn, false);
        igk_verify_add_bytes(t, "ID_KEY_DIGEST", e->id_key_digest, r->id_key_digest, 48);
        igk_verify_add_bytes(t, "AUTHOR_KEY_DIGEST", e->author_key_digest, r->author_key_digest,
                             48);
    }
    if (e->has_host_data)
        igk_verify_add_bytes(t, "HOST_DATA", e->host_data, r->host_data, 32);
    if (e->has_report_data)
        igk_verify_add_bytes(t, "REPORT_DATA", e->report_data, r->report_data, 64);
    if (e->has_vmpl)
        igk_verify_add_u64(t, "VMPL", e->vmpl, r->vmpl, false);
    if (e->has_min_tcb)
        compare_min_tcb(&e->min_tcb, r, product, t);
}
