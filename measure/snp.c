/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP launch digest: the PAGE_INFO chain of snp-measure.md sections 1-2.
 *
 * LD starts as 48 zero bytes; every page replaces it with SHA-384 of a
 * 112-byte PAGE_INFO (LD, CONTENTS, length 0x70, page type, zeros, GPA).
 * CONTENTS is SHA-384 of the page for NORMAL and VMSA pages and zeros for the
 * other types.  The content hashes do not depend on the chain, so they are
 * computed for a window of pages at a time on two threads; the chain itself
 * (one short hash per page) is folded in order afterwards.  Page data is
 * read where it lies (the file mapping): nothing is copied except short
 * pages, which are zero padded.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "idblock.h"
#include "le.h"
#include "measure-private.h"
#include "util.h"

#define PAGE_INFO_SIZE 0x70
#define WINDOW 1024        /* pages per window: 4 MiB of data, referenced not copied */
#define PARALLEL_MIN 64    /* below this a second thread costs more than it saves */

_Static_assert(PAGE_INFO_SIZE == 112, "PAGE_INFO is 0x70 bytes (snp-measure.md section 1)");

/* SNP page types (snp-measure.md section 2). */
enum snp_page_type {
    SNP_PAGE_NORMAL = 1,
    SNP_PAGE_VMSA = 2,
    SNP_PAGE_ZERO = 3,
    SNP_PAGE_UNMEASURED = 4,
    SNP_PAGE_SECRETS = 5,
    SNP_PAGE_CPUID = 6,
};

struct snp_page {
    uint8_t type;
    uint64_t gpa;
    const uint8_t *data; /* NULL: a page of zeros */
    uint32_t data_size;
    uint8_t contents[48];
};

struct snp_state {
    EVP_MD *md; /* fetched once: an implicit fetch per page takes a lock */
    uint8_t ld[48];
    struct snp_page *window;
    size_t n;
    EVP_MD_CTX *ctx; /* main thread's */
    unsigned long step;
    unsigned vmsa_count;
    bool replicated;
    unsigned n_replicated;
    igk_measure_step_fn fn;
    void *user;
};

struct hash_job {
    const EVP_MD *md;
    struct snp_page *pages;
    size_t n;
    int result;
};

static int hash_page(EVP_MD_CTX *ctx, const EVP_MD *md, struct snp_page *p)
{
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *bytes = p->data;
    unsigned int len = 0;

    if (p->type != SNP_PAGE_NORMAL && p->type != SNP_PAGE_VMSA) {
        memset(p->contents, 0, sizeof(p->contents));
        return 0;
    }
    if (!bytes) {
        memcpy(p->contents, igk_zero_page_sha384, 48);
        return 0;
    }
    if (p->data_size < IGK_PAGE_SIZE) {
        memset(pad, 0, sizeof(pad));
        memcpy(pad, p->data, p->data_size);
        bytes = pad;
    }
    if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, bytes, IGK_PAGE_SIZE) != 1 ||
        EVP_DigestFinal_ex(ctx, p->contents, &len) != 1 || len != 48)
        return IGK_E_INTERNAL;
    return 0;
}

static int hash_pages(EVP_MD_CTX *ctx, const EVP_MD *md, struct snp_page *pages, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int r = hash_page(ctx, md, &pages[i]);
        if (r < 0)
            return r;
    }
    return 0;
}

static void *hash_thread(void *arg)
{
    struct hash_job *job = arg;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    job->result = ctx ? hash_pages(ctx, job->md, job->pages, job->n) : IGK_E_INTERNAL;
    EVP_MD_CTX_free(ctx);
    return NULL;
}

static int extend(struct snp_state *s, const struct snp_page *p)
{
    uint8_t info[PAGE_INFO_SIZE] = {0};
    unsigned int len = 0;

    memcpy(info, s->ld, 48);
    memcpy(info + 0x30, p->contents, 48);
    igk_put_le16(info + 0x60, PAGE_INFO_SIZE);
    info[0x62] = p->type;
    /* 0x63 IMI, 0x64..0x67 VMPL permissions: zero for every launch page. */
    igk_put_le64(info + 0x68, p->gpa);
    if (EVP_DigestInit_ex(s->ctx, s->md, NULL) != 1 ||
        EVP_DigestUpdate(s->ctx, info, sizeof(info)) != 1 ||
        EVP_DigestFinal_ex(s->ctx, s->ld, &len) != 1 || len != 48)
        return IGK_E_INTERNAL;
    return 0;
}

/* Hashes the window's contents (two threads when it pays) and folds it. */
static int flush(struct snp_state *s, struct igk_error *err)
{
    size_t half = s->n / 2;
    struct hash_job job = {.md = s->md, .pages = s->window + half, .n = s->n - half};
    pthread_t thread;
    bool threaded = false;
    int r;

    if (!s->n)
        return 0;
    if (s->n >= PARALLEL_MIN && pthread_create(&thread, NULL, hash_thread, &job) == 0)
        threaded = true;
    r = hash_pages(s->ctx, s->md, s->window, threaded ? half : s->n);
    if (threaded) {
        pthread_join(thread, NULL);
        if (r == 0)
            r = job.result;
    }
    if (r < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    for (size_t i = 0; i < s->n; i++)
        if (extend(s, &s->window[i]) < 0)
            return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    s->n = 0;
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
    struct snp_page *p;

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
    p = &s->window[s->n++];
    p->type = page_type(ev->kind);
    p->gpa = ev->gpa;
    p->data = ev->data;
    p->data_size = ev->data_size;
    if (s->fn) {
        struct igk_measure_step step = {.event = ev, .contents_len = 48, .running_len = 48};
        int r = flush(s, err);

        if (r < 0)
            return r;
        step.step = ++s->step;
        memcpy(step.contents, p->contents, 48);
        memcpy(step.running, s->ld, 48);
        return s->fn(&step, s->user, err);
    }
    s->step++;
    return s->n == WINDOW ? flush(s, err) : 0;
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
                    const struct igk_measure_options *options, igk_measure_step_fn fn,
                    void *user, struct igk_measurement *ret, struct igk_error *err)
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
    s.window = malloc(WINDOW * sizeof(*s.window));
    s.ctx = EVP_MD_CTX_new();
    s.md = EVP_MD_fetch(NULL, "SHA384", NULL);
    if (!s.window || !s.ctx || !s.md) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    r = igk_walk_mask(igvm, IGK_PLATFORM_SEV_SNP, mask, options, on_event, &s, err);
    if (r >= 0)
        r = flush(&s, err);
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
    EVP_MD_free(s.md);
    EVP_MD_CTX_free(s.ctx);
    free(s.window);
    return r;
}
