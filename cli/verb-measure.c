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
#include "util.h"

static const char usage_text[] =
    "Usage: igvmkit measure FILE [OPTIONS]\n"
    "\n"
    "Compute the launch measurements of an IGVM file (or a YAML descriptor, packed\n"
    "in memory) for every platform it declares, or for the platforms named.\n"
    "\n"
    "Options:\n"
    "  --platform P      sev-snp, tdx, sev-es, sev, vbs or all (repeatable; default all)\n"
    "  --loader L        qemu (default), qemu-classic, openvmm or qemu-8: how the loader\n"
    "                    measures data-less and shared pages (SEV-SNP) and the TDX\n"
    "                    page order (qemu-8: two passes, as QEMU 8.x TDX stacks)\n"
    "  --vcpus N         model N vCPUs: vCPUs without a VP context of their own get a\n"
    "                    copy of the lowest-index VMSA (SEV-SNP, SEV-ES)\n"
    "  --ignore-idblock  report an SNP ID block mismatch without failing\n"
    "  --snp-ovmf-hash H start the SEV-SNP chain from firmware digest H (a file\n"
    "                    packed from a descriptor with firmware.digest)\n"
    "  --bare            print only the digests, one per line\n"
    "  --json            print one JSON document\n"
    "  -h, --help        show this help\n"
    "\n"
    "With --ovmf FILE --mode MODE (and the other options of sev-snp-measure) it\n"
    "measures a firmware image the way sev-snp-measure does; 'igvmkit measure\n"
    "--mode snp --help' lists those options.\n"
    "\n"
    "Exit status: 0 ok, 2 usage, 3 invalid file, 4 ID block mismatch,\n"
    "5 platform not declared or not measurable, 6 I/O error.\n";

/* "--name VALUE" or "--name=VALUE"; advances *i past a separate value. */
static bool take_value(int argc, char **argv, int *i, const char *name, const char **ret)
{
    size_t n = strlen(name);

    if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
        *ret = argv[*i] + n + 1;
        return true;
    }
    if (strcmp(argv[*i], name))
        return false;
    *ret = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

int verb_measure(int argc, char **argv)
{
    struct cli_measure_request req = {.options = {.loader = IGK_LOADER_QEMU}};
    const char *path = NULL, *value;
    bool all = false, bare = false, json = false, has_seed_arg = false;
    uint8_t seed_arg[48];
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    int r;

    if (cli_measure_is_compat(argc, argv))
        return cli_measure_compat(argc, argv);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return IGK_EXIT_OK;
        } else if (take_value(argc, argv, &i, "--platform", &value)) {
            int p;
            bool dup = false;

            if (!value)
                return cli_usage("measure", "--platform needs a value");
            r = cli_parse_measure_platform("measure", value, &p);
            if (r)
                return r;
            if (p < 0) {
                all = true;
                continue;
            }
            for (unsigned k = 0; k < req.n_platforms; k++)
                dup |= req.platforms[k] == p;
            if (!dup && req.n_platforms < IGK_PLATFORM_MAX)
                req.platforms[req.n_platforms++] = p;
        } else if (take_value(argc, argv, &i, "--loader", &value)) {
            if (!value)
                return cli_usage("measure", "--loader needs a value");
            r = cli_parse_loader("measure", value, &req.options.loader);
            if (r)
                return r;
        } else if (take_value(argc, argv, &i, "--vcpus", &value)) {
            if (!value)
                return cli_usage("measure", "--vcpus needs a value");
            r = cli_parse_vcpus("measure", value, &req.options.vcpus);
            if (r)
                return r;
        } else if (!strcmp(a, "--ignore-idblock")) {
            req.options.ignore_idblock = true;
        } else if (take_value(argc, argv, &i, "--snp-ovmf-hash", &value)) {
            if (!value || igk_hex_decode(value, seed_arg, sizeof(seed_arg)) < 0)
                return cli_usage("measure", "--snp-ovmf-hash must be 96 hex digits (a SHA-384 "
                                            "digest), not '%s'", value ? value : "");
            has_seed_arg = true;
        } else if (!strcmp(a, "--bare")) {
            bare = true;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (a[0] == '-' && a[1] && cli_measure_is_compat_option(a)) {
            return cli_usage("measure", "%s is a sev-snp-measure option: give --ovmf FILE and "
                                        "--mode MODE with it", a);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("measure", "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage("measure", "only one FILE can be measured, got '%s' and '%s'",
                             path, a);
        }
    }
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
    r = cli_measure_report(igvm, path, &req);
    igk_igvm_free(igvm);
    return r;
}
