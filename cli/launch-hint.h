/* SPDX-License-Identifier: MIT */
/*
 * Launch command lines in the CLI (cli/launch-hint.c): what `igvmkit launch`
 * prints, shared with `measure` and `pack --measure`, which show the QEMU
 * command for each measured platform (<igvmkit/lint.h> igk_launch_command).
 */
#ifndef IGK_CLI_LAUNCH_HINT_H
#define IGK_CLI_LAUNCH_HINT_H

#include <stdio.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/export.h>
#include <igvmkit/igvm.h>
#include <igvmkit/lint.h>
#include <igvmkit/measure.h>

struct igk_json;

/* A descriptor's name with .igvm for .yaml/.yml (malloc()ed; NULL on ENOMEM). */
char *cli_launch_igvm_name_for(const char *descriptor);

/* What a descriptor says beyond the file: sizes, vCPUs and the files bound by hashes. */
void cli_launch_inputs_from_spec(const struct igk_spec *spec, struct igk_launch_inputs *in);

/* One option and its value per line, continued with a backslash; then the notes. */
void cli_launch_print_text(FILE *out, const struct igk_launch_command *c);

/* {"loader", "platform", "from_igvm", "argv", "notes"} */
void cli_launch_json(struct igk_json *j, const struct igk_launch_command *c);

/* The QEMU commands for the measured platforms QEMU launches (sev-snp, tdx). */
struct cli_launch_set {
    struct igk_launch_command cmds[IGK_PLATFORM_MAX];
    size_t n;
};

/*
 * Fills set for a measurement under `loader`: nothing unless the loader
 * profile is QEMU's own (qemu; qemu-8 for TDX), since the others describe
 * other launches.  input: the file or descriptor measured; igvm_path: the
 * file name to print (NULL: input, or input with .igvm for a descriptor).
 * Platforms QEMU cannot launch are skipped.  Errors: reading the descriptor.
 */
int cli_launch_for_measure(const struct igk_igvm *igvm, const char *input, const char *igvm_path,
                           enum igk_loader loader, const enum igk_platform_type *platforms,
                           size_t n, struct cli_launch_set *set, struct igk_error *err);
void cli_launch_set_done(struct cli_launch_set *set);

/* The text section after a measurement report (nothing for an empty set). */
void cli_launch_print_section(FILE *out, const struct cli_launch_set *set);

/* Copies the set into an export document's "launch" (pointers into set). */
void cli_launch_to_export(const struct cli_launch_set *set, struct igk_export_input *in);

#endif /* IGK_CLI_LAUNCH_HINT_H */
