/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the igvmkit program.  The CLI is the only code that
 * prints or exits; it maps library error codes onto the documented exit
 * statuses (igvmkit(1), EXIT STATUS):
 */
#ifndef IGK_CLI_H
#define IGK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <igvmkit/error.h>
#include <igvmkit/lint.h>
#include <igvmkit/measure.h>

enum igk_exit {
    IGK_EXIT_OK = 0,
    IGK_EXIT_INTERNAL = 1,
    IGK_EXIT_USAGE = 2,
    IGK_EXIT_INVALID = 3,
    IGK_EXIT_MISMATCH = 4,
    IGK_EXIT_UNSUPPORTED = 5,
    IGK_EXIT_IO = 6,
};

/* A verb: runs with argv[0] = verb name; returns an exit status. */
struct cli_verb {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/*
 * Prints "igvmkit: error: <formatted error>" to stderr and returns the exit
 * status for err->code.
 */
int cli_fail(const struct igk_error *err);

/* Prints "igvmkit: error: <message>" and returns status. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Usage error of a verb: prints "igvmkit VERB: <message>" and
 * "Try 'igvmkit VERB --help'." to stderr; returns IGK_EXIT_USAGE.
 */
int cli_usage(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a platform name (sev-snp/snp, tdx, native, sev-es, sev, vbs, cca); -1 if unknown. */
int cli_parse_platform(const char *name);

/* Parses an unsigned decimal or 0x-hex number; false if malformed or out of range. */
bool cli_parse_u64(const char *s, unsigned long long max, unsigned long long *ret);

/* A memory size by QEMU's -m rule (igk_parse_size(): a bare number is MiB,
 * units B, K, M, G, T in any case); not 0. */
bool cli_parse_size(const char *s, uint64_t *ret);

/* Whether a guest memory size (--memory) is within the descriptor's limit 'memory' (16 TiB). */
bool cli_memory_within_limit(uint64_t bytes);

/*
 * Option values of the measuring verbs (cli/measure-options.c).  Each returns
 * 0, or prints a usage error for verb and returns IGK_EXIT_USAGE.
 * cli_parse_measure_platform stores -1 for "all".
 */
int cli_parse_measure_platform(const char *verb, const char *name, int *ret);
int cli_parse_loader(const char *verb, const char *name, enum igk_loader *ret);
int cli_parse_vcpus(const char *verb, const char *s, unsigned *ret);

/*
 * --platform of any verb: the names and aliases of cli_parse_platform(), the
 * same message everywhere.  allowed: CLI_PLATFORM_BIT(p) of each platform the
 * verb applies to, CLI_PLATFORM_ALL when "all" is taken (stored as -1).
 */
#define CLI_PLATFORM_BIT(p) (1u << (unsigned)(p))
#define CLI_PLATFORM_ALL (1u << 31)
#define CLI_PLATFORMS_ANY 0x7fu /* every enum igk_platform_type */
int cli_parse_platform_in(const char *verb, const char *name, unsigned allowed, int *ret);

/* --loader/--check-loader naming a program (enum igk_lint_loader); allowed: bit per loader. */
int cli_parse_lint_loader(const char *verb, const char *option, const char *name, unsigned allowed,
                          enum igk_lint_loader *ret);

/* "igvmkit VERB: OPTION: unknown KIND 'VALUE'; did you mean 'X'? (expected EXPECTED)". */
int cli_unknown_choice(const char *verb, const char *option, const char *kind, const char *value,
                       const char *const *names, size_t n, const char *expected);

/*
 * The mismatch assistant's finding (cli/variant.c), "it is the qemu-classic
 * digest with --vcpus 4", as `explain --expect` and `verify` print it; they
 * try vCPU counts up to CLI_VARIANT_MAX_VCPUS.
 */
#define CLI_VARIANT_MAX_VCPUS 64u
void cli_describe_variant(const struct igk_measure_variant *v, char *buf, size_t size);

/*
 * measure with sev-snp-measure's options (cli/measure-compat.c):
 * cli_measure_is_compat() says whether argv uses any of them.
 */
bool cli_measure_is_compat(int argc, char **argv);
bool cli_measure_is_compat_option(const char *arg);
int cli_measure_compat(int argc, char **argv);

/* SIGINT/SIGTERM/SIGHUP/SIGBUS handling (cli/signals.c); called once by main(). */
void cli_install_signal_handlers(void);

/* Writes a whole buffer to stdout; returns IGK_EXIT_IO on failure. */
int cli_write_stdout(const char *text, size_t len);

/* The verbs (cli/verb-*.c). */
int verb_inspect(int argc, char **argv);
int verb_extract(int argc, char **argv);
int verb_measure(int argc, char **argv);
int verb_explain(int argc, char **argv);
int verb_pack(int argc, char **argv);
int verb_sign(int argc, char **argv);
int verb_export(int argc, char **argv);
int verb_verify(int argc, char **argv);
int verb_lint(int argc, char **argv);
int verb_launch(int argc, char **argv);
int verb_eventlog(int argc, char **argv);

/*
 * Reads a TD event log (cli/verb-eventlog.c): the whole file, or the log
 * area length a CCEL table states when ccel_table is not NULL.  On success
 * *ret_buf holds the bytes log points into (free both).  err->path is set.
 */
struct igk_event_log;
int cli_load_event_log(const char *path, const char *ccel_table, uint8_t **ret_buf,
                       struct igk_event_log *log, struct igk_error *err);

#endif /* IGK_CLI_H */
