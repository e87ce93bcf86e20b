/* SPDX-License-Identifier: MIT */
/*
 * A digest stream hashed on a second thread (internal to measure/).
 *
 * A stream digest such as the TDX MRTD is one hash over bytes that are laid
 * out first (records interleaved with page data copied from the file).  One
 * hash cannot be split, but the layout can run beside it: the caller fills
 * buffers, a worker thread feeds them to the digest in the order they were
 * filled.  The worker is started only when the first buffer is full, so a
 * small stream costs no thread; a stream that never fills a buffer is
 * hashed on the calling thread by igk_stream_thread_finish().
 *
 * Memory: IGK_STREAM_BUFFERS buffers of the size given at creation, whatever
 * the length of the stream.
 *
 *     struct igk_stream_thread *t = igk_stream_thread_new(EVP_sha384(), 1 << 18, err);
 *     uint8_t *p = igk_stream_thread_reserve(t, n, err);   // room for n bytes
 *     ... write n bytes at p ...
 *     igk_stream_thread_commit(t, n);
 *     igk_stream_thread_finish(t, digest, &len, err);
 *     igk_stream_thread_free(t);
 */
#ifndef IGK_STREAM_THREAD_H
#define IGK_STREAM_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <igvmkit/error.h>

#define IGK_STREAM_BUFFERS 4

struct igk_stream_thread;

/* A stream of md with buffers of buffer_size bytes; NULL (err set) if out of memory. */
struct igk_stream_thread *igk_stream_thread_new(const EVP_MD *md, size_t buffer_size,
                                                struct igk_error *err);

/*
 * Room for n more bytes (n <= buffer_size), contiguous: hands the buffer
 * being filled to the worker when it has less room, and waits for a free
 * one (a worker that cannot start leaves the hashing to the calling thread).
 * NULL with err set when n is too large, hashing failed (then every later
 * call fails too) or the stream was finished.
 */
uint8_t *igk_stream_thread_reserve(struct igk_stream_thread *t, size_t n, struct igk_error *err);

/* The n bytes written at the last reservation belong to the stream. */
void igk_stream_thread_commit(struct igk_stream_thread *t, size_t n);

/*
 * Hashes what is left, stops the worker and writes the digest
 * (EVP_MAX_MD_SIZE bytes of room) and its length.  Call once.
 */
int igk_stream_thread_finish(struct igk_stream_thread *t, uint8_t *digest, unsigned int *len,
                             struct igk_error *err);

/*
 * Waits until every committed byte is hashed (hashing them on the calling
 * thread when no worker runs) and sets *ctx to the digest context, which
 * the caller may copy to read the running value (the explain trace) but
 * must not update.  A negative igk_err if hashing failed.
 */
int igk_stream_thread_drain(struct igk_stream_thread *t, EVP_MD_CTX **ctx, struct igk_error *err);

/* Stops the worker (whatever state it is in) and frees t.  NULL is ignored. */
void igk_stream_thread_free(struct igk_stream_thread *t);

#endif /* IGK_STREAM_THREAD_H */
