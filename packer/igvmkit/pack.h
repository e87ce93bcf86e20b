/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/pack.h> -- lay a guest descriptor out as an IGVM model.
 *
 * igk_pack() reads the input files a struct igk_spec names (firmware,
 * kernel, initrd), builds per-platform directives for every requested
 * platform and returns an IGVM model ready for igk_igvm_write_file() or for
 * measurement.  The result depends only on the spec's values and the input
 * files' bytes: never on paths, time or the machine.
 *
 * Layout (firmware types ovmf and raw; type none is direct Linux boot):
 *   headers     SUPPORTED_PLATFORM sev-snp (mask 0x1), native (0x2), tdx
 *               (0x4), sev-es (0x8), sev (0x10), as requested; GUEST_POLICY
 *               for sev-snp and tdx (QEMU takes the SEV and SEV-ES policy
 *               from its sev-guest object).
 *   firmware    the image (vars || code when vars is given) ends at 4 GiB;
 *               a raw image may be placed at firmware.gpa instead.
 *   sev-snp     every firmware page with its data, then the OVMF SEV
 *               metadata sections in table order (SEC_MEM and SVSM_CAA as
 *               data-less pages, SECRETS and CPUID typed pages, the
 *               kernel-hashes page when a kernel is given), then one VMSA
 *               per vCPU at 0xFFFFFFFFF000.  Measured with the qemu-classic
 *               profile this equals sev-snp-measure for the same firmware,
 *               vCPUs, vCPU type, VMM flavour and guest features.  A raw
 *               image starts every vCPU at 0xFFFFFFF0 (it has no reset block).
 *               With firmware.digest the firmware pages are left out (the
 *               chain starts from the digest, measure options snp_seed); with
 *               sev-snp.svsm the OVMF pages, the SVSM pages below the vars
 *               area, the SVSM's metadata sections and SVSM-entry VMSAs
 *               (with firmware.digest, the OVMF pages are left out there too).
 *   sev-es      every firmware page, the SEV hash-table page when a kernel
 *               is given, one VMSA per vCPU (SEV_FEATURES 0; APs at the
 *               reset block EIP).  Under qemu-classic it equals
 *               sev-snp-measure --mode seves.
 *   sev         the same without VMSAs (sev-snp-measure --mode sev).
 *   tdx         the TDVF sections in metadata order: MR.EXTEND sections
 *               measured, the others added unmeasured, PAGE.AUG sections as
 *               REQUIRED_MEMORY; no VP context.  The MRTD equals the
 *               single-pass MRTD of the image.  A raw image is measured whole.
 *   native      every firmware page; no VP context.
 * A page identical for several platforms is one directive with the combined
 * mask; each platform's own directives keep its measurement order.
 *
 * Errors: IGK_E_IO for unreadable inputs (message prefixed with the role);
 * IGK_E_INVALID naming the file (and byte offset) for a firmware without the
 * footer table or without the metadata a requested platform needs, a lying
 * table, OVMF_CODE.fd alone for tdx (add vars:), a kernel that is not a
 * bzImage (unless kernel-format is any), a kernel for sev-snp without an
 * SNP_KERNEL_HASHES section, a kernel for sev-es or sev without an SEV hash
 * table, sev-es on OVMF without the reset block, an SVSM image that does not
 * fit the 8 MiB flash window, a
 * command line longer than the kernel's cmdline_size or 4095 bytes, initrd or
 * cmdline without a kernel, a raw image not 4 KiB aligned, past 4 GiB or (for
 * sev-snp and tdx) not covering the reset page 0xFFFFF000;
 * IGK_E_UNSUPPORTED for platforms other than sev-snp, tdx, native, sev-es and
 * sev.
 */
#ifndef IGVMKIT_PACK_H
#define IGVMKIT_PACK_H

#include <stdint.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An input file that went into the image (for provenance). */
struct igk_pack_input {
    const char *role; /* "firmware", "vars", "kernel", "initrd", "id-key", ... */
    const char *path; /* as written in the descriptor */
    uint8_t sha256[32];
    uint64_t size;
};

struct igk_pack_result {
    struct igk_igvm *igvm;       /* owned by the result */
    struct igk_pack_input *inputs;
    size_t n_inputs;
    unsigned flags;              /* the IGK_PACK_* flags it was packed with */
};

/* Packs spec into *ret (fields owned by ret; release with igk_pack_result_done()). */
IGK_PUBLIC int igk_pack(const struct igk_spec *spec, struct igk_pack_result *ret,
                        struct igk_error *err);

/*
 * Flags for igk_pack_ex().  IGK_PACK_NO_INPUT_DIGESTS: skip the SHA-256 of
 * every input (inputs[].sha256 stay zero) -- for callers that measure the
 * model and never write provenance; hashing a 1 GiB initrd costs more than
 * measuring it.
 */
#define IGK_PACK_NO_INPUT_DIGESTS 0x1u
/*
 * IGK_PACK_LEAN: the model may come back lean (igk_igvm_is_lean()), its
 * PAGE_DATA headers generated as igk_igvm_next_header() visits them -- for
 * callers that only measure or walk the model ('measure DESC.yaml'): a
 * direct-boot model then costs a few runs of pages instead of one header
 * per 4 KiB.  Such a model cannot be written; layouts other than direct
 * boot return a full model as without the flag.
 */
#define IGK_PACK_LEAN 0x2u

IGK_PUBLIC int igk_pack_ex(const struct igk_spec *spec, unsigned flags,
                           struct igk_pack_result *ret, struct igk_error *err);

IGK_PUBLIC void igk_pack_result_done(struct igk_pack_result *result);

/*
 * Pack-time notes: what the file packed from spec binds per platform, what
 * it does not, and warnings.  Decided from the descriptor alone (the layout
 * rules above), so callers may ask before or after igk_pack().  Kinds:
 *   BINDS      "binds": what the platform's launch measurement (or, for
 *              native, the file) covers: kernel, initrd, command line, vCPUs.
 *   NOT_BOUND  "not-bound": inputs the descriptor gives that do not reach
 *              the file for that platform (ovmf/raw with tdx or native).
 *   WARNING    policy findings of igk_policy_check() ("snp-policy-debug",
 *              ...), at the descriptor's policy value.
 * Order: sev-snp, tdx, native bindings, then warnings.  mark is the
 * descriptor position the note is about (0:0 when defaulted).
 */
enum igk_pack_note_kind {
    IGK_PACK_NOTE_BINDS = 0,
    IGK_PACK_NOTE_NOT_BOUND = 1,
    IGK_PACK_NOTE_WARNING = 2,
};

struct igk_pack_note {
    enum igk_pack_note_kind kind;
    const char *id; /* stable, static storage */
    enum igk_platform_type platform;
    struct igk_spec_mark mark;
    char message[320];
};

#define IGK_PACK_MAX_NOTES 16

struct igk_pack_notes {
    size_t n, n_warnings;
    struct igk_pack_note note[IGK_PACK_MAX_NOTES];
};

IGK_PUBLIC void igk_pack_notes(const struct igk_spec *spec, struct igk_pack_notes *ret);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_PACK_H */
