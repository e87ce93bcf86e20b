/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/measure.h> -- launch measurements computed from an IGVM model.
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
    IGK_EVENT_REGISTER = 8,   /* VBS VP register (data: 32-byte record)    */
};

/* Event flags (struct igk_page_event.event_flags). */
#define IGK_EVENT_F_REPLICATED 0x1u /* VMSA copied for --vcpus (not in the file)   */
#define IGK_EVENT_F_ACCEPT_RW 0x2u  /* VBS: page accepted read/write (ERROR_RANGE) */

struct igk_page_event {
    enum igk_event_kind kind;
    uint32_t directive_index; /* index in igvm->headers */
    uint64_t gpa;
    const uint8_t *data;      /* 4096 bytes, or NULL for a page of zeros */
    uint32_t data_size;       /* bytes at data (< 4096: zero padded)     */
    uint16_t vp_index;        /* VMSA events                              */
    /* Extensions (measure module): where the event came from. */
    uint32_t header_type;     /* directive type (PAGE_DATA, PARAMETER_INSERT, ...) */
    uint32_t page_flags;      /* PAGE_DATA flags as written (IGK_PAGE_FLAG_*)     */
    uint32_t page_index;      /* 4 KiB page within the directive (areas, 2 MiB)   */
    uint32_t event_flags;     /* IGK_EVENT_F_*                                    */
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
    unsigned vmsas_replicated; /* of vmsa_count, copies made for --vcpus */
    uint8_t idblock_ld[48];    /* the LD the ID block declares (when present) */
};

/* Names of event kinds for traces: "normal", "vmsa", "zero", ... */
IGK_PUBLIC const char *igk_event_kind_name(enum igk_event_kind kind);

/*
 * The walker: calls fn for every page event of one platform, in measurement
 * order.  Directives are selected by the measurement rule (igvm-format.md
 * section 3): headers without a mask always, others when
 * (mask & platform_mask) == platform_mask.  What each directive becomes
 * depends on the platform and the loader profile:
 *
 *   PAGE_DATA         SEV-SNP: SECRETS / CPUID by data type, else UNMEASURED
 *                     (flag), else NORMAL; a data-less NORMAL page is ZERO
 *                     under qemu-classic.  SHARED pages: measured as if not
 *                     shared under qemu / qemu-classic (QEMU ignores the
 *                     flag), SHARED events (skipped) under openvmm and always
 *                     for TDX and VBS.  IS_2MB_PAGE: 512 events under the
 *                     qemu profiles (QEMU maps 2 MiB, data in the first 4 KiB),
 *                     one event under openvmm (the crate).  TDX: NORMAL or
 *                     UNMEASURED only; data types play no role.
 *   PARAMETER_INSERT  one UNMEASURED event per 4 KiB of the area.
 *   VP_CONTEXT        SEV-SNP / SEV-ES: a VMSA event at the directive's GPA,
 *                     file order; with options->vcpus, one more VMSA event
 *                     (a copy of the lowest-index VMSA, flag REPLICATED) for
 *                     every vCPU below vcpus that has none, in vp_index
 *                     order, after the file's.  VBS: REGISTER events, after
 *                     every page event (the VBS format measures them last).
 *   ERROR_RANGE       VBS only: UNMEASURED events, flag ACCEPT_RW.
 *
 * fn returns 0 to continue, or a negative error code that stops the walk and
 * is returned.  The event is valid only during the call; its data points
 * into igvm (the model or its file mapping) and lives as long as igvm.
 */
typedef int (*igk_page_event_fn)(const struct igk_page_event *event, void *user,
                                 struct igk_error *err);

IGK_PUBLIC int igk_walk(const struct igk_igvm *igvm, enum igk_platform_type platform,
                        const struct igk_measure_options *options, igk_page_event_fn fn,
                        void *user, struct igk_error *err);

/*
 * Computes one platform's launch measurement.  Returns IGK_E_UNSUPPORTED when
 * the file does not declare the platform or it cannot be measured,
 * IGK_E_INVALID for directives the platform refuses (TDX: duplicate GPA, 2 MiB
 * pages).  An ID block mismatch is reported in *ret, not as an error.
 */
IGK_PUBLIC int igk_measure(const struct igk_igvm *igvm, enum igk_platform_type platform,
                           const struct igk_measure_options *options,
                           struct igk_measurement *ret, struct igk_error *err);

/*
 * igk_measure() for n platforms of one file at once, ret[i] for
 * platforms[i]: each platform is measured on a thread of its own (besides
 * the hashing threads the algorithms use), so a file is read and mapped
 * once and the streams overlap.  On failure returns the error of the first
 * platform, in the order given, that failed; ret is then unspecified.
 */
/*
 * The platforms the file declares that igk_measure() can measure, in
 * platform-header order (what 'measure' and 'export' measure by default):
 * *n of them in ret.  IGK_E_UNSUPPORTED, naming the platforms the file
 * declares, when there is none.
 */
IGK_PUBLIC int igk_measure_declared_platforms(const struct igk_igvm *igvm,
                                              enum igk_platform_type ret[IGK_PLATFORM_MAX],
                                              size_t *n, struct igk_error *err);

IGK_PUBLIC int igk_measure_platforms(const struct igk_igvm *igvm,
                                     const enum igk_platform_type *platforms, size_t n,
                                     const struct igk_measure_options *options,
                                     struct igk_measurement *ret, struct igk_error *err);

/*
 * One step of a measurement trace (igk_measure_trace): the event, the digest
 * of what entered the measurement for it (SEV-SNP: the PAGE_INFO CONTENTS
 * field; TDX: SHA-384 of the 4 KiB extended; SEV-ES / VBS: SHA-256 of the page
 * bytes hashed; contents_len 0 when nothing but the address entered) and the
 * running digest after it (for TDX the stream digest so far).  step is
 * 1-based; events that do not enter the measurement (SHARED pages) are
 * reported with step 0 and the unchanged running digest.
 */
struct igk_measure_step {
    unsigned long step;
    const struct igk_page_event *event;
    uint8_t contents[64];
    size_t contents_len;
    uint8_t running[64];
    size_t running_len;
};

typedef int (*igk_measure_step_fn)(const struct igk_measure_step *step, void *user,
                                   struct igk_error *err);

/*
 * Same as igk_measure(), calling fn after every step.  The result in *ret is
 * the same as igk_measure()'s (tracing is slower: no parallel hashing).
 */
IGK_PUBLIC int igk_measure_trace(const struct igk_igvm *igvm, enum igk_platform_type platform,
                                 const struct igk_measure_options *options,
                                 igk_measure_step_fn fn, void *user,
                                 struct igk_measurement *ret, struct igk_error *err);

/* Whether igk_measure() can compute a digest for this platform type. */
IGK_PUBLIC bool igk_measure_supports(enum igk_platform_type platform);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_MEASURE_H */
