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
 *
 * TDX page order (MRTD): the TDX module hashes TDH.MEM.PAGE.ADD and
 * TDH.MR.EXTEND records in the order the host issues them, so the same
 * pages give another MRTD in another order.
 *   "qemu", "qemu-classic", "openvmm": single pass -- each page is added and
 *     at once extended (upstream KVM, Linux 6.16 and later, whose
 *     KVM_TDX_INIT_MEM_REGION adds and extends page by page; QEMU 9.x and
 *     later; the igvm crate);
 *   "qemu-8": two passes per region -- every page of a region is added,
 *     then its measured pages are extended (the TDX QEMU 8.x / KVM patch
 *     sets that predate upstream TDX support, as on Ubuntu 24.04's and
 *     CentOS Stream's TDX stacks; dstack-mr's two_pass_add_pages, its
 *     default for QEMU 8.x).  QEMU hands KVM one region per TDVF section;
 *     an IGVM file keeps no section boundaries, so a region here is a run
 *     of pages at consecutive GPAs that are all measured or all unmeasured
 *     (a TDVF section, for the images igvmkit packs from OVMF).  For every
 *     other platform "qemu-8" is the same as "qemu".
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
    IGK_LOADER_QEMU8 = 3,        /* "qemu-8": TDX two-pass page order  */
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
#define IGK_EVENT_F_FEATURES 0x4u   /* VMSA: SEV_FEATURES set by options->sev_features;
                                     * data is a patched copy, valid during the call */

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
    /*
     * SEV-SNP only: the 48-byte launch digest the chain starts from instead
     * of zeros (NULL = zeros).  A firmware digest published for a cloud's
     * firmware (sev-snp-measure --snp-ovmf-hash) is the chain after the
     * firmware pages; a file laid out without those pages then measures
     * like the full launch.
     */
    const uint8_t *snp_seed;
    /*
     * Progress for a caller's progress line (NULL: none): progress(done,
     * total, progress_user) with the bytes of page data (PAGE_DATA contents
     * in the file) the walk has handed to hashing and their total.  Called
     * about every 4 MiB and once at the end of each walk that succeeds;
     * igk_measure_platforms() adds up its platforms (total: all of them)
     * and serialises the calls with a lock, so the function is never run
     * by two threads at once, though it may run on any of the library's
     * threads.  Only the totals are counted ahead (one pass over the
     * headers), so leaving it NULL costs nothing.
     */
    igk_progress_fn progress;
    void *progress_user;
    /*
     * SEV-SNP and SEV-ES: when set_sev_features, every VMSA measured (the
     * file's and the copies --vcpus makes) carries sev_features in its
     * SEV_FEATURES field (offset 0x3B0, docs/firmware.md section 6) instead
     * of the file's value: the VMSA page is hashed whole, so the guest
     * features the host launches with are part of the digest.  The walker
     * emits a patched copy (IGK_EVENT_F_FEATURES); the file is not changed.
     */
    bool set_sev_features;
    uint64_t sev_features;
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
    /*
     * SEV-SNP: the launch digest after the firmware pages.  Set when the
     * chain started from options->snp_seed; callers that know the firmware
     * (export of a descriptor) may fill it in.
     */
    bool has_firmware_digest;
    uint8_t firmware_digest[48];
};

/* Names of event kinds for traces: "normal", "vmsa", "zero", ... */
IGK_PUBLIC const char *igk_event_kind_name(enum igk_event_kind kind);

/*
 * The walker: calls fn for every page event of one platform, in measurement
 * order.  Directives are selected by the measurement rule (docs/igvm-format.md
 * section 4.2): headers without a mask always, others when
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
 *                     order, after the file's.  With options->set_sev_features
 *                     each VMSA event carries a copy with SEV_FEATURES set
 *                     (IGK_EVENT_F_FEATURES).  VBS: REGISTER events, after
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
    /* TDX: what the host did at this step: "PAGE.ADD", "PAGE.ADD+MR.EXTEND"
     * (single pass) or "MR.EXTEND" (second pass of "qemu-8"); else NULL. */
    const char *tdx_op;
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

/*
 * Whether options->vcpus (0: the file's own) is a launch the file allows for
 * platform: for SEV-SNP, SEV-ES and SEV a count below the number of VMSAs (VP
 * contexts) the file has for the platform is IGK_E_USAGE, since every VMSA is
 * launched.  igk_measure() and igk_measure_trace() check it themselves; this
 * lets a caller check before it prints anything.  Returns 0 or IGK_E_USAGE.
 */
IGK_PUBLIC int igk_measure_check_vcpus(const struct igk_igvm *igvm, enum igk_platform_type platform,
                                       unsigned vcpus, struct igk_error *err);

/*
 * The mismatch assistant: which launch of the file gives the expected digest.
 * Tries the file's own vCPUs under every loader profile (first, then the
 * others in enum order), then -- for platforms with VMSAs (SEV-SNP, SEV-ES)
 * -- every vCPU count from one more than the file's VMSAs up to max_vcpus
 * (at most IGK_VARIANT_MAX_VCPUS) under every profile.  With each vCPU
 * count, VMSA platforms also try the guest features (SEV_FEATURES) hosts
 * launch with besides the file's own value (options->sev_features):
 *   SEV-SNP  0x1  (SNPActive alone, the descriptor default) and 0x21 (plus
 *            DebugSwap, bit 5: KVM's SVM_SEV_FEAT_DEBUG_SWAP in
 *            arch/x86/include/asm/svm.h, which some host kernels turn on
 *            by default, depending on the version and on how QEMU creates
 *            the guest);
 *   SEV-ES   0x0 and 0x20 (DebugSwap alone) for the same reason;
 * a value every VMSA of the file already has is not tried twice.  ID blocks
 * are not checked.  Each try is a full measurement: the cost is up to
 * profiles * 3 * (1 + max_vcpus - the file's VMSAs) measurements (SEV-SNP
 * with three profiles and 64 vCPUs: at most 576).
 * Returns 1 with ret->found, ret->loader, ret->vcpus (0: as the file says)
 * and ret->sev_features_changed / ret->sev_features when a combination
 * gives expected, 0 when none does (ret->tried says how many were measured,
 * ret->features what guest features were tried), or a negative error of
 * igk_measure().
 */
#define IGK_VARIANT_MAX_VCPUS 512u

struct igk_measure_variant {
    bool found;
    enum igk_loader loader;
    unsigned vcpus;        /* 0: the file's own VMSAs */
    unsigned long tried;   /* measurements made        */
    char profiles[64];     /* the profiles tried, "qemu, qemu-classic, openvmm" */
    /* Guest features: the value found when sev_features_changed (false: the
     * file's own VMSA bytes gave it). */
    bool sev_features_changed;
    uint64_t sev_features;
    char features[64];     /* the values tried besides the file's, "0x1, 0x21"; "" if none */
};

IGK_PUBLIC int igk_measure_find_variant(const struct igk_igvm *igvm,
                                        enum igk_platform_type platform,
                                        enum igk_loader first, const uint8_t *expected,
                                        size_t expected_len, unsigned max_vcpus,
                                        struct igk_measure_variant *ret, struct igk_error *err);

/* Whether igk_measure() can compute a digest for this platform type. */
IGK_PUBLIC bool igk_measure_supports(enum igk_platform_type platform);

/*
 * TDX RTMR1 / RTMR2 prediction for an OVMF (TDVF) direct
 * kernel boot: QEMU started with -bios OVMF.fd -kernel K [-initrd I]
 * [-append C] (docs/measure-tdx.md).
 *
 * The firmware extends run-time measurement registers while it boots the
 * kernel; each RTMR starts as 48 zero bytes and every event folds in as
 *     RTMR = SHA-384(RTMR || event digest)          (TDG.MR.RTMR.EXTEND)
 *
 * RTMR1 (PCR 2..6 mapped by TDVF), five events:
 *   1. the Authenticode SHA-384 of the kernel image *as QEMU hands it to the
 *      firmware*: QEMU patches the Linux setup header for a direct boot
 *      (type_of_loader, loadflags CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr
 *      and, with an initrd, ramdisk_image / ramdisk_size).  ramdisk_image
 *      depends on the initrd size and on the guest memory size through the
 *      below-4 GiB RAM size of the q35 machine, so RTMR1 does too (memory
 *      below 0xB0000000 except exactly 2 GiB gives a different value; 2 GiB
 *      and every size from 0xB0000000 up give the same one);
 *   2. "Calling EFI Application from Boot Option"   (EV_EFI_ACTION)
 *   3. the separator, 4 zero bytes                  (EV_SEPARATOR)
 *   4. "Exit Boot Services Invocation"              (EV_EFI_ACTION)
 *   5. "Exit Boot Services Returned with Success"   (EV_EFI_ACTION)
 * RTMR2 (PCR 8..15), up to two events:
 *   1. the kernel command line as the firmware passes it to the kernel
 *      (LOADED_IMAGE::LoadOptions): UTF-16LE plus a UTF-16 NUL.  QEMU/OVMF
 *      append " initrd=initrd" to the user's command line whenever an initrd
 *      is given, and that suffixed string is what is measured; this function
 *      appends it itself, so pass the command line as given to -append.  An
 *      empty measured command line (no -append, no initrd) is not measured.
 *   2. SHA-384 of the initrd file, when there is one.
 * RTMR0 (firmware configuration, ACPI tables) and RTMR3 (left to the guest)
 * are not predicted.  The vCPU count enters neither register.
 */


#define IGK_RTMR_DIGEST_LEN 48
#define IGK_RTMR_MAX_EVENTS 8

/* The ACPI data size QEMU reserves below 4 GiB (pc/q35 machines since 2.x). */
#define IGK_TDX_ACPI_DATA_SIZE 0x28000u

struct igk_rtmr_event {
    const char *description; /* static text naming the event, e.g. "kernel (Authenticode)" */
    uint8_t digest[IGK_RTMR_DIGEST_LEN];
};

struct igk_rtmr_log {
    uint8_t value[IGK_RTMR_DIGEST_LEN]; /* the register after all events */
    unsigned n_events;
    struct igk_rtmr_event events[IGK_RTMR_MAX_EVENTS];
};

struct igk_rtmr_prediction {
    struct igk_rtmr_log rtmr1;
    struct igk_rtmr_log rtmr2;
    uint64_t memory;         /* guest memory size the prediction is for        */
    uint32_t initrd_address; /* ramdisk_image QEMU writes (0 without an initrd) */
    uint32_t boot_protocol;  /* Linux boot protocol version of the kernel       */
};

/*
 * Predicts RTMR1 and RTMR2 with their event logs.
 *   kernel/kernel_len: the bzImage file (an EFI-stub PE/COFF image);
 *   initrd/initrd_len: the initrd file, or NULL/0 for none;
 *   cmdline:           the command line given to QEMU's -append (NULL = none);
 *   memory:            guest RAM size in bytes (QEMU -m).
 * Returns 0; IGK_E_INVALID when the kernel is not a Linux bzImage with a
 * valid PE/COFF layout, is too old to take an initrd, the initrd does not
 * fit below the memory limit, or the command line is not 7-bit ASCII (OVMF
 * widens it byte by byte, so other text has no defined measurement);
 * IGK_E_USAGE for a zero memory size.
 */
IGK_PUBLIC int igk_tdx_predict_rtmr(const uint8_t *kernel, size_t kernel_len,
                                    const uint8_t *initrd, size_t initrd_len,
                                    const char *cmdline, uint64_t memory,
                                    struct igk_rtmr_prediction *ret, struct igk_error *err);

/*
 * igk_tdx_predict_rtmr() with the initrd read from initrd_fd (initrd_len
 * bytes from offset 0, pread() in 1 MiB pieces) instead of from memory: no
 * mapping to fault in, and a file that shrinks meanwhile is IGK_E_IO
 * ("changed while being read", naming initrd_name) rather than SIGBUS.
 * initrd_fd -1: no initrd.
 */
IGK_PUBLIC int igk_tdx_predict_rtmr_fd(const uint8_t *kernel, size_t kernel_len, int initrd_fd,
                                       uint64_t initrd_len, const char *initrd_name,
                                       const char *cmdline, uint64_t memory,
                                       struct igk_rtmr_prediction *ret, struct igk_error *err);

/*
 * The checks of igk_tdx_predict_rtmr(), same errors, without the hashing:
 * for a packer that refuses what the prediction would refuse.  The initrd's
 * bytes cannot make the prediction fail, only its size, so only that is
 * given.
 */
IGK_PUBLIC int igk_tdx_check_rtmr_inputs(const uint8_t *kernel, size_t kernel_len,
                                         size_t initrd_len, const char *cmdline, uint64_t memory,
                                         struct igk_error *err);

/*
 * The command line as TDVF measures it: cmdline plus " initrd=initrd" when
 * has_initrd.  Returns a malloc()ed string, or NULL when out of memory.
 */
IGK_PUBLIC char *igk_tdx_measured_cmdline(const char *cmdline, int has_initrd);


#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_MEASURE_H */
