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

/*
 * One algorithm: folds the platform's events into ret->digest (and fills the
 * algorithm-specific fields of ret: vmsa_count, policy, ID block status).
 * ret->platform, loader, algorithm and digest_len are set by the caller.
 * fn may be NULL (no trace).
 */
typedef int (*igk_measure_algorithm_fn)(const struct igk_igvm *igvm, uint32_t mask,
                                        const struct igk_measure_options *options,
                                        igk_measure_step_fn fn, void *user,
                                        struct igk_measurement *ret, struct igk_error *err);

int igk_measure_snp(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, igk_measure_step_fn fn,
                    void *user, struct igk_measurement *ret, struct igk_error *err);
int igk_measure_tdx(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, igk_measure_step_fn fn,
                    void *user, struct igk_measurement *ret, struct igk_error *err);
int igk_measure_sev_es(const struct igk_igvm *igvm, uint32_t mask,
                       const struct igk_measure_options *options, igk_measure_step_fn fn,
                       void *user, struct igk_measurement *ret, struct igk_error *err);
int igk_measure_vbs(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, igk_measure_step_fn fn,
                    void *user, struct igk_measurement *ret, struct igk_error *err);

/*
 * The last GUEST_POLICY that applies to mask (QEMU uses the last one,
 * igvm-format.md section 9), or NULL.
 */
const struct igk_guest_policy *igk_measure_find_policy(const struct igk_igvm *igvm,
                                                       uint32_t mask);

/*
 * The digest a running hash would give if it ended now (explain's "running"
 * column for the streamed SEV-ES and TDX digests), without disturbing ctx.
 * Returns 0 or IGK_E_INTERNAL.
 */
int igk_measure_digest_so_far(EVP_MD_CTX *ctx, uint8_t *out, unsigned int *ret_len);

/* SHA-384 of a 4 KiB page of zeros (snp-measure.md section 1). */
extern const uint8_t igk_zero_page_sha384[48];

#endif /* IGK_MEASURE_PRIVATE_H */
