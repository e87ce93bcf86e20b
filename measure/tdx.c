/* SPDX-License-Identifier: MIT */
/*
 * TDX MRTD: one SHA-384 stream (docs/measure-tdx.md sections 1
 * and 3).  Per private 4 KiB page a 128-byte TDH.MEM.PAGE.ADD record; for
 * a measured page 16 TDH.MR.EXTEND records (128-byte header + 256 content
 * bytes) follow.  Data-less measured pages extend zeros, short data is zero
 * padded, unmeasured pages and parameter inserts are added only, shared pages
 * are skipped.  The walker lays each page's records and data out in a
 * buffer while a second thread hashes the buffers filled before
 * (stream-thread.h): the one hash cannot be split, so the copying from the
 * file mapping is what runs beside it.
 *
 * Page order: single pass (add, then extend, page by page) for every loader
 * profile but "qemu-8", which adds every page of a region before extending
 * its measured pages (the order and the QEMU/KVM versions behind each are
 * in <igvmkit/measure.h>, "TDX page order").
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "le.h"
#include "measure-private.h"
#include "stream-thread.h"
#include "tdx-gpa.h"
#include "util.h"

#define RECORD_SIZE 128
#define CHUNK_SIZE 256
/* One page's contribution: PAGE.ADD, then 16 x (MR.EXTEND + 256 bytes). */
#define PAGE_STREAM_SIZE (RECORD_SIZE + (IGK_PAGE_SIZE / CHUNK_SIZE) * (RECORD_SIZE + CHUNK_SIZE))
/* 41 pages a buffer: few hand-overs, and the four buffers fit in L2/L3. */
#define STREAM_BUFFER_SIZE (256 * 1024)

static const uint8_t zero_page[IGK_PAGE_SIZE];

struct tdx_state {
    struct igk_stream_thread *stream;
    struct igk_tdx_gpa added;
    unsigned long step;
    igk_measure_step_fn fn;
    void *user;
    /* Two-pass order ("qemu-8"): the measured pages of the current region,
     * extended when it ends.  Event data lives as long as the model. */
    bool two_pass;
    struct igk_page_event *pending;
    size_t n_pending, cap_pending;
    bool in_region, region_measured;
    uint64_t next_gpa;
};

/* The page's 4 KiB as extended: its data, zero padded, or zeros. */
static const uint8_t *page_bytes(const struct igk_page_event *ev, uint8_t pad[IGK_PAGE_SIZE])
{
    if (!ev->data)
        return zero_page;
    if (ev->data_size >= IGK_PAGE_SIZE)
        return ev->data;
    memset(pad, 0, IGK_PAGE_SIZE);
    memcpy(pad, ev->data, ev->data_size);
    return pad;
}

static int trace(struct tdx_state *s, struct igk_measure_step *step, const uint8_t *page,
                 struct igk_error *err)
{
    EVP_MD_CTX *ctx;
    int r;

    if (!s->fn)
        return 0;
    /* Running value: what the digest would be if the launch ended now. */
    r = igk_stream_thread_drain(s->stream, &ctx, err);
    if (r < 0)
        return r;
    return igk_measure_stream_step(step, ctx, page, IGK_PAGE_SIZE, s->fn, s->user, err);
}

/* TDH.MEM.PAGE.ADD: "MEM.PAGE.ADD", zeros, GPA @16, zeros (128 bytes). */
static void put_add(uint8_t *out, uint64_t gpa)
{
    memset(out, 0, RECORD_SIZE);
    memcpy(out, "MEM.PAGE.ADD", 12);
    igk_put_le64(out + 16, gpa);
}

/* 16 TDH.MR.EXTEND records ("MR.EXTEND", chunk GPA @16), each followed by its 256 bytes. */
static void put_extend(uint8_t *out, uint64_t gpa, const uint8_t *page)
{
    for (unsigned c = 0; c < IGK_PAGE_SIZE / CHUNK_SIZE; c++) {
        uint8_t *rec = out + (size_t)c * (RECORD_SIZE + CHUNK_SIZE);
        memset(rec, 0, RECORD_SIZE);
        memcpy(rec, "MR.EXTEND", 9);
        igk_put_le64(rec + 16, gpa + (uint64_t)c * CHUNK_SIZE);
        memcpy(rec + RECORD_SIZE, page + (size_t)c * CHUNK_SIZE, CHUNK_SIZE);
    }
}

/* Second pass over the region that just ended: extend its measured pages. */
static int flush_region(struct tdx_state *s, struct igk_error *err)
{
    uint8_t pad[IGK_PAGE_SIZE];
    int r;

    for (size_t i = 0; i < s->n_pending; i++) {
        const struct igk_page_event *ev = &s->pending[i];
        struct igk_measure_step step = {.event = ev, .tdx_op = "MR.EXTEND"};
        const uint8_t *page = page_bytes(ev, pad);
        uint8_t *out = igk_stream_thread_reserve(s->stream, PAGE_STREAM_SIZE - RECORD_SIZE, err);

        if (!out)
            return IGK_E_INTERNAL;
        put_extend(out, ev->gpa, page);
        igk_stream_thread_commit(s->stream, PAGE_STREAM_SIZE - RECORD_SIZE);
        step.step = ++s->step;
        r = trace(s, &step, page, err);
        if (r < 0)
            return r;
    }
    s->n_pending = 0;
    s->in_region = false;
    return 0;
}

static int on_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct tdx_state *s = user;
    struct igk_measure_step step = {.event = ev};
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *page = NULL;
    bool measured = ev->kind != IGK_EVENT_UNMEASURED;
    uint8_t *out;
    size_t size;
    int r;

    if (ev->kind == IGK_EVENT_SHARED) {
        step.step = 0;
        return trace(s, &step, NULL, err); /* host-visible: never added to the TD */
    }
    if (ev->page_flags & IGK_PAGE_FLAG_IS_2MB)
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: IS_2MB_PAGE at GPA %#llx is not supported for TDX: "
                             "TDH.MEM.PAGE.ADD adds 4 KiB pages, write 512 4 KiB pages instead",
                             ev->directive_index, (unsigned long long)ev->gpa);
    r = igk_tdx_gpa_add(&s->added, ev->gpa, ev->directive_index, err);
    if (r < 0)
        return r;

    if (s->two_pass) {
        if (s->in_region && (ev->gpa != s->next_gpa || measured != s->region_measured)) {
            r = flush_region(s, err);
            if (r < 0)
                return r;
        }
        s->in_region = true;
        s->region_measured = measured;
        s->next_gpa = ev->gpa + IGK_PAGE_SIZE;
        if (measured) {
            if (s->n_pending == s->cap_pending) {
                size_t cap = s->cap_pending ? 2 * s->cap_pending : 256;
                struct igk_page_event *n = realloc(s->pending, cap * sizeof(*n));
                if (!n)
                    return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
                s->pending = n;
                s->cap_pending = cap;
            }
            s->pending[s->n_pending++] = *ev;
        }
        out = igk_stream_thread_reserve(s->stream, RECORD_SIZE, err);
        if (!out)
            return IGK_E_INTERNAL;
        put_add(out, ev->gpa);
        igk_stream_thread_commit(s->stream, RECORD_SIZE);
        step.step = ++s->step;
        step.tdx_op = "PAGE.ADD";
        return trace(s, &step, NULL, err);
    }

    /*
     * Single pass: PAGE.ADD, then for a measured page its 16 MR.EXTEND
     * records, laid out in the stream buffer so the hash takes large
     * updates: 33 small EVP calls per page cost more than the copy
     * (tests/bench).
     */
    size = measured ? PAGE_STREAM_SIZE : RECORD_SIZE;
    out = igk_stream_thread_reserve(s->stream, size, err);
    if (!out)
        return IGK_E_INTERNAL;
    put_add(out, ev->gpa);
    if (measured) {
        page = page_bytes(ev, pad);
        put_extend(out + RECORD_SIZE, ev->gpa, page);
    }
    igk_stream_thread_commit(s->stream, size);
    step.step = ++s->step;
    step.tdx_op = measured ? "PAGE.ADD+MR.EXTEND" : "PAGE.ADD";
    return trace(s, &step, page, err);
}

int igk_measure_tdx(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    struct tdx_state s = {.fn = fn,
                          .user = user,
                          .two_pass = options && options->loader == IGK_LOADER_QEMU8};
    struct igk_error dup_err;
    unsigned int len = 0;
    int r;

    (void)flags; /* only SEV-SNP reads pages apart */
    igk_tdx_gpa_init(&s.added, igvm, mask, options);
    s.stream = igk_stream_thread_new(EVP_sha384(), STREAM_BUFFER_SIZE, err);
    if (!s.stream)
        return IGK_E_INTERNAL;
    r = igk_walk_mask(igvm, IGK_PLATFORM_TDX, mask, options, on_event, &s, err);
    if (r >= 0 && s.two_pass)
        r = flush_region(&s, err);
    /* Pages spread too widely to track while streaming are checked now: a
     * duplicate among them comes before whatever ended the walk. */
    igk_error_clear(&dup_err);
    if (igk_tdx_gpa_finish(&s.added, &dup_err) < 0) {
        r = dup_err.code;
        if (err)
            *err = dup_err;
    }
    if (r >= 0)
        r = igk_stream_thread_finish(s.stream, ret->digest, &len, err);
    if (r < 0)
        goto out;
    if (len != 48) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
        goto out;
    }
    /* The vCPU count and initial register state are not part of MRTD. */
    ret->vmsa_count = 0;
    ret->vcpus = options ? options->vcpus : 0;
    if (policy) {
        ret->has_policy = true;
        ret->policy = policy->policy;
    }
    r = 0;
out:
    igk_stream_thread_free(s.stream);
    igk_tdx_gpa_free(&s.added);
    free(s.pending);
    return r;
}
