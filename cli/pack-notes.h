/* SPDX-License-Identifier: MIT */
/* Printing pack-time notes and loader findings (see pack-notes.c). */
#ifndef IGK_CLI_PACK_NOTES_H
#define IGK_CLI_PACK_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <igvmkit/lint.h>
#include <igvmkit/pack.h>

/* Prints every note (only warnings when quiet); returns the number of warnings. */
size_t cli_print_pack_notes(FILE *out, const char *descriptor, const struct igk_pack_notes *notes,
                            bool quiet);

/*
 * Prints every lint finding as a warning naming the loader, except rules the
 * notes already warned about; returns the number printed.
 */
size_t cli_print_loader_findings(FILE *out, const struct igk_lint_report *report,
                                 const struct igk_pack_notes *notes);

#endif /* IGK_CLI_PACK_NOTES_H */
