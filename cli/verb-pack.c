/* SPDX-License-Identifier: MIT */
/*
 * igvmkit pack DESCRIPTOR -o OUT.igvm [--measure [--json|--bare] [--loader L]]
 *                                     [--provenance OUT.json]
 *
 * Loads and validates the descriptor, packs it, validates the model and
 * writes it atomically.  Nothing is written unless everything succeeded:
 * the provenance statement is built before the image is written and written
 * only after it, and a failure to write it removes the image again.
 * The image is streamed to disk (igk_igvm_write_file_info()), so memory
 * does not grow with the page data.  --measure measures the file as
 * written, so its output equals 'igvmkit measure OUT.igvm'.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

#include "cli.h"
#include "load-model.h"
#include "measure-report.h"
#include "progress.h"
#include "provenance.h"
#include "util.h"

static void help(void)
{
    printf("Usage: igvmkit pack DESCRIPTOR.yaml -o OUT.igvm [OPTIONS]\n\n"
           "Lay a YAML guest descriptor (igvmkit-descriptor(5)) out as one IGVM file.\n\n"
           "  -o, --output FILE      the IGVM file to write (atomically)\n"
           "      --provenance FILE  also write an in-toto / SLSA v1 provenance statement\n"
           "      --measure          print the launch measurements of the written file\n"
           "      --json             with --measure: one JSON document\n"
           "      --bare             with --measure: digests only\n"
           "      --loader NAME      with --measure: qemu (default), qemu-classic, openvmm\n"
           "      --quiet            no progress line (shown on a terminal for long writes)\n"
           "  -h, --help             show this help\n\n"
           "Exit status: 0 ok, 2 usage, 3 invalid descriptor or input, 5 unsupported,\n"
           "6 I/O error (4 when --measure finds an ID block that does not match).\n");
}

/* The directory an output goes to must exist: checked before any work is done. */
static int check_output_dir(const char *path)
{
    char *copy = strdup(path);
    struct stat st;
    int r = 0;

    if (!copy)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    if (stat(dirname(copy), &st) < 0)
        r = cli_error(IGK_EXIT_IO, "%s: cannot create output: %s", path, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        r = cli_error(IGK_EXIT_IO, "%s: cannot create output: %s", path, strerror(ENOTDIR));
    free(copy);
    return r;
}

struct pack_options {
    const char *descriptor;
    const char *output;
    const char *provenance;
    bool measure;
    bool quiet;
    struct cli_measure_request request;
};

static int parse_options(int argc, char **argv, struct pack_options *o)
{
    enum { OPT_PROVENANCE = 0x100, OPT_MEASURE, OPT_JSON, OPT_BARE, OPT_LOADER, OPT_QUIET };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"provenance", required_argument, NULL, OPT_PROVENANCE},
        {"measure", no_argument, NULL, OPT_MEASURE},
        {"json", no_argument, NULL, OPT_JSON},
        {"bare", no_argument, NULL, OPT_BARE},
        {"loader", required_argument, NULL, OPT_LOADER},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    bool format_given = false, loader_given = false;
    int c, loader;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->output = optarg;
            break;
        case OPT_PROVENANCE:
            o->provenance = optarg;
            break;
        case OPT_MEASURE:
            o->measure = true;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        case OPT_JSON:
        case OPT_BARE:
            if (format_given)
                return cli_usage("pack", "--json and --bare are mutually exclusive");
            format_given = true;
            o->request.format = c == OPT_JSON ? CLI_OUTPUT_JSON : CLI_OUTPUT_BARE;
            break;
        case OPT_LOADER:
            loader = igk_loader_from_name(optarg);
            if (loader < 0)
                return cli_usage("pack", "unknown loader '%s' (qemu, qemu-classic, openvmm)",
                                 optarg);
            o->request.options.loader = (enum igk_loader)loader;
            loader_given = true;
            break;
        case 'h':
            help();
            return -1;
        case ':':
            return cli_usage("pack", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage("pack", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("pack", "missing DESCRIPTOR");
    if (argc - optind > 1)
        return cli_usage("pack", "unexpected argument '%s'", argv[optind + 1]);
    o->descriptor = argv[optind];
    if (!o->output)
        return cli_usage("pack", "missing -o OUT.igvm");
    if ((format_given || loader_given) && !o->measure)
        return cli_usage("pack", "--json, --bare and --loader apply to --measure");
    if (o->provenance && !strcmp(o->provenance, o->output))
        return cli_usage("pack", "--provenance and -o name the same file");
    return 0;
}

/*
 * Streams the image to its file (igk_igvm_write_file_info(): bounded memory,
 * hashed as it is written when a statement is wanted), then the statement;
 * on failure neither is left behind.
 */
static int write_outputs(const struct pack_options *o, const struct igk_spec *spec,
                         const struct igk_pack_result *result)
{
    struct igk_write_info info = {.digests = o->provenance != NULL};
    struct cli_progress progress;
    char *statement = NULL;
    size_t statement_len = 0;
    struct igk_error err;
    int r;

    igk_error_clear(&err);
    cli_progress_start(&progress, "writing", o->quiet);
    r = igk_igvm_write_file_info(result->igvm, o->output, &info, cli_progress_update, &progress,
                                 &err);
    cli_progress_end(&progress);
    if (r < 0)
        return cli_fail(&err);
    if (!o->provenance)
        return IGK_EXIT_OK;
    r = igk_provenance_build_digests(spec, result, o->output, info.sha256, info.sha384,
                                     &statement, &statement_len, &err);
    if (r == 0)
        r = igk_write_file_atomic(o->provenance, statement, statement_len, &err);
    free(statement);
    if (r < 0) {
        unlink(o->output);
        return cli_fail(&err);
    }
    return IGK_EXIT_OK;
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
    status = cli_measure_report(igvm, o->output, &o->request);
    igk_igvm_free(igvm);
    return status;
}

int verb_pack(int argc, char **argv)
{
    struct pack_options o = {0};
    struct igk_pack_result result = {0};
    struct igk_spec *spec = NULL;
    struct igk_error err;
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
    if (r < 0) {
        status = cli_fail(&err);
        goto out;
    }
    status = write_outputs(&o, spec, &result);
    /* The model (and the inputs it holds) is not needed to measure the file. */
    igk_pack_result_done(&result);
    if (status == IGK_EXIT_OK && o.measure)
        status = measure_written(&o);
out:
    igk_pack_result_done(&result);
    igk_spec_free(spec);
    return status;
}
