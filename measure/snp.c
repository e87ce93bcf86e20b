/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP launch digest: the PAGE_INFO chain of docs/measure-snp.md 1-2.
 *
 * LD starts as 48 zero bytes; every page replaces it with SHA-384 of a
 * 112-byte PAGE_INFO (LD, CONTENTS, length 0x70, page type, zeros, GPA).
 * CONTENTS is SHA-384 of the page for NORMAL and VMSA pages and zeros for the
 * other types.  The contents digests do not depend on the chain, so they are
 * computed on every core by the page pipeline (page-pipeline.h), which hands
 * the pages back in order for the chain (one short hash per page).  Pages of
 * a file measured alone are read with pread by the hashing threads; with
 * other platforms measured at the same time (IGK_MEASURE_SHARED_FILE) they
 * are hashed where they lie in the file mapping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "idblock.h"
#include "le.h"
#include "measure-private.h"
#include "page-pipeline.h"
#include "held-input.h"
#include "util.h"

#define PAGE_INFO_SIZE 0x70

_Static_assert(PAGE_INFO_SIZE == 112, "PAGE_INFO is 0x70 bytes (docs/measure-snp.md 1)");

/* SNP page types (docs/measure-snp.md section 2). */
enum snp_page_type {
    SNP_PAGE_NORMAL = 1,
    SNP_PAGE_VMSA = 2,
    SNP_PAGE_ZERO = 3,
    SNP_PAGE_UNMEASURED = 4,
    SNP_PAGE_SECRETS = 5,
    SNP_PAGE_CPUID = 6,
};

struct snp_state {
    EVP_MD *md; /* fetched once: an implicit fetch per page takes a lock */
    EVP_MD_CTX *ctx;
    uint8_t ld[48];
    uint8_t last_contents[48]; /* of the page folded last (the trace) */
    struct igk_page_pipeline *pipeline;
    unsigned long step;
    unsigned vmsa_count;
    bool replicated;
    unsigned n_replicated;
    igk_measure_step_fn fn;
    void *user;
};

/* Folds one page into the chain: LD = SHA-384(PAGE_INFO). */
static int extend(const struct igk_hashed_page *p, void *user, struct igk_error *err)
{
    struct snp_state *s = user;
    uint8_t info[PAGE_INFO_SIZE] = {0};
    unsigned int len = 0;

    memcpy(info, s->ld, 48);
    memcpy(info + 0x30, p->digest, 48);
    igk_put_le16(info + 0x60, PAGE_INFO_SIZE);
    info[0x62] = p->tag;
    /* 0x63 IMI, 0x64..0x67 VMPL permissions: zero for every launch page. */
    igk_put_le64(info + 0x68, p->gpa);
    if (EVP_DigestInit_ex(s->ctx, s->md, NULL) != 1 ||
        EVP_DigestUpdate(s->ctx, info, sizeof(info)) != 1 ||
        EVP_DigestFinal_ex(s->ctx, s->ld, &len) != 1 || len != 48)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    memcpy(s->last_contents, p->digest, 48);
    return 0;
}

static uint8_t page_type(enum igk_event_kind kind)
{
    switch (kind) {
    case IGK_EVENT_NORMAL:
        return SNP_PAGE_NORMAL;
    case IGK_EVENT_VMSA:
        return SNP_PAGE_VMSA;
    case IGK_EVENT_ZERO:
        return SNP_PAGE_ZERO;
    case IGK_EVENT_UNMEASURED:
        return SNP_PAGE_UNMEASURED;
    case IGK_EVENT_SECRETS:
        return SNP_PAGE_SECRETS;
    case IGK_EVENT_CPUID:
        return SNP_PAGE_CPUID;
    default:
        return 0;
    }
}

static int on_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct snp_state *s = user;
    struct igk_hashed_page page = {0};
    int r;

    if (ev->kind == IGK_EVENT_VMSA) {
        s->vmsa_count++;
        if (ev->event_flags & IGK_EVENT_F_REPLICATED) {
            s->replicated = true;
            s->n_replicated++;
        }
        if (!ev->data || ev->data_size < IGK_PAGE_SIZE)
            return igk_error_set(err, IGK_E_INVALID,
                                 "directive #%u: the VMSA is not a 4096-byte page",
                                 ev->directive_index);
    }
    if (!page_type(ev->kind)) {
        /* SHARED pages do not enter the digest. */
        if (s->fn) {
            struct igk_measure_step step = {.event = ev, .running_len = 48};
            memcpy(step.running, s->ld, 48);
            return s->fn(&step, s->user, err);
        }
        return 0;
    }
    page.tag = page_type(ev->kind);
    page.hash = page.tag == SNP_PAGE_NORMAL || page.tag == SNP_PAGE_VMSA;
    page.gpa = ev->gpa;
    page.data = ev->data;
    page.data_size = ev->data_size;
    r = igk_page_pipeline_add(s->pipeline, &page, err);
    /* A VMSA with guest features set is the walker's copy, valid only during
     * this call: hashed before it returns. */
    if (r >= 0 && (ev->event_flags & IGK_EVENT_F_FEATURES))
        r = igk_page_pipeline_flush(s->pipeline, err);
    if (r < 0)
        return r;
    s->step++;
    if (s->fn) {
        struct igk_measure_step step = {.event = ev, .contents_len = 48, .running_len = 48};

        r = igk_page_pipeline_flush(s->pipeline, err);
        if (r < 0)
            return r;
        step.step = s->step;
        memcpy(step.contents, s->last_contents, 48);
        memcpy(step.running, s->ld, 48);
        return s->fn(&step, s->user, err);
    }
    return 0;
}

static const struct igk_snp_id_block *find_id_block(const struct igk_igvm *igvm, uint32_t mask)
{
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_SNP_ID_BLOCK && h->u.snp_id_block && igk_header_applies(h, mask))
            return h->u.snp_id_block;
    }
    return NULL;
}

int igk_measure_snp(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    const struct igk_snp_id_block *ib;
    struct snp_state s = {.fn = fn, .user = user};
    int r;

    /* The crate refuses to measure without a policy: it is part of the launch
     * (SNP_LAUNCH_START) and of the ID block the PSP checks. */
    if (!policy)
        return igk_error_set(err, IGK_E_INVALID,
                             "no GUEST_POLICY applies to sev-snp (mask %#x): SNP needs a launch "
                             "policy", mask);
    s.ctx = EVP_MD_CTX_new();
    s.md = EVP_MD_fetch(NULL, "SHA384", NULL);
    if (!s.ctx || !s.md) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-384 is not available");
        goto out;
    }
    s.pipeline = igk_page_pipeline_new(extend, &s, err);
    if (!s.pipeline) {
        r = IGK_E_INTERNAL;
        goto out;
    }
    if (options && options->snp_seed) {
        memcpy(s.ld, options->snp_seed, sizeof(s.ld));
        ret->has_firmware_digest = true;
        memcpy(ret->firmware_digest, options->snp_seed, sizeof(ret->firmware_digest));
    }
    if (!(flags & IGK_MEASURE_SHARED_FILE) && igvm->file) {
        igk_page_pipeline_read_from(s.pipeline, igk_igvm_file_fd(igvm), igvm->file,
                                    igvm->file_size);
    } else if (!(flags & IGK_MEASURE_SHARED_FILE)) {
        /* A packed model: most page bytes are in an input it holds (an initrd). */
        const uint8_t *base;
        uint64_t size;
        int fd = igk_held_input_largest(igvm, &base, &size);

        igk_page_pipeline_read_from(s.pipeline, fd, base, size);
    }
    r = igk_walk_mask(igvm, IGK_PLATFORM_SEV_SNP, mask, options, on_event, &s, err);
    if (r >= 0)
        r = igk_page_pipeline_flush(s.pipeline, err);
    if (r < 0)
        goto out;
    memcpy(ret->digest, s.ld, 48);
    ret->vmsa_count = s.vmsa_count;
    ret->vcpus = s.vmsa_count;
    ret->vcpus_replicated = s.replicated;
    ret->vmsas_replicated = s.n_replicated;
    ret->has_policy = true;
    ret->policy = policy->policy;
    ib = find_id_block(igvm, mask);
    if (ib) {
        struct igk_idblock_check c;

        r = igk_idblock_check(ib, s.ld, policy->policy, &c, err);
        if (r < 0)
            goto out;
        memcpy(ret->idblock_ld, ib->ld, sizeof(ret->idblock_ld));
        ret->idblock_ld_match = c.ld_match;
        ret->idblock_id_sig_ok = c.id_sig_ok;
        ret->idblock_author_present = c.author_present;
        ret->idblock_author_sig_ok = c.author_sig_ok;
        if (!c.ld_match)
            ret->idblock = IGK_IDBLOCK_LD_MISMATCH;
        else if (!c.id_sig_ok || (c.author_present && !c.author_sig_ok))
            ret->idblock = IGK_IDBLOCK_BAD_SIGNATURE;
        else
            ret->idblock = IGK_IDBLOCK_OK;
    }
    r = 0;
out:
    igk_page_pipeline_free(s.pipeline);
    EVP_MD_free(s.md);
    EVP_MD_CTX_free(s.ctx);
    return r;
}
