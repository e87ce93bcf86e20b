/* SPDX-License-Identifier: MIT */
/*
 * What a launch of an IGVM file must show in its attestation evidence, and
 * the field-by-field comparison (see <igvmkit/attest.h>).  Without an ID block the SNP
 * firmware reports zero FAMILY_ID, IMAGE_ID, GUEST_SVN and key digests
 * (docs/verify.md section 2), so zeros are the expected values then.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/attest.h>
#include "sign-private.h"
#include "idblock.h"
#include "util.h"

static struct igk_verify_row *add_row(struct igk_verify_table *t, const char *field, bool match)
{
    struct igk_verify_row *row;

    if (t->n_rows >= IGK_VERIFY_MAX_ROWS) {
        t->n_mismatches++; /* a row that cannot be shown fails: never pass unseen */
        return NULL;
    }
    row = &t->rows[t->n_rows++];
    memset(row, 0, sizeof(*row));
    row->field = field;
    row->match = match;
    if (!match)
        t->n_mismatches++;
    return row;
}

void igk_verify_add_bytes(struct igk_verify_table *t, const char *field, const uint8_t *expected,
                          const uint8_t *actual, size_t len)
{
    struct igk_verify_row *row = add_row(t, field, !memcmp(expected, actual, len));

    if (!row || 2 * len >= sizeof(row->expected))
        return;
    igk_hex_encode(expected, len, row->expected);
    igk_hex_encode(actual, len, row->actual);
}

void igk_verify_add_u64(struct igk_verify_table *t, const char *field, uint64_t expected,
                        uint64_t actual, bool hex)
{
    struct igk_verify_row *row = add_row(t, field, expected == actual);

    if (!row)
        return;
    snprintf(row->expected, sizeof(row->expected), hex ? "0x%llx" : "%llu",
             (unsigned long long)expected);
    snprintf(row->actual, sizeof(row->actual), hex ? "0x%llx" : "%llu",
             (unsigned long long)actual);
}

void igk_verify_add_text(struct igk_verify_table *t, const char *field, const char *expected,
                         const char *actual, bool match)
{
    struct igk_verify_row *row = add_row(t, field, match);

    if (!row)
        return;
    snprintf(row->expected, sizeof(row->expected), "%s", expected);
    snprintf(row->actual, sizeof(row->actual), "%s", actual);
}

int igk_snp_expected_from_igvm(const struct igk_igvm *igvm, enum igk_loader loader,
                               struct igk_snp_expected *e, struct igk_error *err)
{
    struct igk_measure_options mo = {.loader = loader, .ignore_idblock = true};
    struct igk_sign_target target;
    struct igk_measurement m;
    int r;

    memset(e, 0, sizeof(*e));
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

void igk_snp_compare(const struct igk_snp_expected *e, const struct igk_snp_report *r,
                     struct igk_verify_table *t)
{
    igk_verify_add_bytes(t, "MEASUREMENT", e->measurement, r->measurement, 48);
    if (e->has_policy)
        igk_verify_add_u64(t, "POLICY", e->policy, r->policy, true);
    igk_verify_add_bytes(t, "FAMILY_ID", e->family_id, r->family_id, 16);
    igk_verify_add_bytes(t, "IMAGE_ID", e->image_id, r->image_id, 16);
    igk_verify_add_u64(t, "GUEST_SVN", e->guest_svn, r->guest_svn, false);
    igk_verify_add_bytes(t, "ID_KEY_DIGEST", e->id_key_digest, r->id_key_digest, 48);
    igk_verify_add_bytes(t, "AUTHOR_KEY_DIGEST", e->author_key_digest, r->author_key_digest, 48);
    if (e->has_host_data)
        igk_verify_add_bytes(t, "HOST_DATA", e->host_data, r->host_data, 32);
}
