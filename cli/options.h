/* SPDX-License-Identifier: MIT */
/*
 * One command-line grammar for every verb (cli/options.c).
 *
 * A verb declares its options once, in a table of struct cli_option; the
 * same table drives parsing and generates the verb's --help text, so the
 * two cannot drift apart (tests/cli/help-vs-man.sh also holds the manual to
 * them).  The grammar, the same in every verb (igvmkit(1), COMMON OPTIONS):
 *
 *   --name VALUE, --name=VALUE, -x VALUE, -xVALUE, -xy (flags bundled),
 *   "--" ends the options, "-" alone is an operand (standard input/output).
 *
 * Operands and options may be mixed.  -h/--help is implicit in every verb.
 * Usage errors are printed here as "igvmkit VERB: ..." (cli_usage()):
 * an unknown option (with "did you mean" from igk_closest_name()), a missing
 * value, a value given to a flag, and a single-value option given twice.
 */
#ifndef IGK_CLI_OPTIONS_H
#define IGK_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* cli_option.flags */
enum {
    CLI_REPEATABLE = 1u << 0,     /* may be given more than once; each is returned */
    CLI_OPTIONAL_VALUE = 1u << 1, /* the value only as --name=VALUE (value NULL without) */
};

struct cli_option {
    const char *name;       /* long name without "--"; NULL ends the table */
    char short_name;        /* 0: none; the same letter means the same in every verb */
    const char *value_name; /* NULL: a flag; else the value's name in --help */
    unsigned flags;
    int id;           /* returned by cli_next(); > 0 */
    const char *help; /* '\n' starts a continuation line */
};

/* Exit statuses a verb documents (enum igk_exit); see cli_command.exits. */
#define CLI_N_EXITS 7

struct cli_command {
    const char *verb;
    const char *usage; /* forms after "igvmkit VERB ", separated by '\n' */
    const char *about; /* paragraph(s) after the usage line */
    const struct cli_option *options;
    const char *more; /* text after the option list, or NULL */
    /*
     * exits[N]: NULL when the verb never returns N, else what N means for it
     * ("" for the general meaning only).  1 and 2 are listed for every verb.
     */
    const char *exits[CLI_N_EXITS];
    /* An option the table does not know: returns a usage status after
     * printing its own message, or 0 for the generic one.  May be NULL. */
    int (*on_unknown)(const char *verb, const char *arg);
};

/* cli_next() results besides an option id. */
enum {
    CLI_END = -1,  /* all arguments parsed: operands are in operands[0..n_operands) */
    CLI_STOP = -2, /* stop and return status (0 after --help, 2 after a usage error) */
};

struct cli_parser {
    const struct cli_command *cmd;
    int argc;
    char **argv;
    int next;            /* next argv index */
    const char *cluster; /* rest of a bundle of short flags */
    bool only_operands;  /* after "--" */
    uint64_t seen;       /* options given, by table index */
    /* After an option id: */
    const struct cli_option *option;
    const char *value; /* its value (NULL for a flag or an absent optional value) */
    /* After CLI_END: */
    char **operands; /* points into argv, which is reordered */
    int n_operands;
    /* After CLI_STOP: */
    int status;
};

/* argv[0] is the verb name. */
void cli_parser_init(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv);

/* The next option id, CLI_END or CLI_STOP. */
int cli_next(struct cli_parser *p);

/* Prints the generated --help text of cmd to stdout. */
void cli_print_help(const struct cli_command *cmd);

/*
 * Operand count check: "missing NAME" below min, "unexpected argument 'X'"
 * above max.  Returns 0 or IGK_EXIT_USAGE.
 */
int cli_operands(const struct cli_parser *p, int min, int max, const char *name);

/*
 * -o -: standard output.  For an output the verb writes through the output
 * set (file-output.h), "-" becomes /dev/stdout, which the set writes
 * through as a stream (a pipe, a device) or replaces atomically (a regular
 * file, which must then be opened at its start and not for appending); a
 * terminal is refused for binary output.  Returns the path to use, or NULL
 * after a usage error.
 */
const char *cli_output_path(const char *verb, const char *path, bool binary);

#endif /* IGK_CLI_OPTIONS_H */
