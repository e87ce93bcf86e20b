/* SPDX-License-Identifier: MIT */
/*
 * igvmkit export FILE --format json|rvps|corim|intoto [--loader L]
 *                [--platform P] [--vcpus N] [--ignore-idblock] [--svn N] [-o OUT]
 *
 * Renders the measurement of an IGVM file (or of a descriptor, packed in
 * memory) as reference values (<igvmkit/export.h>).  Output goes to stdout,
 * or atomically to OUT.  For a descriptor with TDX, OVMF firmware and a
 * kernel, the TDX RTMR1/RTMR2 prediction for its kernel, initrd, command
 * line and memory size is part of the export (<igvmkit/measure.h>).  A file
 * whose SNP ID block does not match its launch digest cannot be launched
 * (the PSP refuses it), so its reference values are refused too, exit 4,
 * unless --ignore-idblock.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/export.h>
#include <igvmkit/measure.h>

#include "cli.h"
#include "launch-hint.h"
#include "load-model.h"
#include "measure-report.h"
#include "options.h"
#include "progress.h"
#include "util.h"

/* Shared option parsers of the measurement verbs (cli/verb-measure.c). */

enum {
    OPT_FORMAT = 1,
    OPT_LOADER,
    OPT_PLATFORM,
    OPT_VCPUS,
    OPT_IGNORE_IDBLOCK,
    OPT_SVN,
    OPT_OUTPUT,
    OPT_QUIET,
};

static const struct cli_option options[] = {
    {"format", 'f', "FORMAT", 0, OPT_FORMAT,
     "json (measurement document), rvps (Trustee RVPS sample\n"
     "message), corim (unsigned CoRIM, CBOR) or intoto\n"
     "(in-toto Statement v1)"},
    {"loader", 'l', "L", 0, OPT_LOADER,
     "loader profile: qemu (default), qemu-classic, openvmm,\n"
     "qemu-8 (TDX two-pass MRTD of QEMU 8.x)"},
    {"platform", 'p', "P", 0, OPT_PLATFORM, "export one platform (sev-snp, tdx, sev-es, sev, vbs)"},
    {"vcpus", 0, "N", 0, OPT_VCPUS, "model N vCPUs (SEV-SNP, SEV-ES), as 'measure' does"},
    {"ignore-idblock", 0, NULL, 0, OPT_IGNORE_IDBLOCK,
     "export even if the SNP ID block does not match"},
    {"svn", 0, "N", 0, OPT_SVN, "SVN the CoRIM endorses (default 0)"},
    {"output", 'o', "OUT", 0, OPT_OUTPUT,
     "write to OUT (atomically); - or no -o: standard output"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "no progress line"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "export",
    .usage = "FILE --format FORMAT [OPTIONS]",
    .about = "Write reference values for an IGVM file or a descriptor.",
    .options = options,
    .exits = {"", NULL, NULL, "", "the SNP ID block does not match (without --ignore-idblock)",
              "platform not declared or not measurable", ""},
};

/* The subject name: the file's base name; a descriptor names the IGVM it packs. */
static void subject_name(const char *path, char *out, size_t size)
{
    char *copy = strdup(path);
    const char *base = copy ? basename(copy) : path;

    snprintf(out, size, "%s", base);
    if (cli_is_descriptor(path)) {
        char *dot = strrchr(out, '.');
        if (dot && (size_t)(dot - out) + sizeof(".igvm") <= size)
            strcpy(dot, ".igvm");
    }
    free(copy);
}

int verb_export(int argc, char **argv)
{
    struct igk_measure_options measure_options = {.loader = IGK_LOADER_QEMU};
    const char *output = NULL, *path;
    int format = -1, platform = -1, c, status;
    unsigned long long svn = 0;
    struct igk_export_input *in = NULL;
    struct cli_launch_set launch = {.n = 0};
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    uint8_t *data = NULL;
    size_t len = 0;
    struct cli_parser p;
    struct cli_progress progress;
    bool quiet = false;
    int collected;

    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        const char *optarg = p.value;

        switch (c) {
        case CLI_STOP:
            return p.status;
        case OPT_FORMAT: {
            static const char *const names[] = {"json", "rvps", "corim", "intoto"};

            format = igk_export_format_from_name(optarg);
            if (format < 0)
                return cli_unknown_choice("export", "--format", "format", optarg, names, 4,
                                          "json, rvps, corim or intoto");
            break;
        }
        case OPT_LOADER:
            if ((c = cli_parse_loader("export", optarg, &measure_options.loader)) != 0)
                return c;
            break;
        case OPT_PLATFORM:
            if ((c = cli_parse_measure_platform("export", optarg, &platform)) != 0)
                return c;
            break;
        case OPT_VCPUS:
            if ((c = cli_parse_vcpus("export", optarg, &measure_options.vcpus)) != 0)
                return c;
            break;
        case OPT_IGNORE_IDBLOCK:
            measure_options.ignore_idblock = true;
            break;
        case OPT_SVN:
            if (!cli_parse_u64(optarg, UINT64_MAX, &svn))
                return cli_usage("export", "invalid SVN '%s'", optarg);
            break;
        case OPT_OUTPUT:
            output = optarg;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        }
    }
    if ((c = cli_operands(&p, 1, 1, "FILE")) != 0)
        return c;
    if (format < 0)
        return cli_usage("export", "missing --format (json, rvps, corim, intoto)");
    path = p.operands[0];
    if (output && !strcmp(output, "-"))
        output = NULL; /* standard output */

    igk_error_clear(&err);
    in = calloc(1, sizeof(*in));
    if (!in)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    if (cli_load_model(path, CLI_LOAD_DESCRIPTOR | CLI_LOAD_LEAN, &igvm, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    uint8_t seed[48];
    if (cli_descriptor_snp_seed(path, seed, &measure_options, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    cli_progress_start(&progress, "hashing", quiet);
    if (progress.enabled) {
        measure_options.progress = cli_progress_update;
        measure_options.progress_user = &progress;
    }
    collected = igk_export_collect(igvm, path, platform, &measure_options, in, &err);
    cli_progress_end(&progress);
    measure_options.progress = NULL;
    if (collected < 0) {
        if (!err.path[0])
            igk_error_set_path(&err, path);
        status = cli_fail(&err);
        goto out;
    }
    /* A descriptor's OVMF firmware: export its SEV-SNP firmware digest too. */
    for (size_t i = 0; i < in->n_measurements; i++) {
        struct igk_measurement *m = &in->measurements[i];
        bool have = false;

        if (m->platform != IGK_PLATFORM_SEV_SNP || m->has_firmware_digest)
            continue;
        if (cli_descriptor_firmware_digest(path, m->firmware_digest, &have, &err) < 0) {
            status = cli_fail(&err);
            goto out;
        }
        m->has_firmware_digest = have;
    }
    status = cli_idblock_verdict(path, in->measurements, (unsigned)in->n_measurements,
                                 measure_options.ignore_idblock,
                                 "export its reference values");
    if (status != IGK_EXIT_OK)
        goto out;
    subject_name(path, in->subject, sizeof(in->subject));
    in->svn = svn;
    if (cli_is_descriptor(path) && (platform < 0 || platform == IGK_PLATFORM_TDX) &&
        cli_predict_descriptor_rtmr(path, &in->rtmr, &in->has_rtmr, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    /* The JSON document equals `measure --json`: the same launch commands
     * (in the in-toto predicate too, which is that document). */
    {
        enum igk_platform_type measured[IGK_PLATFORM_MAX];

        for (size_t i = 0; i < in->n_measurements; i++)
            measured[i] = in->measurements[i].platform;
        if (cli_launch_for_measure(igvm, path, NULL, measure_options.loader, measured,
                                   in->n_measurements, &launch, &err) < 0) {
            if (!err.path[0])
                igk_error_set_path(&err, path);
            status = cli_fail(&err);
            goto out;
        }
        cli_launch_to_export(&launch, in);
    }
    if (igk_export(in, (enum igk_export_format)format, &data, &len, &err) < 0) {
        if (!err.path[0])
            igk_error_set_path(&err, path);
        status = cli_fail(&err);
        goto out;
    }
    if (output) {
        status = igk_write_file_atomic(output, data, len, &err) < 0 ? cli_fail(&err)
                                                                    : IGK_EXIT_OK;
    } else {
        status = cli_write_stdout((const char *)data, len);
    }
out:
    cli_launch_set_done(&launch);
    free(data);
    free(in);
    igk_igvm_free(igvm);
    return status;
}
