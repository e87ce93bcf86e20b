/* SPDX-License-Identifier: MIT */
/* igvmkit: entry point and verb dispatch. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "cli.h"
#include "resource-limits.h"
#include "util.h"

static const struct cli_verb verbs[] = {
    {"pack", "lay a YAML guest descriptor out as one IGVM file", verb_pack},
    {"measure", "compute SEV-SNP, TDX, SEV-ES and VBS launch measurements", verb_measure},
    {"explain", "show every measurement step with the running digest", verb_explain},
    {"inspect", "decode and validate every header of an IGVM file", verb_inspect},
    {"extract", "write the guest memory image one platform would load", verb_extract},
    {"lint", "check an IGVM file against a loader's rules", verb_lint},
    {"sign", "add or replace a signed SEV-SNP ID block", verb_sign},
    {"export", "write reference values for verifiers", verb_export},
    {"verify", "check an attestation report or quote against the file", verb_verify},
    {"launch", "print the command line that loads the file in QEMU or cloud-hypervisor", verb_launch},
    {"eventlog", "decode a TD event log and replay its RTMRs", verb_eventlog},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: igvmkit VERB [OPTIONS] ...\n"
                 "       igvmkit --help | --version\n\n"
                 "Pack confidential-VM boot images into IGVM files and compute their\n"
                 "launch measurements from the file alone.\n\nVerbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(out, "\nRun 'igvmkit VERB --help' for a verb's options.  The same short option\n"
                 "means the same in every verb: -o output, -p platform, -l loader,\n"
                 "-j JSON, -q quiet, -h help (igvmkit(1), COMMON OPTIONS).\n\n"
                 "Exit status: 0 ok, 1 internal error, 2 usage error, 3 invalid input,\n"
                 "4 mismatch, 5 unsupported, 6 I/O error.\n");
}

/* "igvmkit: unknown verb 'mesaure'; did you mean 'measure'?" (an option: "unknown option"). */
static int unknown_verb(const char *word)
{
    const char *names[sizeof(verbs) / sizeof(verbs[0])];
    const char *best;

    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        names[i] = verbs[i].name;
    if (word[0] == '-') {
        fprintf(stderr, "igvmkit: unknown option '%s'; a verb comes first\n", word);
    } else if ((best = igk_closest_name(word, names, sizeof(names) / sizeof(names[0])))) {
        fprintf(stderr, "igvmkit: unknown verb '%s'; did you mean '%s'?\n", word, best);
    } else {
        fprintf(stderr, "igvmkit: unknown verb '%s'\n", word);
    }
    fputs("Try 'igvmkit --help'.\n", stderr);
    return IGK_EXIT_USAGE;
}

int cli_fail(const struct igk_error *err)
{
    char buf[1200];

    fprintf(stderr, "igvmkit: error: %s\n", igk_error_format(err, buf, sizeof(buf)));
    return igk_err_exit_status(err->code ? err->code : IGK_E_INTERNAL);
}

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;

    fputs("igvmkit: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int cli_usage(const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "igvmkit %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'igvmkit %s --help'.\n", verb);
    return IGK_EXIT_USAGE;
}

int cli_parse_platform(const char *name)
{
    return igk_platform_from_name(name);
}

bool cli_parse_size(const char *s, uint64_t *ret)
{
    uint64_t v;

    if (!igk_parse_size(s, 1ull << 20, &v) || v == 0)
        return false;
    *ret = v;
    return true;
}

bool cli_memory_within_limit(uint64_t bytes)
{
    return bytes <= igk_limit_value(IGK_LIMIT_MEMORY);
}

bool cli_parse_u64(const char *s, unsigned long long max, unsigned long long *ret)
{
    uint64_t v;

    /* The descriptor's parser: "010" is ten here too, never octal eight. */
    if (!igk_parse_uint(s, max, &v))
        return false;
    *ret = v;
    return true;
}

int cli_write_stdout(const char *text, size_t len)
{
    if (len && fwrite(text, 1, len, stdout) != len)
        return cli_error(IGK_EXIT_IO, "cannot write to standard output");
    if (fflush(stdout) != 0)
        return cli_error(IGK_EXIT_IO, "cannot write to standard output");
    return IGK_EXIT_OK;
}

int main(int argc, char **argv)
{
    cli_install_signal_handlers();
    /* A write past the file size limit (ulimit -f) then fails with EFBIG,
     * which the writers report and clean up after, instead of killing the
     * process with a partial temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return IGK_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return IGK_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("igvmkit %s\n", PACKAGE_VERSION);
        return IGK_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (!strcmp(argv[1], verbs[i].name))
            return verbs[i].run(argc - 1, argv + 1);
    return unknown_verb(argv[1]);
}
