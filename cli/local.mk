# The igvmkit program: cli/ is the only code that prints or exits.
igvmkit_SOURCES += \
	cli/cli.h \
	cli/main.c \
	cli/options.h cli/options.c \
	cli/signals.c \
	cli/load-model.h cli/load-model.c \
	cli/measure-report.h cli/measure-report.c \
	cli/launch-hint.h cli/launch-hint.c cli/variant.c \
	cli/measure-options.c \
	cli/measure-compat.c \
	cli/pack-notes.h cli/pack-notes.c \
	cli/verb-inspect.c \
	cli/verb-extract.c cli/sparse-file.h cli/sparse-file.c \
	cli/progress.h cli/progress.c \
	cli/verb-measure.c \
	cli/verb-explain.c \
	cli/verb-pack.c \
	cli/verb-sign.c \
	cli/verb-export.c \
	cli/verb-verify.c \
	cli/verify-tdx.h cli/verify-tdx.c \
	cli/verb-eventlog.c \
	cli/verb-lint.c \
	cli/verb-launch.c

# extract: sparse region files and the size report.
TESTS += tests/cli/extract-sparse.sh
EXTRA_DIST += tests/cli/extract-sparse.sh

# One CLI grammar: --help of every verb against igvmkit(1); the parser's error texts.
TESTS += tests/cli/help-vs-man.sh tests/cli/grammar.sh
EXTRA_DIST += tests/cli/help-vs-man.sh tests/cli/grammar.sh

# The option parser alone (cli_usage() is the test's own).
check_PROGRAMS += tests/unit/test-options
TESTS += tests/unit/test-options
tests_unit_test_options_SOURCES = tests/unit/test-options.c cli/options.c cli/options.h
tests_unit_test_options_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/cli
tests_unit_test_options_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# Text output within 100 columns, with its documented exceptions.
TESTS += tests/cli/columns.sh
EXTRA_DIST += tests/cli/columns.sh

# pack's progress line on a terminal (a pty from tests/tools/on-tty.py).
TESTS += tests/cli/progress.sh
EXTRA_DIST += tests/cli/progress.sh tests/tools/on-tty.py
