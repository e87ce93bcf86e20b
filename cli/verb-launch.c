/* SPDX-License-Identifier: MIT */
/*
 * igvmkit launch: print the command that loads an IGVM file (or the file a
 * descriptor packs to) with QEMU or cloud-hypervisor, one per platform, with
 * notes on what must not change (<igvmkit/lint.h>, igk_launch_command).
 */
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/igvm.h>
#include <igvmkit/lint.h>
#include <igvmkit/pack.h>

#include "cli.h"
#include "json.h"
#include "launch-hint.h"
#include "load-model.h"
#include "options.h"

enum { OPT_LOADER = 1, OPT_PLATFORM, OPT_IGVM, OPT_MEMORY, OPT_JSON };

static const struct cli_option options[] = {
    {"loader", 'l', "L", 0, OPT_LOADER, "qemu (default) or cloud-hypervisor"},
    {"platform", 'p', "P", 0, OPT_PLATFORM, "only this platform (sev-snp, tdx, native)"},
    {"igvm", 0, "PATH", 0, OPT_IGVM,
     "the file name to print (default: FILE, or a descriptor's\n"
     "name with .igvm for .yaml)"},
    {"memory", 0, "SIZE", 0, OPT_MEMORY,
     "guest RAM as -m takes it (MiB, or with unit B/K/M/G/T);\n"
     "a descriptor's memory by default"},
    {"json", 'j', NULL, 0, OPT_JSON, "print the commands as JSON"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "launch",
    .usage = "FILE [OPTIONS]",
    .about = "Print the command line that loads each platform of an IGVM file (or of the\n"
             "file a descriptor packs to) the way igvmkit measures it, with notes on what\n"
             "must not change.  QEMU needs version 10.0 or later for IGVM; it loads no TDX\n"
             "from IGVM, so the TDX command launches the firmware itself.",
    .options = options,
    .exits = {"", NULL, NULL, "", NULL, "no launch known for the platform or loader", ""},
};

/* The platforms a launch is printed for, in this order. */
static const enum igk_platform_type launch_platforms[] = {
    IGK_PLATFORM_SEV_SNP,
    IGK_PLATFORM_TDX,
    IGK_PLATFORM_NATIVE,
};

struct launch_args {
    enum igk_lint_loader loader;
    int platform; /* -1: every platform of the file */
    const char *igvm_path;
    uint64_t memory;
    bool json;
    const char *input;
};

static int parse_args(int argc, char **argv, struct launch_args *a)
{
    struct cli_parser p;
    int c, r;

    memset(a, 0, sizeof(*a));
    a->loader = IGK_LINT_QEMU;
    a->platform = -1;
    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        const char *optarg = p.value;

        switch (c) {
        case CLI_STOP:
            return p.status ? p.status : -1; /* -1: --help printed */
        case OPT_LOADER:
            if ((r = cli_parse_lint_loader("launch", "--loader", optarg,
                                           1u << IGK_LINT_QEMU | 1u << IGK_LINT_CLOUD_HYPERVISOR,
                                           &a->loader)) != 0)
                return r;
            break;
        case OPT_PLATFORM:
            r = cli_parse_platform_in("launch", optarg,
                                      CLI_PLATFORM_BIT(IGK_PLATFORM_SEV_SNP) |
                                          CLI_PLATFORM_BIT(IGK_PLATFORM_TDX) |
                                          CLI_PLATFORM_BIT(IGK_PLATFORM_NATIVE),
                                      &a->platform);
            if (r)
                return r;
            break;
        case OPT_IGVM:
            a->igvm_path = optarg;
            break;
        case OPT_MEMORY:
            if (!cli_parse_size(optarg, &a->memory))
                return cli_usage("launch", "--memory: '%s' is not a size", optarg);
            if (!cli_memory_within_limit(a->memory))
                return cli_usage("launch", "--memory: '%s' is more than the limit 'memory' of 16 TiB",
                                 optarg);
            break;
        case OPT_JSON:
            a->json = true;
            break;
        }
    }
    if ((r = cli_operands(&p, 1, 1, "FILE")) != 0)
        return r;
    a->input = p.operands[0];
    return IGK_EXIT_OK;
}

int verb_launch(int argc, char **argv)
{
    struct igk_launch_command cmds[sizeof(launch_platforms) / sizeof(launch_platforms[0])];
    struct igk_pack_result packed;
    struct igk_spec *spec = NULL;
    struct igk_igvm *igvm = NULL;
    struct launch_args a;
    struct igk_error err;
    char *default_name = NULL;
    int status = IGK_EXIT_OK;
    size_t n = 0;
    int r;

    r = parse_args(argc, argv, &a);
    if (r)
        return r < 0 ? IGK_EXIT_OK : r;

    igk_error_clear(&err);
    memset(&packed, 0, sizeof(packed));
    if (cli_is_descriptor(a.input)) {
        r = cli_pack_descriptor(a.input, IGK_PACK_NO_INPUT_DIGESTS, &spec, &packed, &err);
        igvm = packed.igvm;
        if (r == 0 && !a.igvm_path && !(a.igvm_path = default_name = cli_launch_igvm_name_for(a.input)))
            r = igk_error_set(&err, IGK_E_INTERNAL, "out of memory");
    } else {
        r = cli_load_model(a.input, 0, &igvm, &err);
        if (!a.igvm_path)
            a.igvm_path = a.input;
    }

    for (size_t i = 0; r == 0 && i < sizeof(launch_platforms) / sizeof(launch_platforms[0]);
         i++) {
        enum igk_platform_type p = launch_platforms[i];
        struct igk_launch_inputs in = {0};

        if (a.platform >= 0 ? (int)p != a.platform : !igk_igvm_find_platform(igvm, p))
            continue;
        /* Without --platform, skip what the loader cannot launch rather than fail. */
        if (a.platform < 0 && a.loader == IGK_LINT_CLOUD_HYPERVISOR && p != IGK_PLATFORM_SEV_SNP)
            continue;
        if (spec)
            cli_launch_inputs_from_spec(spec, &in);
        in.igvm_path = a.igvm_path;
        if (a.memory) {
            in.memory = a.memory;
            in.memory_exact = false;
        }
        r = igk_launch_command(igvm, a.loader, p, &in, &cmds[n], &err);
        if (r == 0)
            n++;
    }
    if (r == 0 && n == 0)
        r = igk_error_set(&err, IGK_E_UNSUPPORTED, "no platform of the file can be launched by %s",
                          igk_lint_loader_name(a.loader));

    if (r == 0 && a.json) {
        struct igk_json j;
        char *text;
        size_t len;

        igk_json_init(&j, true);
        igk_json_begin_object(&j);
        igk_json_key(&j, "schema");
        igk_json_uint(&j, 1);
        igk_json_key(&j, "file");
        igk_json_string(&j, a.igvm_path);
        igk_json_key(&j, "commands");
        igk_json_begin_array(&j);
        for (size_t i = 0; i < n; i++)
            cli_launch_json(&j, &cmds[i]);
        igk_json_end_array(&j);
        igk_json_end_object(&j);
        if (igk_json_finish(&j, &text, &len) < 0) {
            r = igk_error_set(&err, IGK_E_INTERNAL, "out of memory");
        } else {
            status = cli_write_stdout(text, len);
            free(text);
        }
    } else if (r == 0) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                putchar('\n');
            cli_launch_print_text(stdout, &cmds[i]);
        }
        status = cli_write_stdout("", 0);
    }

    for (size_t i = 0; i < n; i++)
        igk_launch_command_done(&cmds[i]);
    free(default_name);
    if (spec) {
        igk_pack_result_done(&packed);
        igk_spec_free(spec);
    } else {
        igk_igvm_free(igvm);
    }
    if (r < 0 && !err.path[0])
        snprintf(err.path, sizeof(err.path), "%s", a.input);
    return r < 0 ? cli_fail(&err) : status;
}
