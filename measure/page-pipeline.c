/* SPDX-License-Identifier: MIT */
/*
 * Page contents hashed on every core, folded in order (page-pipeline.h).
 *
 * Two windows alternate: the caller adds pages to one while the other,
 * submitted, is hashed.  A submitted window is hashed in claims of CLAIM
 * pages by whichever thread takes them (the caller helps when it has to wait
 * for the window), and folded by the caller once its last claim is done.
 * The mutex guards the window bookkeeping; a claimed page belongs to its
 * hashing thread alone until the claim is reported done.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "measure-private.h"
#include "page-pipeline.h"

#define WINDOW 1024   /* pages: 4 MiB of data, referenced not copied */
#define CLAIM 16      /* pages a thread takes at a time: one lock round per 64 KiB */
#define MAX_THREADS 8 /* a chain step costs 1/16 of a page hash: more would wait on it */

struct window {
    struct igk_hashed_page pages[WINDOW];
    size_t n;          /* pages added */
    size_t claimed;    /* pages taken by a hashing thread */
    size_t done;       /* pages hashed */
    unsigned long seq; /* submission order: older windows are hashed first */
    bool submitted;    /* open for hashing until folded */
};

struct igk_page_pipeline {
    EVP_MD *md;      /* fetched once: an implicit fetch per page takes a lock */
    EVP_MD_CTX *ctx; /* the caller's */
    uint8_t *buf;    /* the caller's claim buffer (CLAIM pages) */
    /* igk_page_pipeline_read_from(): pages inside [base, base + size) are
     * read from fd at their offset from base.  fd -1: none. */
    int fd;
    const uint8_t *base;
    uint64_t size;
    igk_page_fold_fn fold;
    void *user;
    struct window win[2];
    unsigned fill; /* the window the caller adds to */
    unsigned long seq;
    pthread_t threads[MAX_THREADS - 1];
    unsigned n_threads;
    bool threads_tried;
    bool stop;   /* threads leave */
    bool failed; /* a digest failed on some thread */
    int error;   /* the first failure returned: the pipeline is stopped */
    pthread_mutex_t lock;
    pthread_cond_t work;   /* a window was submitted, or stop */
    pthread_cond_t hashed; /* a window's last claim is done */
};

static bool digest_page(EVP_MD_CTX *ctx, const EVP_MD *md, const uint8_t *bytes,
                        uint8_t digest[48])
{
    unsigned int len = 0;

    return EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
           EVP_DigestUpdate(ctx, bytes, IGK_PAGE_SIZE) == 1 &&
           EVP_DigestFinal_ex(ctx, digest, &len) == 1 && len == 48;
}

static bool hash_page(EVP_MD_CTX *ctx, const EVP_MD *md, struct igk_hashed_page *page)
{
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *bytes = page->data;

    if (!page->hash) {
        memset(page->digest, 0, sizeof(page->digest));
        return true;
    }
    if (!bytes) {
        memcpy(page->digest, igk_zero_page_sha384, sizeof(page->digest));
        return true;
    }
    if (page->data_size < IGK_PAGE_SIZE) {
        memset(pad, 0, sizeof(pad));
        memcpy(pad, page->data, page->data_size);
        bytes = pad;
    }
    return digest_page(ctx, md, bytes, page->digest);
}

/* Whether the page is a whole page of the source file, and where. */
static bool in_file(const struct igk_page_pipeline *p, const struct igk_hashed_page *page,
                    uint64_t *offset)
{
    uintptr_t at = (uintptr_t)page->data, base = (uintptr_t)p->base;

    if (p->fd < 0 || !page->hash || !page->data || page->data_size < IGK_PAGE_SIZE ||
        at < base || at - base > p->size - IGK_PAGE_SIZE)
        return false;
    *offset = at - base;
    return true;
}

/* pread() until n bytes are in or it fails. */
static bool read_at(int fd, uint8_t *buf, size_t n, uint64_t offset)
{
    while (n) {
        ssize_t got = pread(fd, buf, n, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        buf += got;
        n -= (size_t)got;
        offset += (uint64_t)got;
    }
    return true;
}

/*
 * Hashes n pages.  A run of pages lying back to back in the source file is
 * read with one pread() into buf (CLAIM pages): on a virtual machine with
 * shadow page tables the first touch of each mapped page costs about as
 * much as a quarter of its SHA-384, a copy into a reused buffer much less
 * (tests/bench).  Anything else, or a failed read, is hashed where it lies.
 */
static bool hash_pages(const struct igk_page_pipeline *p, EVP_MD_CTX *ctx,
                       struct igk_hashed_page *pages, size_t n, uint8_t *buf)
{
    size_t i = 0;
    uint64_t start, next;

    while (i < n) {
        size_t run = 0;
        if (buf && in_file(p, &pages[i], &start)) {
            for (run = 1; i + run < n && in_file(p, &pages[i + run], &next) &&
                          next == start + run * IGK_PAGE_SIZE;
                 run++)
                ;
            if (!read_at(p->fd, buf, run * IGK_PAGE_SIZE, start))
                run = 0;
        }
        for (size_t k = 0; k < run; k++)
            if (!digest_page(ctx, p->md, buf + k * IGK_PAGE_SIZE, pages[i + k].digest))
                return false;
        if (!run && !hash_page(ctx, p->md, &pages[i]))
            return false;
        i += run ? run : 1;
    }
    return true;
}

/*
 * Takes the next claim of w, hashes it with ctx (the lock released
 * meanwhile) and reports it done.  Called and returns with the lock held.
 */
static void hash_claim(struct igk_page_pipeline *p, struct window *w, EVP_MD_CTX *ctx,
                       uint8_t *buf)
{
    size_t from = w->claimed, n = w->n - from < CLAIM ? w->n - from : CLAIM;
    bool ok = ctx != NULL;

    w->claimed += n;
    pthread_mutex_unlock(&p->lock);
    ok = ok && hash_pages(p, ctx, &w->pages[from], n, buf);
    pthread_mutex_lock(&p->lock);
    if (!ok)
        p->failed = true;
    w->done += n;
    if (w->done == w->n)
        pthread_cond_broadcast(&p->hashed);
}

/* The oldest submitted window with pages left to claim, or NULL. */
static struct window *claimable(struct igk_page_pipeline *p)
{
    struct window *best = NULL;

    for (unsigned i = 0; i < 2; i++) {
        struct window *w = &p->win[i];
        if (w->submitted && w->claimed < w->n && (!best || w->seq < best->seq))
            best = w;
    }
    return best;
}

/*
 * The helpers only shorten the wait for a window; the serial work (this
 * chain, or another platform's stream measured at the same time by
 * igk_measure_platforms) must not queue behind them, so they run at a lower
 * priority.  Linux gives each thread its own nice value.
 */
static void lower_priority(void)
{
#if defined(__linux__) && defined(SYS_gettid)
    id_t tid = (id_t)syscall(SYS_gettid);
    int nice;

    errno = 0; /* -1 is a valid nice value */
    nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, tid, nice + 10 > 19 ? 19 : nice + 10);
#endif
}

static void *hashing_thread(void *arg)
{
    struct igk_page_pipeline *p = arg;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    /* Only pages read from a file need it; NULL: hash from memory. */
    uint8_t *buf = p->fd >= 0 ? malloc((size_t)CLAIM * IGK_PAGE_SIZE) : NULL;
    struct window *w;

    lower_priority();
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && !(w = claimable(p)))
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop)
            break;
        hash_claim(p, w, ctx, buf);
    }
    pthread_mutex_unlock(&p->lock);
    EVP_MD_CTX_free(ctx);
    free(buf);
    return NULL;
}

/* The CPUs this process may run on (taskset, cpusets), else the online ones. */
static long usable_cpus(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
#endif
    return sysconf(_SC_NPROCESSORS_ONLN);
}

/* One thread per further usable CPU, up to MAX_THREADS in all. */
static void start_threads(struct igk_page_pipeline *p)
{
    long cpus = usable_cpus();
    unsigned want = cpus > MAX_THREADS ? MAX_THREADS - 1 : cpus > 1 ? (unsigned)cpus - 1 : 0;

    p->threads_tried = true;
    while (p->n_threads < want &&
           pthread_create(&p->threads[p->n_threads], NULL, hashing_thread, p) == 0)
        p->n_threads++;
}

static void submit(struct igk_page_pipeline *p, struct window *w)
{
    /* Only a file with a full window of pages is worth threads. */
    if (!p->threads_tried && w->n == WINDOW)
        start_threads(p);
    pthread_mutex_lock(&p->lock);
    w->claimed = 0;
    w->done = 0;
    w->seq = ++p->seq;
    w->submitted = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

/* Helps hash w, waits for its last claim, then folds its pages in order. */
static int complete(struct igk_page_pipeline *p, struct window *w, struct igk_error *err)
{
    bool failed;

    pthread_mutex_lock(&p->lock);
    while (w->claimed < w->n)
        hash_claim(p, w, p->ctx, p->buf);
    while (w->done < w->n)
        pthread_cond_wait(&p->hashed, &p->lock);
    failed = p->failed;
    pthread_mutex_unlock(&p->lock);
    if (failed)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    for (size_t i = 0; i < w->n; i++) {
        int r = p->fold(&w->pages[i], p->user, err);
        if (r < 0)
            return r;
    }
    pthread_mutex_lock(&p->lock);
    w->submitted = false;
    w->n = 0;
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/*
 * Submits the window being filled, then completes the other one (submitted
 * before it, if any) while the threads start on the new one, and fills that
 * other one next.
 */
static int rotate(struct igk_page_pipeline *p, struct igk_error *err)
{
    struct window *other = &p->win[p->fill ^ 1];

    submit(p, &p->win[p->fill]);
    p->fill ^= 1;
    return other->submitted ? complete(p, other, err) : 0;
}

struct igk_page_pipeline *igk_page_pipeline_new(igk_page_fold_fn fold, void *user,
                                                struct igk_error *err)
{
    struct igk_page_pipeline *p = calloc(1, sizeof(*p));

    if (!p) {
        igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        return NULL;
    }
    p->fold = fold;
    p->user = user;
    p->fd = -1;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->hashed, NULL);
    p->md = EVP_MD_fetch(NULL, "SHA384", NULL);
    p->ctx = EVP_MD_CTX_new();
    if (!p->md || !p->ctx) {
        igk_page_pipeline_free(p);
        igk_error_set(err, IGK_E_INTERNAL, "SHA-384 is not available");
        return NULL;
    }
    return p;
}

void igk_page_pipeline_read_from(struct igk_page_pipeline *p, int fd, const uint8_t *base,
                                 uint64_t size)
{
    if (fd < 0 || !base || size < IGK_PAGE_SIZE)
        return;
    if (!p->buf)
        p->buf = malloc((size_t)CLAIM * IGK_PAGE_SIZE);
    p->fd = p->buf ? fd : -1; /* no buffer: hash from memory */
    p->base = base;
    p->size = size;
}

int igk_page_pipeline_add(struct igk_page_pipeline *p, const struct igk_hashed_page *page,
                          struct igk_error *err)
{
    struct window *w = &p->win[p->fill];

    if (p->error)
        return p->error; /* a window is left half folded: nothing may follow */
    w->pages[w->n++] = *page;
    if (w->n == WINDOW) {
        int r = rotate(p, err);
        if (r < 0)
            p->error = r;
    }
    return p->error;
}

int igk_page_pipeline_flush(struct igk_page_pipeline *p, struct igk_error *err)
{
    struct window *last;
    int r;

    if (p->error)
        return p->error;
    r = p->win[p->fill].n ? rotate(p, err) : 0;
    last = &p->win[p->fill ^ 1];
    if (r >= 0 && last->submitted)
        r = complete(p, last, err);
    if (r < 0)
        p->error = r;
    return r;
}

void igk_page_pipeline_free(struct igk_page_pipeline *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    EVP_MD_CTX_free(p->ctx);
    EVP_MD_free(p->md);
    free(p->buf);
    pthread_cond_destroy(&p->hashed);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
