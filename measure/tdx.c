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
};

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
    r = igk_tdx_gpa_add(&s->added, ev->gpa, ev->directive_index, err);
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
    return igk_measure_stream_step(&step, ctx, page, IGK_PAGE_SIZE, s->fn, s->user, err);
}

int igk_measure_tdx(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err)
{
    const struct igk_guest_policy *policy = igk_measure_find_policy(igvm, mask);
    struct tdx_state s = {.fn = fn, .user = user};
    struct igk_error dup_err;
    unsigned int len = 0;
    int r;

    (void)flags; /* only SEV-SNP reads pages apart */
    igk_tdx_gpa_init(&s.added, igvm, mask, options);
    s.stream = igk_stream_thread_new(EVP_sha384(), STREAM_BUFFER_SIZE, err);
    if (!s.stream)
        return IGK_E_INTERNAL;
    r = igk_walk_mask(igvm, IGK_PLATFORM_TDX, mask, options, on_event, &s, err);
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
    return r;
}
