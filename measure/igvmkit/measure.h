/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/measure.h> -- launch measurements computed from an IGVM model.
 *
 * STATUS: interface contract written first so that the packer, CLI and
 * verifier code can be built against it; the measure module owns this file
 * and may extend it (never change the meaning of what is here).
 *
 * Measurement is a fold over page events: igk_walk() turns the directives
 * that apply to one platform into an ordered list of events (page type, GPA,
 * contents, directive index); each algorithm (SEV-SNP, TDX, SEV-ES, VBS)
 * folds those events into a digest, and the same events drive the explain
 * trace.  Loader profiles change how events are produced (QEMU measures
 * data-less pages as normal zero pages; a classic QEMU launch measures
 * firmware-declared ones as SNP ZERO pages; the reference crate skips shared
 * pages).
 */
#ifndef IGVMKIT_MEASURE_H
#define IGVMKIT_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#ifdef __cplusplus
extern "C" {
#endif

enum igk_loader {
    IGK_LOADER_QEMU = 0,         /* "qemu" (default)                   */
    IGK_LOADER_QEMU_CLASSIC = 1, /* "qemu-classic" = sev-snp-measure   */
    IGK_LOADER_OPENVMM = 2,      /* "openvmm" = the igvm crate         */
    IGK_LOADER_MAX
};

IGK_PUBLIC const char *igk_loader_name(enum igk_loader loader);
IGK_PUBLIC int igk_loader_from_name(const char *name); /* -1 if unknown */

/* Kinds of page events (the SEV-SNP page types are the most detailed view). */
enum igk_event_kind {
    IGK_EVENT_NORMAL = 1,     /* measured contents (data or a zero page)   */
    IGK_EVENT_VMSA = 2,       /* SNP/SEV-ES VP context page                */
    IGK_EVENT_ZERO = 3,       /* SNP ZERO page (qemu-classic data-less)    */
    IGK_EVENT_UNMEASURED = 4, /* added, contents not measured              */
    IGK_EVENT_SECRETS = 5,
    IGK_EVENT_CPUID = 6,
    IGK_EVENT_SHARED = 7,     /* host visible: not added to private memory */
};

struct igk_page_event {
    enum igk_event_kind kind;
    uint32_t directive_index; /* index in igvm->headers */
    uint64_t gpa;
    const uint8_t *data;      /* 4096 bytes, or NULL for a page of zeros */
    uint32_t data_size;       /* bytes at data (< 4096: zero padded)     */
    uint16_t vp_index;        /* VMSA events                              */
};

struct igk_measure_options {
    enum igk_loader loader;
    unsigned vcpus;       /* 0: as the file says; N: model N vCPUs (SNP) */
    bool ignore_idblock;
};

enum igk_idblock_status {
    IGK_IDBLOCK_ABSENT = 0,
    IGK_IDBLOCK_OK = 1,
    IGK_IDBLOCK_LD_MISMATCH = 2,
    IGK_IDBLOCK_BAD_SIGNATURE = 3,
};

struct igk_measurement {
    enum igk_platform_type platform;
    enum igk_loader loader;
    const char *algorithm; /* "sha384", "sha256" */
    uint8_t digest[64];
    size_t digest_len;     /* 48 (SNP, TDX) or 32 (SEV-ES, VBS) */
    unsigned vmsa_count;   /* VMSAs measured                     */
    unsigned vcpus;        /* vCPUs modelled (SNP)               */
    bool vcpus_replicated; /* --vcpus copied the lowest-index VMSA */
    bool has_policy;
    uint64_t policy;
    /* SNP ID block check (when present for this platform). */
    enum igk_idblock_status idblock;
    bool idblock_ld_match;
    bool idblock_id_sig_ok;
    bool idblock_author_sig_ok;
    bool idblock_author_present;
};

/*
 * Computes one platform's launch measurement.  Returns IGK_E_UNSUPPORTED when
 * the file does not declare the platform or it cannot be measured,
 * IGK_E_INVALID for directives the platform refuses (TDX: duplicate GPA, 2 MiB
 * pages).  An ID block mismatch is reported in *ret, not as an error.
 */
IGK_PUBLIC int igk_measure(const struct igk_igvm *igvm, enum igk_platform_type platform,
                           const struct igk_measure_options *options,
                           struct igk_measurement *ret, struct igk_error *err);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_MEASURE_H */
