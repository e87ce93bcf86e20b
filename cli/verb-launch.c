/* SPDX-License-Identifier: MIT */
/*
 * igvmkit launch: print the command that loads an IGVM file (or the file a
 * descriptor packs to) with QEMU or cloud-hypervisor, one per platform, with
 * notes on what must not change (<igvmkit/lint.h>, igk_launch_command).
 */
#include <getopt.h>
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

static const char usage_text[] =
    "Usage: igvmkit launch FILE [--loader qemu|cloud-hypervisor] [--platform P]\n"
    "                           [--igvm PATH] [--memory SIZE] [--json]\n"
    "\n"
    "Print the command line that loads each platform of an IGVM file (or of the\n"
    "file a descriptor packs to) the way igvmkit measures it, with notes on what\n"
    "must not change.  QEMU needs version 10.0 or later for IGVM; it loads no TDX\n"
    "from IGVM, so the TDX command launches the firmware itself.\n"
    "\n"
    "  --loader L     qemu (default) or cloud-hypervisor\n"
    "  --platform P   only this platform (sev-snp, tdx, native)\n"
    "  --igvm PATH    the file name to print (default: FILE, or a descriptor's\n"
    "                 name with .igvm for .yaml)\n"
    "  --memory SIZE  guest RAM (bytes, or with K/M/G/T); a descriptor's memory\n"
    "                 by default\n"
    "  --json         print the commands as JSON\n"
    "  -h, --help     show this help\n"
    "\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 invalid input,\n"
    "5 no launch known for the platform or loader, 6 I/O error.\n";

enum { OPT_LOADER = 0x100, OPT_PLATFORM, OPT_IGVM, OPT_MEMORY, OPT_JSON };

static const struct option options[] = {
    {"loader", required_argument, NULL, OPT_LOADER},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"igvm", required_argument, NULL, OPT_IGVM},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
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
    int c, l;

    memset(a, 0, sizeof(*a));
    a->loader = IGK_LINT_QEMU;
    a->platform = -1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_LOADER:
            l = igk_lint_loader_from_name(optarg);
            if (l != IGK_LINT_QEMU && l != IGK_LINT_CLOUD_HYPERVISOR)
                return cli_usage("launch", "--loader: unknown loader '%s' (qemu, "
                                           "cloud-hypervisor)", optarg);
            a->loader = (enum igk_lint_loader)l;
            break;
        case OPT_PLATFORM:
            a->platform = cli_parse_platform(optarg);
            if (a->platform != IGK_PLATFORM_SEV_SNP && a->platform != IGK_PLATFORM_TDX &&
                a->platform != IGK_PLATFORM_NATIVE)
                return cli_usage("launch", "--platform: '%s' is not sev-snp, tdx or native",
                                 optarg);
            break;
        case OPT_IGVM:
            a->igvm_path = optarg;
            break;
        case OPT_MEMORY:
            if (!cli_parse_size(optarg, &a->memory))
                return cli_usage("launch", "--memory: '%s' is not a size", optarg);
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return cli_usage("launch", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage("launch", optind >= argc ? "no input file" : "too many arguments");
    a->input = argv[optind];
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
