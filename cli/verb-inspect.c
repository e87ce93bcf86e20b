/* SPDX-License-Identifier: MIT */
/*
 * igvmkit inspect FILE [--json] [--platform P] [--summary | --all]
 *
 * Validates an IGVM file like the reference parser and prints the fixed
 * header and every variable header (igvm/dump.c does the formatting), or a
 * summary (igvm/dump-summary.c): by default for files with more than
 * SUMMARY_THRESHOLD headers, whose full listing nobody reads (a 26 MB
 * direct-boot file has millions of lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "cli.h"
#include "dump.h"
#include "load-model.h"

/* Above this many headers inspect prints the summary unless --all is given. */
#define SUMMARY_THRESHOLD 10000

static const char usage_text[] =
    "Usage: igvmkit inspect FILE [--json] [--platform P] [--summary | --all]\n"
    "\n"
    "Validate an IGVM file with the rules of the reference parser and print its\n"
    "fixed header, then every header: index, file offset, type, decoded fields,\n"
    "data length and data SHA-256.\n"
    "\n"
    "Options:\n"
    "  --json          print one JSON document instead of text\n"
    "  --platform P    only the headers that apply to platform P (sev-snp, tdx,\n"
    "                  native, sev-es, sev, vbs, cca) and headers without a mask\n"
    "  --summary       counts per header type, platforms, PAGE_DATA GPA ranges and\n"
    "                  sizes instead of every header (the default above 10000\n"
    "                  headers)\n"
    "  --all           every header, however many\n"
    "  -h, --help      show this help\n"
    "\n"
    "Exit status: 0 valid, 2 usage, 3 invalid file, 5 platform not declared,\n"
    "6 I/O error.\n";

int verb_inspect(int argc, char **argv)
{
    struct igk_dump_options opt = {0};
    const char *path = NULL, *platform = NULL;
    bool summary = false, all = false;
    struct igk_igvm *igvm = NULL;
    uint8_t *packed = NULL; /* a descriptor's image, which igvm reads */
    struct igk_error err;
    char *text = NULL;
    size_t len = 0;
    int r, status;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return IGK_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            opt.json = true;
        } else if (!strcmp(a, "--summary")) {
            summary = true;
        } else if (!strcmp(a, "--all")) {
            all = true;
        } else if (!strcmp(a, "--platform") || !strncmp(a, "--platform=", 11)) {
            if (a[10] == '=')
                platform = a + 11;
            else if (i + 1 < argc)
                platform = argv[++i];
            else
                return cli_usage("inspect", "--platform needs a value");
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("inspect", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage("inspect", "only one FILE may be given");
        } else {
            path = a;
        }
    }
    if (!path)
        return cli_usage("inspect", "missing FILE");
    if (summary && all)
        return cli_usage("inspect", "--summary and --all cannot be combined");
    if (platform) {
        int p = cli_parse_platform(platform);
        if (p < 0)
            return cli_usage("inspect",
                             "unknown platform '%s' (expected sev-snp, tdx, native, sev-es, "
                             "sev, vbs or cca)",
                             platform);
        opt.filter = true;
        opt.platform_name = igk_platform_name((enum igk_platform_type)p);
        r = cli_load_model_as_file(path, &igvm, &packed, &err);
        if (r == 0) {
            r = igk_igvm_platform_mask(igvm, (enum igk_platform_type)p, &opt.platform_mask,
                                       &err);
            if (r < 0)
                igk_error_set_path(&err, path);
        }
    } else {
        r = cli_load_model_as_file(path, &igvm, &packed, &err);
    }
    if (r == 0 && !all && !summary && igvm->n_headers > SUMMARY_THRESHOLD) {
        summary = true;
        if (!opt.json)
            fprintf(stderr,
                    "igvmkit: note: %s has %zu headers (more than %u): printing the summary; "
                    "--all prints every header\n",
                    path, igvm->n_headers, SUMMARY_THRESHOLD);
    }
    if (r == 0)
        r = summary ? igk_igvm_summary(igvm, &opt, &text, &len, &err)
                    : igk_igvm_dump(igvm, &opt, &text, &len, &err);
    if (r < 0) {
        igk_igvm_free(igvm);
        free(packed);
        return cli_fail(&err);
    }
    status = cli_write_stdout(text, len);
    free(text);
    igk_igvm_free(igvm);
    free(packed);
    return status;
}
