/* SPDX-License-Identifier: MIT */
/*
 * Internal interface between the walker, the per-platform algorithms and
 * igk_measure() (measure/measure.c).  Not installed.
 */
#ifndef IGK_MEASURE_PRIVATE_H
#define IGK_MEASURE_PRIVATE_H

#include <openssl/evp.h>

#include <igvmkit/measure.h>

/* igk_walk() with the platform mask already looked up. */
int igk_walk_mask(const struct igk_igvm *igvm, enum igk_platform_type platform, uint32_t mask,
                  const struct igk_measure_options *options, igk_page_event_fn fn, void *user,
                  struct igk_error *err);

/* The bytes of PAGE_DATA contents that apply to mask (the walk's progress total). */
uint64_t igk_walk_page_bytes(const struct igk_igvm *igvm, uint32_t mask);

/*
 * How a measurement runs (flags of an algorithm): another platform walks
 * the same file at the same time (igk_measure_platforms), so it touches
 * every mapped page anyway and SEV-SNP hashes pages where they lie instead
 * of reading them again (page-pipeline.h).
 */
#define IGK_MEASURE_SHARED_FILE 0x1u

/*
 * One algorithm: folds the platform's events into ret->digest (and fills the
 * algorithm-specific fields of ret: vmsa_count, policy, ID block status).
 * ret->platform, loader, algorithm and digest_len are set by the caller.
 * fn may be NULL (no trace).  flags: IGK_MEASURE_*.
 */
typedef int (*igk_measure_algorithm_fn)(const struct igk_igvm *igvm, uint32_t mask,
                                        const struct igk_measure_options *options,
                                        unsigned flags, igk_measure_step_fn fn, void *user,
                                        struct igk_measurement *ret, struct igk_error *err);

int igk_measure_snp(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err);
int igk_measure_tdx(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err);
int igk_measure_sev_es(const struct igk_igvm *igvm, uint32_t mask,
                       const struct igk_measure_options *options, unsigned flags,
                       igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                       struct igk_error *err);
int igk_measure_sev(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err);
int igk_measure_vbs(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err);

/*
 * The last GUEST_POLICY that applies to mask (QEMU uses the last one,
 * docs/loaders.md section 1), or NULL.
 */
const struct igk_guest_policy *igk_measure_find_policy(const struct igk_igvm *igvm,
                                                       uint32_t mask);

/*
 * Completes a trace step of a streamed digest (SEV-ES, TDX) and hands it to
 * fn: the page's digest in the stream's algorithm (when page is not NULL)
 * and the value the running hash would give if it ended now, without
 * disturbing ctx; len is the number of bytes of page that were hashed (4096
 * but for the SEV hash table of a classic launch).  Returns fn's result, or
 * IGK_E_INTERNAL.
 */
int igk_measure_stream_step(struct igk_measure_step *step, EVP_MD_CTX *ctx,
                            const uint8_t *page, size_t len, igk_measure_step_fn fn, void *user,
                            struct igk_error *err);

/* SHA-384 of a 4 KiB page of zeros (docs/measure-snp.md section 1). */
extern const uint8_t igk_zero_page_sha384[48];

#endif /* IGK_MEASURE_PRIVATE_H */
