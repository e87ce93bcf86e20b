/* SPDX-License-Identifier: MIT */
/*
 * TDX MRTD: one SHA-384 stream (tdx-measure.md section 1, igvm-format.md
 * section 8).  Per private 4 KiB page a 128-byte TDH.MEM.PAGE.ADD record; for
 * a measured page 16 TDH.MR.EXTEND records (128-byte header + 256 content
 * bytes) follow.  Data-less measured pages extend zeros, short data is zero
 * padded, unmeasured pages and parameter inserts are added only, shared pages
 * are skipped.  The walker lays each page's records and data out in a
 * buffer while a second thread hashes the buffers filled before
 * (stream-thread.h): the one hash cannot be split, so the copying from the
 * file mapping is what runs beside it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "gpa-set.h"
#include "le.h"
#include "measure-private.h"
#include "stream-thread.h"
#include "util.h"

#define RECORD_SIZE 128
#define CHUNK_SIZE 256
/* One page's contribution: PAGE.ADD, then 16 x (MR.EXTEND + 256 bytes). */
#define PAGE_STREAM_SIZE (RECORD_SIZE + (IGK_PAGE_SIZE / CHUNK_SIZE) * (RECORD_SIZE + CHUNK_SIZE))
/* 41 pages a buffer: few hand-overs, and the four buffers fit in L2/L3. */
#define STREAM_BUFFER_SIZE (256 * 1024)

static const uint8_t zero_page[IGK_PAGE_SIZE];

/*
 * The directive that added a GPA first is found again by a second walk,
 * only when there is a duplicate: the set holds pages, not directives.
 */
struct tdx_state {
    struct igk_stream_thread *stream;
    struct igk_gpa_set added;
    const struct igk_igvm *igvm;
    uint32_t mask;
    const struct igk_measure_options *options;
    unsigned long step;
    igk_measure_step_fn fn;
    void *user;
};

struct find_gpa {
    uint64_t gpa;
    uint32_t directive;
};

#define FOUND 1 /* stops the walk: not an error code */

static int find_gpa(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct find_gpa *f = user;

    (void)err;
    if (ev->kind == IGK_EVENT_SHARED || ev->gpa != f->gpa)
        return 0;
    f->directive = ev->directive_index;
    return -FOUND;
}

/* The directive that added gpa first (only called for a duplicate). */
static uint32_t first_directive(const struct tdx_state *s, uint64_t gpa)
{
    struct find_gpa f = {.gpa = gpa, .directive = UINT32_MAX};

    igk_walk_mask(s->igvm, IGK_PLATFORM_TDX, s->mask, s->options, find_gpa, &f, NULL);
    return f.directive;
}

/* Records gpa as added by directive; refuses a GPA added before. */
static int add_gpa(struct tdx_state *s, uint64_t gpa, uint32_t directive, struct igk_error *err)
{
    int r;

    /* TDH.MEM.PAGE.ADD takes a 4 KiB page; a validated file has no other. */
    if (gpa & (IGK_PAGE_SIZE - 1))
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: GPA %#llx is not 4 KiB aligned", directive,
                             (unsigned long long)gpa);
    r = igk_gpa_set_add(&s->added, gpa);
    if (r < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (r == 0)
        return igk_error_set(err, IGK_E_INVALID,
                             "GPA %#llx added twice (directives #%u and #%u): the TDX module "
                             "refuses a second TDH.MEM.PAGE.ADD",
                             (unsigned long long)gpa, first_directive(s, gpa), directive);
    return 0;
}

static int on_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct tdx_state *s = user;
    struct igk_measure_step step = {.event = ev};
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *page = NULL;
    EVP_MD_CTX *ctx;
    uint8_t *out;
    size_t size;
    int r;

    if (ev->kind == IGK_EVENT_SHARED) {
        step.step = 0;
        goto trace; /* host-visible: never added to the TD */
    }
    if (ev->page_flags & IGK_PAGE_FLAG_IS_2MB)
        return igk_error_set(err, IGK_E_INVALID,
                             "directive #%u: IS_2MB_PAGE at GPA %#llx is not supported for TDX: "
                             "TDH.MEM.PAGE.ADD adds 4 KiB pages, write 512 4 KiB pages instead",
                             ev->directive_index, (unsigned long long)ev->gpa);
    r = add_gpa(s, ev->gpa, ev->directive_index, err);
    if (r < 0)
        return r;

    /*
     * TDH.MEM.PAGE.ADD: "MEM.PAGE.ADD", zeros, GPA @16, zeros; then, for a
     * measured page, 16 TDH.MR.EXTEND records ("MR.EXTEND", chunk GPA @16)
     * each followed by its 256 bytes.  Laid out in the stream buffer so the
     * hash takes large updates: 33 small EVP calls per page cost more than
     * the copy (tests/bench).
     */
    size = ev->kind == IGK_EVENT_UNMEASURED ? RECORD_SIZE : PAGE_STREAM_SIZE;
    out = igk_stream_thread_reserve(s->stream, size, err);
    if (!out)
        return IGK_E_INTERNAL;
    memset(out, 0, RECORD_SIZE);
    memcpy(out, "MEM.PAGE.ADD", 12);
    igk_put_le64(out + 16, ev->gpa);
    if (size == PAGE_STREAM_SIZE) {
        page = ev->data ? ev->data : zero_page;
        if (ev->data && ev->data_size < IGK_PAGE_SIZE) {
            memset(pad, 0, sizeof(pad));
            memcpy(pad, ev->data, ev->data_size);
            page = pad;
        }
        for (unsigned c = 0; c < IGK_PAGE_SIZE / CHUNK_SIZE; c++) {
            uint8_t *rec = out + RECORD_SIZE + (size_t)c * (RECORD_SIZE + CHUNK_SIZE);
            memset(rec, 0, RECORD_SIZE);
            memcpy(rec, "MR.EXTEND", 9);
            igk_put_le64(rec + 16, ev->gpa + (uint64_t)c * CHUNK_SIZE);
            memcpy(rec + RECORD_SIZE, page + (size_t)c * CHUNK_SIZE, CHUNK_SIZE);
        }
    }
    igk_stream_thread_commit(s->stream, size);
    step.step = ++s->step;
trace:
    if (!s->fn)
        return 0;
    /* Running value: what the digest would be if the launch ended now. */
    r = igk_stream_thread_drain(s->stream, &ctx, err);
    if (r < 0)
        return r;
    return igk_measure_stream_step(&step, ctx, page, s->fn, s->user, err);
}

int igk_measure_tdx(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, igk_measure_step_fn fn,
                    void *user, struct igk_measurement *ret, struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    struct tdx_state s = {.fn = fn, .user = user, .igvm = igvm, .mask = mask, .options = options};
    unsigned int len = 0;
    int r;

    s.stream = igk_stream_thread_new(EVP_sha384(), STREAM_BUFFER_SIZE, err);
    if (!s.stream)
        return IGK_E_INTERNAL;
    r = igk_walk_mask(igvm, IGK_PLATFORM_TDX, mask, options, on_event, &s, err);
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
    igk_gpa_set_clear(&s.added);
    return r;
}
