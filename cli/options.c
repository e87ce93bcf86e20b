/* SPDX-License-Identifier: MIT */
/* The table-driven option parser and --help generator of every verb (options.h). */
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "util.h"

/* Column where option help starts in --help; wider option names get their own line. */
#define HELP_COLUMN 24

static const struct cli_option help_option = {
    "help", 'h', NULL, 0, 0, "show this help and exit",
};

static const char *const exit_names[CLI_N_EXITS] = {
    "ok", "internal error", "usage error", "invalid input", "mismatch", "unsupported", "I/O error",
};

void cli_parser_init(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof(*p));
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->next = 1;
    p->operands = argv + 1;
}

static int stop(struct cli_parser *p, int status)
{
    p->status = status;
    return CLI_STOP;
}

/* The long name of an argument: "--name" of "--name=value", at most size-1 bytes. */
static void long_name(const char *arg, char *buf, size_t size)
{
    size_t n = strcspn(arg, "=");

    if (n >= size)
        n = size - 1;
    memcpy(buf, arg, n);
    buf[n] = 0;
}

static int unknown_option(struct cli_parser *p, const char *arg)
{
    const char *names[65];
    char given[64], dashed[70];
    const char *best;
    size_t n = 0;
    int r;

    if (p->cmd->on_unknown && (r = p->cmd->on_unknown(p->cmd->verb, arg)) != 0)
        return stop(p, r);
    if (arg[1] != '-')
        return stop(p, cli_usage(p->cmd->verb, "unknown option '-%c'", arg[1]));
    long_name(arg + 2, given, sizeof(given));
    for (const struct cli_option *o = p->cmd->options; o->name && n < 64; o++)
        names[n++] = o->name;
    names[n++] = help_option.name;
    best = igk_closest_name(given, names, n);
    snprintf(dashed, sizeof(dashed), "--%s", given);
    if (best)
        return stop(
            p, cli_usage(p->cmd->verb, "unknown option '%s'; did you mean '--%s'?", dashed, best));
    return stop(p, cli_usage(p->cmd->verb, "unknown option '%s'", dashed));
}

/* Accepts option o (table index idx) with its value; returns its id or CLI_STOP. */
static int accept(struct cli_parser *p, const struct cli_option *o, int idx, const char *value)
{
    if (o == &help_option) {
        cli_print_help(p->cmd);
        return stop(p, fflush(stdout) == 0 ? IGK_EXIT_OK : IGK_EXIT_IO);
    }
    if (!(o->flags & CLI_REPEATABLE)) {
        if (p->seen & (1ull << idx))
            return stop(p, cli_usage(p->cmd->verb, "option '--%s' given twice", o->name));
        p->seen |= 1ull << idx;
    }
    p->option = o;
    p->value = value;
    return o->id;
}

static const struct cli_option *find_short(const struct cli_command *cmd, char c, int *idx)
{
    if (c == help_option.short_name)
        return *idx = -1, &help_option;
    for (int i = 0; cmd->options[i].name; i++)
        if (cmd->options[i].short_name == c)
            return *idx = i, &cmd->options[i];
    return NULL;
}

static int parse_short(struct cli_parser *p, const char *letters)
{
    const struct cli_option *o;
    int idx;

    p->cluster = NULL;
    o = find_short(p->cmd, letters[0], &idx);
    if (!o) {
        char arg[3] = {'-', letters[0], 0};
        return unknown_option(p, arg);
    }
    if (!o->value_name || (o->flags & CLI_OPTIONAL_VALUE)) {
        if (letters[1])
            p->cluster = letters + 1; /* -qh: more flags */
        return accept(p, o, idx, NULL);
    }
    if (letters[1])
        return accept(p, o, idx, letters + 1); /* -oFILE */
    if (p->next >= p->argc)
        return stop(p, cli_usage(p->cmd->verb, "option '-%c' (--%s) needs a value %s", letters[0],
                                 o->name, o->value_name));
    return accept(p, o, idx, p->argv[p->next++]);
}

static int parse_long(struct cli_parser *p, const char *arg)
{
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    const struct cli_option *o = NULL;
    int idx = -1;

    for (int i = 0; p->cmd->options[i].name; i++)
        if (strlen(p->cmd->options[i].name) == n && !strncmp(p->cmd->options[i].name, name, n)) {
            o = &p->cmd->options[i];
            idx = i;
            break;
        }
    if (!o && n == 4 && !strncmp(name, "help", 4))
        o = &help_option;
    if (!o)
        return unknown_option(p, arg);
    if (!o->value_name || o == &help_option) {
        if (eq)
            return stop(p, cli_usage(p->cmd->verb, "option '--%s' takes no value", o->name));
        return accept(p, o, idx, NULL);
    }
    if (eq)
        return accept(p, o, idx, eq + 1);
    if (o->flags & CLI_OPTIONAL_VALUE)
        return accept(p, o, idx, NULL);
    if (p->next >= p->argc)
        return stop(
            p, cli_usage(p->cmd->verb, "option '--%s' needs a value %s", o->name, o->value_name));
    return accept(p, o, idx, p->argv[p->next++]);
}

int cli_next(struct cli_parser *p)
{
    p->option = NULL;
    p->value = NULL;
    if (p->cluster)
        return parse_short(p, p->cluster);
    while (p->next < p->argc) {
        char *a = p->argv[p->next++];

        if (p->only_operands || a[0] != '-' || a[1] == 0) {
            /* Operands move to the front; every slot before next is already read. */
            p->operands[p->n_operands++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            p->only_operands = true;
            continue;
        }
        return a[1] == '-' ? parse_long(p, a) : parse_short(p, a + 1);
    }
    return CLI_END;
}

int cli_operands(const struct cli_parser *p, int min, int max, const char *name)
{
    if (p->n_operands < min)
        return cli_usage(p->cmd->verb, "missing %s", name);
    if (p->n_operands > max)
        return cli_usage(p->cmd->verb, "unexpected argument '%s'", p->operands[max]);
    return 0;
}

const char *cli_output_path(const char *verb, const char *path, bool binary)
{
    struct stat st;

    if (strcmp(path, "-"))
        return path;
    if (binary && isatty(STDOUT_FILENO)) {
        cli_usage(verb, "-o -: standard output is a terminal; redirect it to a file or pipe");
        return NULL;
    }
    /* A regular file is replaced whole by the output set (file-output.h), which is what
     * "> FILE" asks for; ">> FILE", or output after other writes, would lose its start. */
    if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
        int flags = fcntl(STDOUT_FILENO, F_GETFL);

        if ((flags >= 0 && (flags & O_APPEND)) || lseek(STDOUT_FILENO, 0, SEEK_CUR) != 0) {
            cli_usage(verb, "-o -: standard output is a file opened for appending or not at "
                            "its start; name the file with -o FILE");
            return NULL;
        }
    }
    return "/dev/stdout";
}

/* Prints text with every line after the first indented to column indent. */
static void print_indented(const char *text, int indent)
{
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, "\n");

        printf("%.*s\n", (int)n, s);
        s += n;
        if (*s == '\n' && *++s)
            printf("%*s", indent, "");
    }
}

static void print_option(const struct cli_option *o)
{
    char left[96];
    int n;

    if (o->short_name)
        n = snprintf(left, sizeof(left), "  -%c, --%s", o->short_name, o->name);
    else
        n = snprintf(left, sizeof(left), "      --%s", o->name);
    if (o->value_name)
        n += snprintf(left + n, sizeof(left) - (size_t)n,
                      o->flags & CLI_OPTIONAL_VALUE ? "[=%s]" : " %s", o->value_name);
    if (o->flags & CLI_REPEATABLE)
        n += snprintf(left + n, sizeof(left) - (size_t)n, "...");
    if (n + 1 >= HELP_COLUMN)
        printf("%s\n%*s", left, HELP_COLUMN, "");
    else
        printf("%-*s", HELP_COLUMN, left);
    print_indented(o->help, HELP_COLUMN);
}

void cli_print_help(const struct cli_command *cmd)
{
    const char *s = cmd->usage;
    bool first = true;

    while (*s) {
        size_t n = strcspn(s, "\n");

        printf("%s igvmkit %s %.*s\n", first ? "Usage:" : "      ", cmd->verb, (int)n, s);
        first = false;
        s += n;
        if (*s)
            s++;
    }
    printf("\n%s\n\nOptions:\n", cmd->about);
    for (const struct cli_option *o = cmd->options; o->name; o++)
        print_option(o);
    print_option(&help_option);
    if (cmd->more)
        printf("\n%s\n", cmd->more);
    printf("\nExit status:\n");
    for (int i = 0; i < CLI_N_EXITS; i++) {
        const char *m = cmd->exits[i];

        if (!m && i != IGK_EXIT_INTERNAL && i != IGK_EXIT_USAGE)
            continue;
        printf("  %d  %s", i, exit_names[i]);
        if (m && *m)
            printf(": %s", m);
        putchar('\n');
    }
}
