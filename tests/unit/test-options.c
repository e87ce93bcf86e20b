/* SPDX-License-Identifier: MIT */
/*
 * The option parser of every verb (cli/options.c): the forms of an option
 * and its value, bundled flags, "--", operands moved to the front, optional
 * values, repeatable and single-value options, and the exact usage errors.
 * cli_usage() is replaced here so that the messages can be compared.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "tap.h"

static char message[600];

int cli_usage(const char *verb, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(message, sizeof(message), "igvmkit %s: ", verb);

    va_start(ap, fmt);
    vsnprintf(message + n, sizeof(message) - (size_t)n, fmt, ap);
    va_end(ap);
    return IGK_EXIT_USAGE;
}

enum { OPT_OUTPUT = 1, OPT_QUIET, OPT_JSON, OPT_PLATFORM, OPT_VCPUS, OPT_DUMP };

static const struct cli_option options[] = {
    {"output", 'o', "FILE", 0, OPT_OUTPUT, "output"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "quiet"},
    {"json", 'j', NULL, 0, OPT_JSON, "json"},
    {"platform", 'p', "P", CLI_REPEATABLE, OPT_PLATFORM, "platform"},
    {"vcpus", 0, "N", 0, OPT_VCPUS, "vcpus"},
    {"dump-vmsa", 0, "DIR", CLI_OPTIONAL_VALUE, OPT_DUMP, "dump"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "test",
    .usage = "FILE",
    .about = "test",
    .options = options,
};

/* Parses argv (NULL terminated); writes "id=value id ..." and the operands to out. */
static int parse(char *out, size_t size, char **argv)
{
    struct cli_parser p;
    int argc = 0, c;
    size_t n = 0;

    while (argv[argc])
        argc++;
    message[0] = 0;
    out[0] = 0;
    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        if (c == CLI_STOP)
            return p.status;
        n += (size_t)snprintf(out + n, size - n, "%d%s%s ", c, p.value ? "=" : "",
                              p.value ? p.value : "");
    }
    n += (size_t)snprintf(out + n, size - n, "|");
    for (int i = 0; i < p.n_operands; i++)
        n += (size_t)snprintf(out + n, size - n, " %s", p.operands[i]);
    return 0;
}

#define ARGS(...) ((char *[]){"test", __VA_ARGS__, NULL})

int main(void)
{
    char out[300];

    is_int(parse(out, sizeof(out), ARGS("a", "-o", "x", "b", "--json")), 0, "mixed: ok");
    is_str(out, "1=x 3 | a b", "operands in order, options with values");
    parse(out, sizeof(out), ARGS("--output=y=z", "-ofile", "--vcpus", "-3"));
    is_str(message, "igvmkit test: option '--output' given twice", "-o after --output: twice");
    is_int(parse(out, sizeof(out), ARGS("-ofile", "--vcpus", "-3")), 0, "attached short value");
    is_str(out, "1=file 5=-3 |", "-oFILE; a value may start with '-'");
    is_int(parse(out, sizeof(out), ARGS("--output=a=b")), 0, "--name=value");
    is_str(out, "1=a=b |", "the value after the first '='");
    is_int(parse(out, sizeof(out), ARGS("-qjo", "f", "x")), 0, "bundled flags then a value");
    is_str(out, "2 3 1=f | x", "-qjo f");
    is_int(parse(out, sizeof(out), ARGS("-", "--", "-q", "--json")), 0, "'-' and '--'");
    is_str(out, "| - -q --json", "'-' is an operand; after '--' everything is");
    is_int(parse(out, sizeof(out), ARGS("-p", "a", "--platform=b", "-pc")), 0, "repeatable");
    is_str(out, "4=a 4=b 4=c |", "each --platform returned");
    is_int(parse(out, sizeof(out), ARGS("--dump-vmsa", "d")), 0, "optional value absent");
    is_str(out, "6 | d", "--dump-vmsa takes no separate value");
    is_int(parse(out, sizeof(out), ARGS("--dump-vmsa=d")), 0, "optional value given");
    is_str(out, "6=d |", "--dump-vmsa=d");

    is_int(parse(out, sizeof(out), ARGS("-q", "--quiet")), IGK_EXIT_USAGE, "flag twice: usage");
    is_str(message, "igvmkit test: option '--quiet' given twice", "flag twice: message");
    is_int(parse(out, sizeof(out), ARGS("--vcpu", "2")), IGK_EXIT_USAGE, "unknown: usage");
    is_str(message, "igvmkit test: unknown option '--vcpu'; did you mean '--vcpus'?",
           "unknown: did you mean");
    is_int(parse(out, sizeof(out), ARGS("--jsn=1")), IGK_EXIT_USAGE, "unknown with value");
    is_str(message, "igvmkit test: unknown option '--jsn'; did you mean '--json'?",
           "unknown with value: the name alone");
    is_int(parse(out, sizeof(out), ARGS("--frobnicate")), IGK_EXIT_USAGE, "unknown, far");
    is_str(message, "igvmkit test: unknown option '--frobnicate'", "unknown, far: no suggestion");
    is_int(parse(out, sizeof(out), ARGS("-qx")), IGK_EXIT_USAGE, "unknown short in a bundle");
    is_str(message, "igvmkit test: unknown option '-x'", "unknown short: message");
    is_int(parse(out, sizeof(out), ARGS("--vcpus")), IGK_EXIT_USAGE, "missing value");
    is_str(message, "igvmkit test: option '--vcpus' needs a value N", "missing value: message");
    is_int(parse(out, sizeof(out), ARGS("x", "-o")), IGK_EXIT_USAGE, "missing short value");
    is_str(message, "igvmkit test: option '-o' (--output) needs a value FILE",
           "missing short value: message");
    is_int(parse(out, sizeof(out), ARGS("--json=yes")), IGK_EXIT_USAGE, "value for a flag");
    is_str(message, "igvmkit test: option '--json' takes no value", "value for a flag: message");
    return tap_done();
}
