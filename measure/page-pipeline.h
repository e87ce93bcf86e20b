/* SPDX-License-Identifier: MIT */
/*
 * Page contents hashed on every core, folded in order (internal to measure/).
 *
 * The SEV-SNP launch digest is a chain: page i's PAGE_INFO holds the digest
 * after page i-1, so the chain itself is serial.  But the chain only takes
 * each page's SHA-384 contents digest, and those are independent: 33 of the
 * 35 SHA-512 blocks a page costs.  The pipeline collects pages in windows;
 * all threads (the caller's included) hash a submitted window's pages, and
 * the caller folds the window in page order while the other threads go on
 * hashing the next one.
 *
 * Threads start only when the first window is full, so a small file runs
 * on the calling thread alone, and so does a trace (igk_page_pipeline_flush
 * after every page).  Memory: two windows of page descriptors and a 64 KiB
 * buffer per thread, whatever the file size.  Page bytes are hashed where
 * they lie, or, for pages of a file named by igk_page_pipeline_read_from(),
 * read into the thread's buffer first (short pages are zero padded on the
 * hashing thread's stack).
 */
#ifndef IGK_PAGE_PIPELINE_H
#define IGK_PAGE_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include <igvmkit/error.h>

struct igk_hashed_page {
    const uint8_t *data; /* the page, or NULL for zeros; must outlive the fold */
    uint32_t data_size;  /* < 4096: zero padded to 4096 */
    bool hash;           /* false: digest is all zeros, nothing is hashed */
    uint8_t tag;         /* the caller's (the SNP page type) */
    uint64_t gpa;        /* the caller's */
    uint8_t digest[48];  /* SHA-384 of the 4096-byte page, set before the fold */
};

/* Called on the caller's thread for every page, in the order they were added. */
typedef int (*igk_page_fold_fn)(const struct igk_hashed_page *page, void *user,
                                struct igk_error *err);

struct igk_page_pipeline;

/* A pipeline folding into fold; NULL (err set) if out of memory or SHA-384 is missing. */
struct igk_page_pipeline *igk_page_pipeline_new(igk_page_fold_fn fold, void *user,
                                                struct igk_error *err);

/*
 * Pages whose data lies wholly in [base, base + size), the contents of the
 * open file fd from offset 0, are read with pread() in runs of adjacent
 * pages instead of being touched through base: on virtual machines with
 * shadow page tables the first touch of a mapped page is dear.  Pages a
 * read fails for are hashed from memory.  Call before adding pages.
 */
void igk_page_pipeline_read_from(struct igk_page_pipeline *p, int fd, const uint8_t *base,
                                 uint64_t size);

/*
 * Queues a copy of *page (its digest is ignored).  May hash and fold earlier
 * pages; returns the first negative igk_err of a fold or of hashing.  After
 * a failure the pipeline is stopped: add and flush return that error again
 * and fold nothing.
 */
int igk_page_pipeline_add(struct igk_page_pipeline *p, const struct igk_hashed_page *page,
                          struct igk_error *err);

/* Hashes and folds every page added so far. */
int igk_page_pipeline_flush(struct igk_page_pipeline *p, struct igk_error *err);

/* Stops the threads and frees p.  NULL is ignored. */
void igk_page_pipeline_free(struct igk_page_pipeline *p);

#endif /* IGK_PAGE_PIPELINE_H */
