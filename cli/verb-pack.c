/* SPDX-License-Identifier: MIT */
/*
 * igvmkit pack DESCRIPTOR -o OUT.igvm [--measure [--json|--bare] [--loader L]]
 *                                     [--provenance OUT.json] [--check-loader L]
 *                                     [--strict] [--quiet]
 *
 * Loads and validates the descriptor, packs it, validates the model and
 * writes it atomically.  Nothing is written unless everything succeeded:
 * the image and the provenance statement are one output set
 * (file-output.h), published together or not at all.
 * The image is streamed into the set (igk_igvm_write_fd_info()), so memory
 * does not grow with the page data.  --measure measures the file as
 * written, so its output equals 'igvmkit measure OUT.igvm'.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/igvm.h>
#include <igvmkit/lint.h>
#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

#include "cli.h"
#include "file-output.h"
#include "held-input.h"
#include "load-model.h"
#include "measure-report.h"
#include "options.h"
#include "pack-notes.h"
#include "progress.h"
#include "provenance.h"
#include "util.h"

enum {
    OPT_OUTPUT = 1,
    OPT_PROVENANCE,
    OPT_MEASURE,
    OPT_JSON,
    OPT_BARE,
    OPT_LOADER,
    OPT_CHECK_LOADER,
    OPT_STRICT,
    OPT_QUIET,
};

static const struct cli_option options[] = {
    {"output", 'o', "FILE", 0, OPT_OUTPUT,
     "the IGVM file to write (atomically); - for standard output"},
    {"provenance", 0, "FILE", 0, OPT_PROVENANCE,
     "also write an in-toto / SLSA v1 provenance statement"},
    {"measure", 0, NULL, 0, OPT_MEASURE, "print the launch measurements of the written file"},
    {"json", 'j', NULL, 0, OPT_JSON, "with --measure: one JSON document"},
    {"bare", 0, NULL, 0, OPT_BARE, "with --measure: digests only"},
    {"loader", 'l', "L", 0, OPT_LOADER,
     "with --measure: qemu (default), qemu-classic, openvmm"},
    {"check-loader", 0, "L", 0, OPT_CHECK_LOADER,
     "warn about what L (qemu, cloud-hypervisor, openvmm)\n"
     "would refuse or ignore in the file"},
    {"strict", 0, NULL, 0, OPT_STRICT, "warnings are errors: exit 4, nothing written"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "print warnings only, no notes and no progress line"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "pack",
    .usage = "DESCRIPTOR.yaml -o OUT.igvm [OPTIONS]",
    .about = "Lay a YAML guest descriptor (igvmkit-descriptor(5)) out as one IGVM file.",
    .options = options,
    .more = "Notes (what each platform binds and what not) and warnings (guest policy,\n"
            "--check-loader findings) go to stderr.  -o - writes the file to standard\n"
            "output (not a terminal; not with --measure or --provenance).",
    .exits = {"", NULL, NULL, "invalid descriptor or input",
              "warnings with --strict, or --measure finds an ID block\n"
              "     that does not match",
              "", ""},
};

/* An output must be writable where it is (file-output.h): checked before any work is done. */
static int check_output_dir(const char *path)
{
    struct igk_error err;

    igk_error_clear(&err);
    return igk_output_check(path, false, &err) < 0 ? cli_fail(&err) : 0;
}

struct pack_options {
    const char *descriptor;
    const char *output;
    const char *provenance;
    bool measure, strict, quiet, check_loader;
    enum igk_lint_loader lint_loader;
    struct cli_measure_request request;
};

static int parse_options(int argc, char **argv, struct pack_options *o)
{
    bool format_given = false, loader_given = false;
    struct cli_parser p;
    int c, r;

    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        switch (c) {
        case CLI_STOP:
            return p.status ? p.status : -1; /* -1: --help printed */
        case OPT_OUTPUT:
            o->output = p.value;
            break;
        case OPT_PROVENANCE:
            o->provenance = p.value;
            break;
        case OPT_MEASURE:
            o->measure = true;
            break;
        case OPT_JSON:
        case OPT_BARE:
            if (format_given)
                return cli_usage("pack", "--json and --bare are mutually exclusive");
            format_given = true;
            o->request.format = c == OPT_JSON ? CLI_OUTPUT_JSON : CLI_OUTPUT_BARE;
            break;
        case OPT_LOADER:
            if ((r = cli_parse_loader("pack", p.value, &o->request.options.loader)) != 0)
                return r;
            loader_given = true;
            break;
        case OPT_CHECK_LOADER:
            r = cli_parse_lint_loader("pack", "--check-loader", p.value, 7, &o->lint_loader);
            if (r)
                return r;
            o->check_loader = true;
            break;
        case OPT_STRICT:
            o->strict = true;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        }
    }
    if ((r = cli_operands(&p, 1, 1, "DESCRIPTOR")) != 0)
        return r;
    o->descriptor = p.operands[0];
    if (!o->output)
        return cli_usage("pack", "missing -o OUT.igvm");
    if ((format_given || loader_given) && !o->measure)
        return cli_usage("pack", "--json, --bare and --loader apply to --measure");
    if (o->provenance && !strcmp(o->provenance, o->output))
        return cli_usage("pack", "--provenance and -o name the same file");
    if (!strcmp(o->output, "-") && o->measure)
        return cli_usage("pack", "-o - and --measure cannot be combined: the measurements would "
                                 "mix with the image");
    if (!strcmp(o->output, "-") && o->provenance)
        return cli_usage("pack", "-o - and --provenance cannot be combined: the statement "
                                 "names the file it describes");
    if (o->provenance && !(o->provenance = cli_output_path("pack", o->provenance, false)))
        return IGK_EXIT_USAGE;
    if (!(o->output = cli_output_path("pack", o->output, true)))
        return IGK_EXIT_USAGE;
    return 0;
}

/* Writes all of data to fd; false (errno set) on failure. */
static bool write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/*
 * Streams the image into one output set with the statement (file-output.h):
 * bounded memory, hashed as it is written when a statement is wanted; both
 * are published together, or neither changes.  The statement's temporary is
 * staged first, so a run stopped while the image is written leaves nothing.
 */
static int write_outputs(const struct pack_options *o, const struct igk_spec *spec,
                         const struct igk_pack_result *result)
{
    struct igk_write_info info = {.digests = o->provenance != NULL};
    struct cli_progress progress;
    struct igk_output_set set;
    struct igk_error err, scratch;
    char *statement = NULL;
    size_t statement_len = 0;
    int fd = -1, pfd = -1, rc, r = 0;

    igk_error_clear(&err);
    igk_output_set_init(&set);
    if (o->provenance)
        r = igk_output_add_fd(&set, o->provenance, &pfd, &err);
    if (r == 0)
        r = igk_output_add_fd(&set, o->output, &fd, &err);
    if (r == 0) {
        cli_progress_start(&progress, "writing", o->quiet);
        r = igk_igvm_write_fd_info(result->igvm, fd, o->output, &info, cli_progress_update,
                                   &progress, &err);
        cli_progress_end(&progress);
    }
    if (fd >= 0) {
        rc = igk_output_close_fd(fd, o->output, r < 0 ? &scratch : &err);
        if (r == 0)
            r = rc;
    }
    if (r == 0 && o->provenance)
        r = igk_provenance_build_digests(spec, result, o->output, info.sha256, info.sha384,
                                         &statement, &statement_len, &err);
    if (r == 0 && o->provenance && !write_all(pfd, statement, statement_len)) {
        igk_error_set_path(&err, o->provenance);
        r = igk_error_set(&err, IGK_E_IO, "cannot write: %s", strerror(errno));
    }
    if (pfd >= 0) {
        rc = igk_output_close_fd(pfd, o->provenance, r < 0 ? &scratch : &err);
        if (r == 0)
            r = rc;
    }
    if (r == 0)
        r = igk_output_commit(&set, &err);
    igk_output_set_done(&set);
    free(statement);
    return r < 0 ? cli_fail(&err) : IGK_EXIT_OK;
}

/* Measures the file as written (read back lean), so the output equals 'igvmkit measure OUT'. */
static int measure_written(const struct pack_options *o)
{
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    int status;

    igk_error_clear(&err);
    if (igk_igvm_read_file_lean(o->output, NULL, &igvm, &err) < 0) {
        igk_error_set_path(&err, o->output);
        return cli_fail(&err);
    }
    {
        struct cli_measure_request request = o->request;

        /* The launch commands name the written file; the descriptor says the rest. */
        request.launch_input = o->descriptor;
        request.launch_igvm_path = o->output;
        status = cli_measure_report(igvm, o->output, &request);
    }
    igk_igvm_free(igvm);
    return status;
}

/*
 * Writes the pack-time notes and --check-loader findings to *ret_text (NUL
 * terminated, malloc()ed): pack prints them once its outputs are published,
 * so that a run that fails for another reason says only why.  With --strict
 * any warning fails the pack before anything is written (exit 4), and the
 * notes are printed with the refusal.
 */
static int report_notes(const struct pack_options *o, const struct igk_spec *spec,
                        const struct igk_igvm *igvm, char **ret_text)
{
    struct igk_pack_notes notes;
    struct igk_lint_report report;
    struct igk_error err;
    size_t warnings, len = 0;
    FILE *out;

    *ret_text = NULL;
    if (!(out = open_memstream(ret_text, &len)))
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    igk_pack_notes(spec, &notes);
    warnings = cli_print_pack_notes(out, o->descriptor, &notes, o->quiet);
    if (o->check_loader) {
        igk_error_clear(&err);
        if (igk_lint(igvm, o->lint_loader, &report, &err) < 0) {
            fclose(out);
            return cli_fail(&err);
        }
        warnings += cli_print_loader_findings(out, &report, &notes);
        igk_lint_report_done(&report);
    }
    if (fclose(out) != 0)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    if (o->strict && warnings) {
        fputs(*ret_text, stderr);
        return cli_error(IGK_EXIT_MISMATCH, "%zu warning%s and --strict: nothing written",
                         warnings, warnings == 1 ? "" : "s");
    }
    return IGK_EXIT_OK;
}

int verb_pack(int argc, char **argv)
{
    struct pack_options o = {0};
    struct igk_pack_result result = {0};
    struct igk_spec *spec = NULL;
    struct igk_error err;
    char *notes_text = NULL;
    int status, r;

    status = parse_options(argc, argv, &o);
    if (status != 0)
        return status < 0 ? IGK_EXIT_OK : status;
    if ((status = check_output_dir(o.output)) != 0)
        return status;
    if (o.provenance && (status = check_output_dir(o.provenance)) != 0)
        return status;

    igk_error_clear(&err);
    r = cli_pack_descriptor(o.descriptor, o.provenance ? 0 : IGK_PACK_NO_INPUT_DIGESTS, &spec,
                            &result, &err);
    if (r == 0)
        r = igk_igvm_validate(result.igvm, &err);
    if (r == 0 && (status = report_notes(&o, spec, result.igvm, &notes_text)) != IGK_EXIT_OK)
        goto out;
    if (r < 0) {
        status = cli_fail(&err);
        goto out;
    }
    status = write_outputs(&o, spec, &result);
    if (status == IGK_EXIT_OK && notes_text)
        fputs(notes_text, stderr);
    /* The model (and the inputs it holds) is not needed to measure the file. */
    igk_pack_result_done(&result);
    if (status == IGK_EXIT_OK && o.measure)
        status = measure_written(&o);
out:
    free(notes_text);
    igk_pack_result_done(&result);
    igk_spec_free(spec);
    return status;
}
