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
#include "options.h"

/* Above this many headers inspect prints the summary unless --all is given. */
#define SUMMARY_THRESHOLD 10000

enum { OPT_JSON = 1, OPT_PLATFORM, OPT_SUMMARY, OPT_ALL };

static const struct cli_option options[] = {
    {"json", 'j', NULL, 0, OPT_JSON, "print one JSON document instead of text"},
    {"platform", 'p', "P", 0, OPT_PLATFORM,
     "only the headers that apply to platform P (sev-snp, tdx,\n"
     "native, sev-es, sev, vbs, cca) and headers without a mask"},
    {"summary", 0, NULL, 0, OPT_SUMMARY,
     "counts per header type, platforms, PAGE_DATA GPA ranges\n"
     "and sizes instead of every header (the default above\n"
     "10000 headers)"},
    {"all", 0, NULL, 0, OPT_ALL, "every header, however many"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "inspect",
    .usage = "FILE [OPTIONS]",
    .about = "Validate an IGVM file with the rules of the reference parser and print its\n"
             "fixed header, then every header: index, file offset, type, decoded fields,\n"
             "data length and data SHA-256.",
    .options = options,
    .exits = {"valid", NULL, NULL, "invalid file", NULL, "platform not declared", ""},
};

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
    int r, status, c;
    struct cli_parser p;

    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        switch (c) {
        case CLI_STOP:
            return p.status;
        case OPT_JSON:
            opt.json = true;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        case OPT_ALL:
            all = true;
            break;
        case OPT_PLATFORM:
            platform = p.value;
            break;
        }
    }
    if (p.n_operands > 1)
        return cli_usage("inspect", "only one FILE may be given");
    if (!p.n_operands)
        return cli_usage("inspect", "missing FILE");
    path = p.operands[0];
    if (summary && all)
        return cli_usage("inspect", "--summary and --all cannot be combined");
    if (platform) {
        int pl;
        if ((r = cli_parse_platform_in("inspect", platform, CLI_PLATFORMS_ANY, &pl)) != 0)
            return r;
        opt.filter = true;
        opt.platform_name = igk_platform_name((enum igk_platform_type)pl);
        r = cli_load_model_as_file(path, &igvm, &packed, &err);
        if (r == 0) {
            r = igk_igvm_platform_mask(igvm, (enum igk_platform_type)pl, &opt.platform_mask,
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
