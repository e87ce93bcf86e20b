# The igvmkit program: cli/ is the only code that prints or exits.
igvmkit_SOURCES += \
	cli/cli.h \
	cli/main.c \
	cli/signals.c \
	cli/load-model.h cli/load-model.c \
	cli/measure-report.h cli/measure-report.c \
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
# pack's progress line on a terminal (a pty from tests/tools/on-tty.py).
TESTS += tests/cli/progress.sh
EXTRA_DIST += tests/cli/progress.sh tests/tools/on-tty.py
