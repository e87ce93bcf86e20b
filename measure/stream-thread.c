/* SPDX-License-Identifier: MIT */
/*
 * A digest stream hashed on a second thread (stream-thread.h).
 *
 * A ring of IGK_STREAM_BUFFERS buffers: the caller fills ring[fill], hands
 * it over and moves on to the next free one; the worker hashes the handed
 * over buffers in ring order.  One mutex and one condition variable guard
 * the hand-over; the bytes themselves are touched by one side at a time.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "stream-thread.h"

struct buffer {
    uint8_t *data;
    size_t len;
    bool handed_over; /* owned by the worker until it has hashed it */
};

struct igk_stream_thread {
    EVP_MD_CTX *ctx; /* updated by the worker while one runs, else by the caller */
    size_t size;
    struct buffer ring[IGK_STREAM_BUFFERS];
    unsigned fill;    /* the buffer the caller writes */
    unsigned next;    /* the next buffer the worker hashes */
    unsigned pending; /* buffers handed over and not hashed yet */
    bool started;     /* a worker runs */
    bool no_thread;   /* pthread_create failed once: hash on the caller */
    bool stop;        /* the worker leaves once nothing is pending */
    bool failed;      /* a digest update failed: the stream is dead */
    bool finished;    /* igk_stream_thread_finish() ran */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
};

static void *worker(void *arg)
{
    struct igk_stream_thread *t = arg;

    pthread_mutex_lock(&t->lock);
    for (;;) {
        struct buffer *b;
        bool ok;

        while (!t->pending && !t->stop)
            pthread_cond_wait(&t->changed, &t->lock);
        if (!t->pending)
            break;
        b = &t->ring[t->next];
        pthread_mutex_unlock(&t->lock);
        ok = EVP_DigestUpdate(t->ctx, b->data, b->len) == 1;
        pthread_mutex_lock(&t->lock);
        if (!ok)
            t->failed = true;
        b->len = 0;
        b->handed_over = false;
        t->next = (t->next + 1) % IGK_STREAM_BUFFERS;
        t->pending--;
        pthread_cond_broadcast(&t->changed);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

struct igk_stream_thread *igk_stream_thread_new(const EVP_MD *md, size_t buffer_size,
                                                struct igk_error *err)
{
    struct igk_stream_thread *t = calloc(1, sizeof(*t));

    if (!t) {
        igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        return NULL;
    }
    t->size = buffer_size;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->ctx = EVP_MD_CTX_new();
    for (unsigned i = 0; i < IGK_STREAM_BUFFERS; i++) {
        t->ring[i].data = malloc(buffer_size);
        if (!t->ring[i].data) {
            igk_stream_thread_free(t);
            igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            return NULL;
        }
    }
    if (!t->ctx || EVP_DigestInit_ex(t->ctx, md, NULL) != 1) {
        igk_stream_thread_free(t);
        igk_error_set(err, IGK_E_INTERNAL, "%s is not available",
                      md && EVP_MD_get0_name(md) ? EVP_MD_get0_name(md) : "the digest");
        return NULL;
    }
    return t;
}

static int hash_failed(struct igk_error *err)
{
    return igk_error_set(err, IGK_E_INTERNAL, "stream digest update failed");
}

/* Hashes the caller's buffer on the calling thread (no worker runs). */
static int hash_here(struct igk_stream_thread *t, struct igk_error *err)
{
    struct buffer *b = &t->ring[t->fill];

    if (t->failed)
        return hash_failed(err);
    if (b->len && EVP_DigestUpdate(t->ctx, b->data, b->len) != 1) {
        t->failed = true; /* the context is in an unknown state */
        return hash_failed(err);
    }
    b->len = 0;
    return 0;
}

/* Gives the caller's buffer to the worker (starting it) and waits for a free one. */
static int hand_over(struct igk_stream_thread *t, struct igk_error *err)
{
    bool failed;

    if (!t->started && !t->no_thread) {
        if (pthread_create(&t->thread, NULL, worker, t) == 0)
            t->started = true;
        else
            t->no_thread = true; /* still correct, on one core */
    }
    if (!t->started)
        return hash_here(t, err);
    pthread_mutex_lock(&t->lock);
    t->ring[t->fill].handed_over = true;
    t->pending++;
    pthread_cond_broadcast(&t->changed);
    t->fill = (t->fill + 1) % IGK_STREAM_BUFFERS;
    while (t->ring[t->fill].handed_over)
        pthread_cond_wait(&t->changed, &t->lock);
    failed = t->failed;
    pthread_mutex_unlock(&t->lock);
    return failed ? hash_failed(err) : 0;
}

uint8_t *igk_stream_thread_reserve(struct igk_stream_thread *t, size_t n, struct igk_error *err)
{
    struct buffer *b = &t->ring[t->fill];

    if (t->finished) {
        igk_error_set(err, IGK_E_INTERNAL, "stream reserved after it was finished");
        return NULL;
    }
    if (n > t->size) {
        igk_error_set(err, IGK_E_INTERNAL,
                      "stream reservation of %zu bytes exceeds the %zu-byte buffer", n, t->size);
        return NULL;
    }
    if (b->len + n > t->size) {
        if (hand_over(t, err) < 0)
            return NULL;
        b = &t->ring[t->fill];
    }
    return b->data + b->len;
}

void igk_stream_thread_commit(struct igk_stream_thread *t, size_t n)
{
    t->ring[t->fill].len += n;
}

int igk_stream_thread_drain(struct igk_stream_thread *t, EVP_MD_CTX **ctx, struct igk_error *err)
{
    bool failed;
    int r;

    if (!t->started)
        r = hash_here(t, err);
    else
        r = t->ring[t->fill].len ? hand_over(t, err) : 0;
    if (r < 0)
        return r;
    pthread_mutex_lock(&t->lock);
    while (t->pending)
        pthread_cond_wait(&t->changed, &t->lock);
    failed = t->failed;
    pthread_mutex_unlock(&t->lock);
    if (failed)
        return hash_failed(err);
    *ctx = t->ctx;
    return 0;
}

/* Lets the worker finish what is pending and joins it. */
static void stop_worker(struct igk_stream_thread *t)
{
    if (!t->started)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    t->started = false;
}

int igk_stream_thread_finish(struct igk_stream_thread *t, uint8_t *digest, unsigned int *len,
                             struct igk_error *err)
{
    EVP_MD_CTX *ctx = NULL;
    int r = igk_stream_thread_drain(t, &ctx, err);

    if (r < 0)
        return r;
    stop_worker(t);
    t->finished = true;
    if (EVP_DigestFinal_ex(ctx, digest, len) != 1)
        return igk_error_set(err, IGK_E_INTERNAL, "stream digest failed");
    return 0;
}

void igk_stream_thread_free(struct igk_stream_thread *t)
{
    if (!t)
        return;
    stop_worker(t);
    for (unsigned i = 0; i < IGK_STREAM_BUFFERS; i++)
        free(t->ring[i].data);
    EVP_MD_CTX_free(t->ctx);
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
