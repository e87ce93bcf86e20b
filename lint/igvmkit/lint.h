/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/lint.h> -- loader lint: checks an IGVM model against what one loader
 * accepts -- QEMU (backends/igvm.c, docs/loaders.md section 1), cloud-
 * hypervisor (vmm/src/igvm, docs/loaders.md 2) and OpenVMM (docs/loaders.md
 * 3) -- so that an operator learns before launch why a file will not
 * boot, or will boot with a different measurement than expected.
 *
 * Each finding carries a severity, the index of the header it concerns
 * (IGK_NO_INDEX for the whole file), a stable rule id ("qemu-vmsa-gpa")
 * and a message.  Errors mean the loader refuses the file or measures
 * something else than the file says; warnings mean a feature is ignored,
 * partial, or version dependent.
 */
#ifndef IGVMKIT_LINT_H
#define IGVMKIT_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#ifdef __cplusplus
extern "C" {
#endif

enum igk_lint_loader {
    IGK_LINT_QEMU = 0,
    IGK_LINT_CLOUD_HYPERVISOR = 1,
    IGK_LINT_OPENVMM = 2,
    IGK_LINT_LOADER_MAX
};

enum igk_lint_severity {
    IGK_LINT_WARNING = 0,
    IGK_LINT_ERROR = 1,
};

struct igk_lint_finding {
    enum igk_lint_severity severity;
    uint32_t header_index; /* IGK_NO_INDEX: the file as a whole */
    const char *rule;      /* stable id, static storage          */
    char message[320];
};

struct igk_lint_report {
    enum igk_lint_loader loader;
    struct igk_lint_finding *findings; /* in header order, file-wide first */
    size_t n_findings, cap;
    size_t n_errors, n_warnings;
    bool failed; /* allocation failure while adding */
};

/* "qemu", "cloud-hypervisor", "openvmm"; -1 for unknown names. */
IGK_PUBLIC int igk_lint_loader_from_name(const char *name);
IGK_PUBLIC const char *igk_lint_loader_name(enum igk_lint_loader loader);
IGK_PUBLIC const char *igk_lint_severity_name(enum igk_lint_severity severity);

/* Runs every rule of one loader.  Returns 0 (findings in *ret), or
 * IGK_E_INTERNAL on allocation failure.  Free with igk_lint_report_done(). */
IGK_PUBLIC int igk_lint(const struct igk_igvm *igvm, enum igk_lint_loader loader,
             struct igk_lint_report *ret, struct igk_error *err);
IGK_PUBLIC void igk_lint_report_done(struct igk_lint_report *report);

/* Whether the report holds a finding of this rule (at any header, or at index). */
IGK_PUBLIC bool igk_lint_has(const struct igk_lint_report *report, const char *rule, uint32_t index);

/* ---- launch commands ----
 *
 * The command line that makes a loader load one platform of a file the way
 * igvmkit measures it: QEMU 10 or later (igvm-cfg object; SEV-SNP with a
 * sev-snp-guest object whose policy is the file's, -smp equal to the number
 * of VMSAs, -cpu the model whose signature the VMSAs carry; native; TDX,
 * which QEMU does not load from IGVM, as the -bios launch of the firmware the
 * file was packed from) and cloud-hypervisor (SEV-SNP only).  Notes say what
 * the command cannot tell: sizes that must not change, files that must be
 * exactly the packed ones, host-specific values.
 */

/* What the file alone cannot say; every field is optional except igvm_path. */
struct igk_launch_inputs {
    const char *igvm_path;     /* printed as the file to load                      */
    uint64_t memory;           /* guest RAM in bytes; 0: 2 GiB or what the pages need */
    bool memory_exact;         /* the file's memory map was laid out for this size */
    unsigned vcpus;            /* vCPUs where the file has no VMSAs; 0 = 1         */
    const char *firmware_path; /* firmware for launches without IGVM (TDX on QEMU) */
    const char *kernel_path;   /* -kernel/-initrd/-append, when the file binds them */
    const char *initrd_path;
    const char *cmdline;
};

#define IGK_LAUNCH_MAX_ARGS 48
#define IGK_LAUNCH_MAX_NOTES 8

struct igk_launch_command {
    enum igk_lint_loader loader;
    enum igk_platform_type platform;
    bool from_igvm;                    /* false: the loader does not read the file (TDX on QEMU) */
    size_t argc;
    char *argv[IGK_LAUNCH_MAX_ARGS];   /* argv[0] is the program; owned, freed by _done */
    size_t n_notes;
    char notes[IGK_LAUNCH_MAX_NOTES][240];
};

/*
 * Builds the command for one loader (IGK_LINT_QEMU or IGK_LINT_CLOUD_HYPERVISOR)
 * and platform; the model may be read lean.  Returns 0;
 * IGK_E_UNSUPPORTED when the file declares no such platform or igvmkit knows
 * no launch of it by that loader; IGK_E_USAGE without igvm_path.  Release
 * with igk_launch_command_done() (also after a failure).
 */
IGK_PUBLIC int igk_launch_command(const struct igk_igvm *igvm, enum igk_lint_loader loader,
                                  enum igk_platform_type platform,
                                  const struct igk_launch_inputs *in,
                                  struct igk_launch_command *ret, struct igk_error *err);
IGK_PUBLIC void igk_launch_command_done(struct igk_launch_command *cmd);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_LINT_H */
