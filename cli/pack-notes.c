/* SPDX-License-Identifier: MIT */
/*
 * Printing pack-time notes (igk_pack_notes()) and, with --check-loader, the
 * lint findings of the packed model, to a stream the caller chooses (pack
 * holds them until its outputs are published, then prints them on stderr so
 * that stdout keeps only what --measure prints).  One line each:
 *   igvmkit: note: DESCRIPTOR:LINE:COL: PLATFORM: message
 *   igvmkit: warning: DESCRIPTOR:LINE:COL: PLATFORM: message [rule]
 *   igvmkit: warning: LOADER: header #N: message [rule]
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/lint.h>
#include <igvmkit/pack.h>

#include "pack-notes.h"

static void print_note(FILE *out, const char *descriptor, const struct igk_pack_note *n)
{
    const char *label = n->kind == IGK_PACK_NOTE_WARNING ? "warning" : "note";

    fprintf(out, "igvmkit: %s: ", label);
    if (n->mark.line)
        fprintf(out, "%s:%u:%u: ", descriptor, n->mark.line, n->mark.column);
    else
        fprintf(out, "%s: ", descriptor);
    fprintf(out, "%s: %s", igk_platform_name(n->platform), n->message);
    if (n->kind == IGK_PACK_NOTE_WARNING)
        fprintf(out, " [%s]", n->id);
    fputc('\n', out);
}

size_t cli_print_pack_notes(FILE *out, const char *descriptor, const struct igk_pack_notes *notes,
                            bool quiet)
{
    for (size_t i = 0; i < notes->n; i++)
        if (!quiet || notes->note[i].kind == IGK_PACK_NOTE_WARNING)
            print_note(out, descriptor, &notes->note[i]);
    return notes->n_warnings;
}

/* Whether the notes already carry this rule (policy checks run in both). */
static bool noted(const struct igk_pack_notes *notes, const char *rule)
{
    for (size_t i = 0; i < notes->n; i++)
        if (notes->note[i].kind == IGK_PACK_NOTE_WARNING && !strcmp(notes->note[i].id, rule))
            return true;
    return false;
}

size_t cli_print_loader_findings(FILE *out, const struct igk_lint_report *report,
                                 const struct igk_pack_notes *notes)
{
    const char *loader = igk_lint_loader_name(report->loader);
    size_t n = 0;

    for (size_t i = 0; i < report->n_findings; i++) {
        const struct igk_lint_finding *f = &report->findings[i];

        if (noted(notes, f->rule))
            continue;
        n++;
        if (f->header_index == IGK_NO_INDEX)
            fprintf(out, "igvmkit: warning: %s: %s [%s]\n", loader, f->message, f->rule);
        else
            fprintf(out, "igvmkit: warning: %s: header #%u: %s [%s]\n", loader,
                    f->header_index, f->message, f->rule);
    }
    return n;
}
