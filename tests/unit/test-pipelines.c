/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the two hashing helpers of measure/: the page pipeline
 * (SNP contents digests on every core, folded in order) and the stream
 * thread (the TDX stream hashed beside its layout).  Expected digests are
 * one-shot OpenSSL calls over the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "page-pipeline.h"
#include "stream-thread.h"
#include "tap.h"

#define PAGES 2500 /* more than two windows of 1024 */

static uint8_t *pages; /* PAGES x 4096 bytes */

static void sha384(const void *p, size_t n, uint8_t out[48])
{
    EVP_Digest(p, n, out, NULL, EVP_sha384(), NULL);
}

struct folded {
    unsigned n;
    unsigned fail_at; /* return an error at this fold; 0: never */
    unsigned altered; /* index + 1 of a page whose file bytes are all 0xAB; 0: none */
    bool in_order, digests_ok;
};

static int check_fold(const struct igk_hashed_page *page, void *user, struct igk_error *err)
{
    struct folded *f = user;
    uint8_t want[48] = {0}, padded[4096] = {0};
    unsigned i = f->n++;

    if (f->fail_at && f->n == f->fail_at)
        return igk_error_set(err, IGK_E_INVALID, "fold %u refused", f->n);
    if (page->gpa != (uint64_t)i * 4096 || page->tag != (uint8_t)(i % 7))
        f->in_order = false;
    if (page->hash) {
        if (f->altered == i + 1)
            memset(padded, 0xAB, sizeof(padded));
        else if (page->data)
            memcpy(padded, page->data, page->data_size);
        sha384(padded, sizeof(padded), want);
    }
    if (memcmp(page->digest, want, 48))
        f->digests_ok = false;
    return 0;
}

/* Page i: full, short (100 bytes), data-less or not hashed, by index. */
static struct igk_hashed_page page_of(unsigned i)
{
    struct igk_hashed_page p = {.gpa = (uint64_t)i * 4096, .tag = (uint8_t)(i % 7), .hash = true};

    p.data = i % 13 == 4 ? NULL : pages + (size_t)i * 4096;
    p.data_size = i % 11 == 2 ? 100 : 4096;
    if (i % 17 == 9)
        p.hash = false;
    return p;
}

static void test_pipeline(void)
{
    struct igk_error err;
    struct folded f = {.in_order = true, .digests_ok = true};
    struct igk_page_pipeline *p = igk_page_pipeline_new(check_fold, &f, &err);
    int r = 0;

    ok(p != NULL, "pipeline: created");
    for (unsigned i = 0; i < PAGES && r == 0; i++) {
        struct igk_hashed_page page = page_of(i);
        r = igk_page_pipeline_add(p, &page, &err);
        /* The first pages as a trace would: flushed one by one. */
        if (r == 0 && i < 5) {
            r = igk_page_pipeline_flush(p, &err);
            is_int(f.n, i + 1, "pipeline: a flush folds page %u at once", i);
        }
    }
    is_int(r, 0, "pipeline: %u pages added", PAGES);
    is_int(igk_page_pipeline_flush(p, &err), 0, "pipeline: flushed");
    is_int(f.n, PAGES, "pipeline: every page folded once");
    ok(f.in_order, "pipeline: folded in the order added");
    ok(f.digests_ok,
       "pipeline: each digest is SHA-384 of the zero-padded page, zeros if not hashed");
    is_int(igk_page_pipeline_flush(p, &err), 0, "pipeline: a second flush has nothing to do");
    is_int(f.n, PAGES, "pipeline: and folds nothing");
    igk_page_pipeline_free(p);

    /* A fold error in the middle of a window, with threads running. */
    f = (struct folded){.in_order = true, .digests_ok = true, .fail_at = 1500};
    p = igk_page_pipeline_new(check_fold, &f, &err);
    r = 0;
    for (unsigned i = 0; i < PAGES && r == 0; i++) {
        struct igk_hashed_page page = page_of(i);
        r = igk_page_pipeline_add(p, &page, &err);
    }
    if (r == 0)
        r = igk_page_pipeline_flush(p, &err);
    is_int(r, IGK_E_INVALID, "pipeline: a fold error is returned by the add or flush that folds");
    is_str(err.message, "fold 1500 refused", "pipeline: the fold's own error");
    is_int(f.n, 1500, "pipeline: nothing folded after the error");
    {
        struct igk_hashed_page page = page_of(0);
        is_int(igk_page_pipeline_add(p, &page, &err), IGK_E_INVALID,
               "pipeline: stopped after an error: add returns it again");
        is_int(igk_page_pipeline_flush(p, &err), IGK_E_INVALID, "pipeline: and so does flush");
        is_int(f.n, 1500, "pipeline: still nothing folded");
    }
    igk_page_pipeline_free(p); /* must join the threads, not hang */
    ok(true, "pipeline: freed after an error");
    igk_page_pipeline_free(NULL);
}

/* Runs every page through a pipeline reading from fd; returns the fold record. */
static struct folded run_from_file(int fd, unsigned altered)
{
    struct igk_error err;
    struct folded f = {.in_order = true, .digests_ok = true, .altered = altered};
    struct igk_page_pipeline *p = igk_page_pipeline_new(check_fold, &f, &err);
    int r = 0;

    igk_page_pipeline_read_from(p, fd, pages, (uint64_t)PAGES * 4096);
    for (unsigned i = 0; i < PAGES && r == 0; i++) {
        struct igk_hashed_page page = page_of(i);
        r = igk_page_pipeline_add(p, &page, &err);
    }
    if (r == 0)
        r = igk_page_pipeline_flush(p, &err);
    if (r < 0)
        f.digests_ok = false;
    igk_page_pipeline_free(p);
    return f;
}

static void test_read_from(void)
{
    char path[] = "/tmp/igk-pipeline-XXXXXX";
    int fd = mkstemp(path);
    uint8_t marked[4096];
    struct folded f;

    if (fd < 0 || unlink(path) < 0 ||
        write(fd, pages, (size_t)PAGES * 4096) != (ssize_t)PAGES * 4096) {
        printf("Bail out! cannot write %s\n", path);
        exit(1);
    }
    /* Page 1500 (a whole page) differs in the file: proof it is read from there. */
    memset(marked, 0xAB, sizeof(marked));
    if (pwrite(fd, marked, sizeof(marked), 1500 * 4096) != (ssize_t)sizeof(marked)) {
        printf("Bail out! cannot write %s\n", path);
        exit(1);
    }
    f = run_from_file(fd, 1501);
    ok(f.n == PAGES && f.in_order, "read_from: every page folded, in order");
    ok(f.digests_ok, "read_from: whole pages are hashed as the file holds them");

    /* A file shorter than the region: the pages it lacks are hashed from memory. */
    if (ftruncate(fd, 1000 * 4096 + 100) < 0) {
        printf("Bail out! cannot truncate %s\n", path);
        exit(1);
    }
    f = run_from_file(fd, 0);
    ok(f.n == PAGES && f.digests_ok, "read_from: a failed read falls back to memory");

    /* No file at all. */
    f = run_from_file(-1, 0);
    ok(f.n == PAGES && f.digests_ok, "read_from: fd -1 hashes from memory");
    close(fd);
}

static void test_stream(void)
{
    struct igk_error err;
    struct igk_stream_thread *t = igk_stream_thread_new(EVP_sha384(), 4096, &err);
    const size_t total = (size_t)PAGES * 4096;
    uint8_t want[48], got[EVP_MAX_MD_SIZE], running[48];
    unsigned int len = 0;
    size_t done = 0;
    bool drains_ok = true;
    EVP_MD_CTX *ctx = NULL;

    ok(t != NULL, "stream: created");
    ok(igk_stream_thread_reserve(t, 4097, &err) == NULL, "stream: more than a buffer is refused");
    is_str(err.message, "stream reservation of 4097 bytes exceeds the 4096-byte buffer",
           "stream: refusal message");
    while (done < total) {
        size_t n = 1 + (done * 2654435761u) % 4096; /* 1..4096, uneven */
        uint8_t *out;

        if (n > total - done)
            n = total - done;
        out = igk_stream_thread_reserve(t, n, &err);
        if (!out)
            break;
        memcpy(out, pages + done, n);
        igk_stream_thread_commit(t, n);
        done += n;
        /* Now and then read the running value, as the trace does. */
        if (done % 97 == 0 || (done > total / 2 && drains_ok && done < total / 2 + 4096)) {
            EVP_MD_CTX *copy = EVP_MD_CTX_new();
            if (igk_stream_thread_drain(t, &ctx, &err) < 0 || !EVP_MD_CTX_copy_ex(copy, ctx) ||
                !EVP_DigestFinal_ex(copy, running, NULL))
                drains_ok = false;
            sha384(pages, done, want);
            if (memcmp(running, want, 48))
                drains_ok = false;
            EVP_MD_CTX_free(copy);
        }
    }
    is_int((long long)done, (long long)total, "stream: %zu bytes committed", total);
    ok(drains_ok, "stream: every drained running value is the digest of the bytes so far");
    is_int(igk_stream_thread_finish(t, got, &len, &err), 0, "stream: finished");
    sha384(pages, total, want);
    is_int(len, 48, "stream: SHA-384 length");
    ok(!memcmp(got, want, 48), "stream: digest equals the one-shot digest of the same bytes");
    ok(igk_stream_thread_reserve(t, 1, &err) == NULL, "stream: no reservation after finish");
    is_str(err.message, "stream reserved after it was finished", "stream: after-finish message");
    igk_stream_thread_free(t);

    /* A stream shorter than one buffer never starts the worker. */
    t = igk_stream_thread_new(EVP_sha384(), 1 << 16, &err);
    memcpy(igk_stream_thread_reserve(t, 3, &err), "abc", 3);
    igk_stream_thread_commit(t, 3);
    is_int(igk_stream_thread_finish(t, got, &len, &err), 0, "stream: short stream finished");
    sha384("abc", 3, want);
    ok(!memcmp(got, want, 48), "stream: short stream digest");
    igk_stream_thread_free(t);

    /* Freed in the middle of a stream (an error elsewhere): the worker stops. */
    t = igk_stream_thread_new(EVP_sha384(), 4096, &err);
    for (size_t off = 0; off < 64 * 4096; off += 4096) {
        memcpy(igk_stream_thread_reserve(t, 4096, &err), pages + off, 4096);
        igk_stream_thread_commit(t, 4096);
    }
    igk_stream_thread_free(t);
    ok(true, "stream: freed while the worker runs");
    igk_stream_thread_free(NULL);
}

int main(void)
{
    pages = malloc((size_t)PAGES * 4096);
    if (!pages)
        return 1;
    for (size_t i = 0; i < (size_t)PAGES * 4096; i++)
        pages[i] = (uint8_t)(i * 131 + (i >> 12) * 7 + (i >> 9));
    test_pipeline();
    test_read_from();
    test_stream();
    free(pages);
    return tap_done();
}
