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
 */
#include <string.h>

#include <openssl/evp.h>

#include "measure-private.h"
#include "util.h"

struct es_state {
    EVP_MD_CTX *ctx;
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
        if (EVP_DigestUpdate(s->ctx, page, IGK_PAGE_SIZE) != 1)
            return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        step.step = ++s->step;
    }
    if (!s->fn)
        return 0;
    /* Running value: what the digest would be if the launch ended now. */
    return igk_measure_stream_step(&step, s->ctx, page, s->fn, s->user, err);
}

int igk_measure_sev_es(const struct igk_igvm *igvm, uint32_t mask,
                       const struct igk_measure_options *options, unsigned flags,
                       igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                       struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    struct es_state s = {.fn = fn, .user = user};
    unsigned int len = 0;
    int r;

    (void)flags; /* only SEV-SNP reads pages apart */
    s.ctx = EVP_MD_CTX_new();
    if (!s.ctx || EVP_DigestInit_ex(s.ctx, EVP_sha256(), NULL) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 is not available");
        goto out;
    }
    r = igk_walk_mask(igvm, IGK_PLATFORM_SEV_ES, mask, options, on_event, &s, err);
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
