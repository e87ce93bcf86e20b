/* SPDX-License-Identifier: MIT */
/*
 * SEV-ES launch digest (SHA-256).
 *
 * The reference crate (microsoft/igvm igvm/src/measurement) has no SEV-ES
 * measurement, so this implements the rule of coconut-svsm's igvmmeasure,
 * the only IGVM measurer that has one: a single SHA-256 over, in directive
 * order, the 4 KiB contents of every selected PAGE_DATA that carries file
 * data (whatever its flags or data type: igvmmeasure hashes what it would
 * hand to LAUNCH_UPDATE_DATA) and the 4 KiB of every VMSA.  Data-less pages
 * and parameter inserts contribute no bytes.  One deliberate difference:
 * igvmmeasure hashes VP contexts of every platform (it does not look at their
 * mask, docs/measure-sev-es.md section 2); here only the SEV-ES ones count,
 * selected like every other directive.
 *
 * Plain SEV (igk_measure_sev) is the same fold without VP contexts: SEV has
 * no encrypted register state, so its launch digest covers only the bytes
 * given to LAUNCH_UPDATE_DATA.
 *
 * The qemu-classic profile (a launch from -bios with kernel-hashes=on, what
 * sev-snp-measure --mode seves / sev computes) differs in one place: QEMU
 * encrypts the OVMF kernel-hashes table alone, its 176 padded bytes, not the
 * page around it (target/i386/sev.c, sev_add_kernel_loader_hashes).  A page
 * that holds nothing but that table at a 16-byte aligned offset (how the
 * packer lays it out for SEV and SEV-ES) therefore contributes just the
 * table under that profile.
 */
#include <string.h>

#include <openssl/evp.h>

#include "le.h"
#include "measure-private.h"
#include "util.h"

/* OVMF's SEV hash table (GUID 9438d606-4f22-4cc9-b479-a793d411fd21, EFI byte order). */
static const uint8_t hash_table_guid[16] = {0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
                                            0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21};
#define HASH_TABLE_LEN 168u    /* the table's own length field */
#define HASH_TABLE_PADDED 176u /* what QEMU encrypts: padded to 16 bytes */

/*
 * Offset of the padded table when page (4096 bytes) holds only an SEV hash
 * table at a 16-byte aligned offset; -1 otherwise.
 */
static long lone_hash_table(const uint8_t *page)
{
    long at = -1;

    for (unsigned off = 0; off + HASH_TABLE_PADDED <= IGK_PAGE_SIZE; off += 16)
        if (!memcmp(page + off, hash_table_guid, 16) &&
            igk_le16(page + off + 16) == HASH_TABLE_LEN) {
            at = off;
            break;
        }
    if (at < 0)
        return -1;
    for (unsigned i = 0; i < IGK_PAGE_SIZE; i++)
        if (page[i] && (i < (unsigned)at || i >= (unsigned)at + HASH_TABLE_PADDED))
            return -1;
    return at;
}

struct es_state {
    EVP_MD_CTX *ctx;
    enum igk_loader loader;
    unsigned long step;
    unsigned vmsa_count;
    bool replicated;
    unsigned n_replicated;
    igk_measure_step_fn fn;
    void *user;
};

static int on_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct es_state *s = user;
    struct igk_measure_step step = {.event = ev};
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *page = NULL;
    size_t len = IGK_PAGE_SIZE;

    if (ev->kind == IGK_EVENT_VMSA) {
        if (!ev->data || ev->data_size < IGK_PAGE_SIZE)
            return igk_error_set(err, IGK_E_INVALID,
                                 "directive #%u: the VMSA is not a 4096-byte page",
                                 ev->directive_index);
        s->vmsa_count++;
        if (ev->event_flags & IGK_EVENT_F_REPLICATED) {
            s->replicated = true;
            s->n_replicated++;
        }
        page = ev->data;
    } else if (ev->kind != IGK_EVENT_SHARED && ev->header_type == IGK_VHT_PAGE_DATA && ev->data) {
        page = ev->data;
        if (ev->data_size < IGK_PAGE_SIZE) {
            memset(pad, 0, sizeof(pad));
            memcpy(pad, ev->data, ev->data_size);
            page = pad;
        }
    }
    if (page) {
        long table;

        if (s->loader == IGK_LOADER_QEMU_CLASSIC && ev->kind != IGK_EVENT_VMSA &&
            (table = lone_hash_table(page)) >= 0) {
            page += table;
            len = HASH_TABLE_PADDED;
        }
        if (EVP_DigestUpdate(s->ctx, page, len) != 1)
            return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        step.step = ++s->step;
    }
    if (!s->fn)
        return 0;
    /* Running value: what the digest would be if the launch ended now. */
    return igk_measure_stream_step(&step, s->ctx, page, len, s->fn, s->user, err);
}

static int measure_sev_stream(const struct igk_igvm *igvm, enum igk_platform_type platform,
                              uint32_t mask, const struct igk_measure_options *options,
                              igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                              struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    struct es_state s = {.fn = fn, .user = user, .loader = options->loader};
    unsigned int len = 0;
    int r;

    s.ctx = EVP_MD_CTX_new();
    if (!s.ctx || EVP_DigestInit_ex(s.ctx, EVP_sha256(), NULL) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 is not available");
        goto out;
    }
    r = igk_walk_mask(igvm, platform, mask, options, on_event, &s, err);
    if (r < 0)
        goto out;
    if (EVP_DigestFinal_ex(s.ctx, ret->digest, &len) != 1 || len != 32) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        goto out;
    }
    ret->vmsa_count = s.vmsa_count;
    ret->vcpus = s.vmsa_count;
    ret->vcpus_replicated = s.replicated;
    ret->vmsas_replicated = s.n_replicated;
    if (policy) {
        ret->has_policy = true;
        ret->policy = policy->policy;
    }
    r = 0;
out:
    EVP_MD_CTX_free(s.ctx);
    return r;
}

int igk_measure_sev_es(const struct igk_igvm *igvm, uint32_t mask,
                       const struct igk_measure_options *options, unsigned flags,
                       igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                       struct igk_error *err)
{
    (void)flags; /* only SEV-SNP reads pages apart */
    return measure_sev_stream(igvm, IGK_PLATFORM_SEV_ES, mask, options, fn, user, ret, err);
}

int igk_measure_sev(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err)
{
    (void)flags;
    return measure_sev_stream(igvm, IGK_PLATFORM_SEV, mask, options, fn, user, ret, err);
}
