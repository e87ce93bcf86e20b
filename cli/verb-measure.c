/* SPDX-License-Identifier: MIT */
/*
 * igvmkit measure FILE [--platform P]... [--loader L] [--vcpus N]
 *                      [--ignore-idblock] [--bare | --json]
 *
 * Launch measurements of every platform the file declares (or those named),
 * from the file alone.  The report itself is cli/measure-report.c, shared
 * with 'pack --measure'.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/measure.h>

#include "cli.h"
#include "load-model.h"
#include "measure-report.h"
#include "options.h"
#include "util.h"

enum {
    OPT_PLATFORM = 1,
    OPT_LOADER,
    OPT_VCPUS,
    OPT_IGNORE_IDBLOCK,
    OPT_SNP_OVMF_HASH,
    OPT_BARE,
    OPT_JSON,
    OPT_QUIET,
};

static const struct cli_option options[] = {
    {"platform", 'p', "P", CLI_REPEATABLE, OPT_PLATFORM,
     "sev-snp, tdx, sev-es, sev, vbs or all (default all)"},
    {"loader", 'l', "L", 0, OPT_LOADER,
     "qemu (default), qemu-classic, openvmm or qemu-8: how the\n"
     "loader measures data-less and shared pages (SEV-SNP) and\n"
     "the TDX page order (qemu-8: two passes, as QEMU 8.x)"},
    {"vcpus", 0, "N", 0, OPT_VCPUS,
     "model N vCPUs: vCPUs without a VP context of their own\n"
     "get a copy of the lowest-index VMSA (SEV-SNP, SEV-ES)"},
    {"ignore-idblock", 0, NULL, 0, OPT_IGNORE_IDBLOCK,
     "report an SNP ID block mismatch without failing"},
    {"snp-ovmf-hash", 0, "HEX", 0, OPT_SNP_OVMF_HASH,
     "start the SEV-SNP chain from firmware digest HEX (a file\n"
     "packed from a descriptor with firmware.digest)"},
    {"bare", 0, NULL, 0, OPT_BARE, "print only the digests, one per line"},
    {"json", 'j', NULL, 0, OPT_JSON, "print one JSON document"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "no progress line"},
    {NULL, 0, NULL, 0, 0, NULL},
};

/* A sev-snp-measure option without --ovmf/--mode: say how to use it. */
static int compat_hint(const char *verb, const char *arg)
{
    if (!cli_measure_is_compat_option(arg))
        return 0;
    return cli_usage(verb, "%s is a sev-snp-measure option: give --ovmf FILE and --mode MODE with it",
                     arg);
}

static const struct cli_command command = {
    .verb = "measure",
    .usage = "FILE [OPTIONS]\n--ovmf FILE --mode MODE [OPTIONS]",
    .about = "Compute the launch measurements of an IGVM file (or a YAML descriptor, packed\n"
             "in memory) for every platform it declares, or for the platforms named.",
    .options = options,
    .more = "With --ovmf FILE --mode MODE (and the other options of sev-snp-measure) it\n"
            "measures a firmware image the way sev-snp-measure does; 'igvmkit measure\n"
            "--mode snp --help' lists those options.",
    .exits = {"", NULL, NULL, "invalid file", "the ID block does not match",
              "platform not declared or not measurable", ""},
    .on_unknown = compat_hint,
};

int verb_measure(int argc, char **argv)
{
    struct cli_measure_request req = {.options = {.loader = IGK_LOADER_QEMU}};
    const char *path = NULL, *value;
    struct cli_parser p;
    int c;
    bool all = false, bare = false, json = false, has_seed_arg = false;
    uint8_t seed_arg[48];
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    int r;

    if (cli_measure_is_compat(argc, argv))
        return cli_measure_compat(argc, argv);
    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        value = p.value;
        switch (c) {
        case CLI_STOP:
            return p.status;
        case OPT_PLATFORM: {
            int pl;
            bool dup = false;

            r = cli_parse_measure_platform("measure", value, &pl);
            if (r)
                return r;
            if (pl < 0) {
                all = true;
                break;
            }
            for (unsigned k = 0; k < req.n_platforms; k++)
                dup |= req.platforms[k] == pl;
            if (!dup && req.n_platforms < IGK_PLATFORM_MAX)
                req.platforms[req.n_platforms++] = pl;
            break;
        }
        case OPT_LOADER:
            r = cli_parse_loader("measure", value, &req.options.loader);
            if (r)
                return r;
            break;
        case OPT_VCPUS:
            r = cli_parse_vcpus("measure", value, &req.options.vcpus);
            if (r)
                return r;
            break;
        case OPT_IGNORE_IDBLOCK:
            req.options.ignore_idblock = true;
            break;
        case OPT_SNP_OVMF_HASH:
            if (igk_hex_decode(value, seed_arg, sizeof(seed_arg)) < 0)
                return cli_usage("measure", "--snp-ovmf-hash must be 96 hex digits (a SHA-384 "
                                            "digest), not '%s'", value);
            has_seed_arg = true;
            break;
        case OPT_BARE:
            bare = true;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_QUIET:
            req.quiet = true;
            break;
        }
    }
    if (p.n_operands > 1)
        return cli_usage("measure", "only one FILE can be measured, got '%s' and '%s'",
                         p.operands[0], p.operands[1]);
    path = p.n_operands ? p.operands[0] : NULL;
    if (!path)
        return cli_usage("measure", "missing FILE");
    if (bare && json)
        return cli_usage("measure", "--bare and --json cannot be combined");
    if (all)
        req.n_platforms = 0; /* every measurable platform the file declares */
    req.format = json ? CLI_OUTPUT_JSON : bare ? CLI_OUTPUT_BARE : CLI_OUTPUT_TEXT;

    igk_error_clear(&err);
    r = cli_load_model(path, CLI_LOAD_DESCRIPTOR | CLI_LOAD_LEAN | CLI_LOAD_PACK_LEAN, &igvm,
                       &err);
    /* A firmware image where an IGVM file was expected: say how to measure it.
     * Only after the reader's own checks (regular file, size limit) passed. */
    if (r == IGK_E_INVALID && !cli_is_descriptor(path) && err.offset == 0 &&
        !strncmp(err.message, "bad magic", 9))
        return cli_error(IGK_EXIT_INVALID,
                         "%s: not an IGVM file; to measure a firmware image the way "
                         "sev-snp-measure does, use 'igvmkit measure --ovmf %s --mode snp "
                         "...' ('igvmkit measure --mode snp --help' lists the options) or a "
                         "descriptor",
                         path, path);
    if (r < 0)
        return cli_fail(&err);
    struct igk_rtmr_prediction rtmr;
    bool have_rtmr = false;
    if (cli_is_descriptor(path) && cli_predict_descriptor_rtmr(path, &rtmr, &have_rtmr, &err) < 0) {
        igk_igvm_free(igvm);
        return cli_fail(&err);
    }
    req.rtmr = have_rtmr ? &rtmr : NULL;
    /* firmware.digest: the SEV-SNP chain starts from it (the file has no firmware pages for SNP). */
    uint8_t seed[48];
    if (cli_descriptor_snp_seed(path, seed, &req.options, &err) < 0) {
        igk_igvm_free(igvm);
        return cli_fail(&err);
    }
    if (has_seed_arg)
        req.options.snp_seed = seed_arg; /* the command line over the descriptor */
    /* A descriptor's OVMF: report its SEV-SNP firmware digest too (snp:ovmf-hash). */
    uint8_t firmware_digest[48];
    bool have_firmware_digest = false;
    if (!req.options.snp_seed &&
        cli_descriptor_firmware_digest(path, firmware_digest, &have_firmware_digest, &err) < 0) {
        igk_igvm_free(igvm);
        return cli_fail(&err);
    }
    req.snp_firmware_digest = have_firmware_digest ? firmware_digest : NULL;
    req.launch_input = path;
    r = cli_measure_report(igvm, path, &req);
    igk_igvm_free(igvm);
    return r;
}
