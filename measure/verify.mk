# measure/: SEV-SNP ID block signing, attestation report / quote verification, loader lint.
igvmkitinclude_HEADERS += measure/igvmkit/sign.h
libigvmkit_core_la_SOURCES += \
	measure/sign.h \
	measure/sign-ec.c \
	measure/sign-psp.c \
	measure/sign.c

check_PROGRAMS += tests/unit/test-sign
TESTS += tests/unit/test-sign
tests_unit_test_sign_SOURCES = tests/unit/test-sign.c
tests_unit_test_sign_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_sign_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

libigvmkit_core_la_SOURCES += \
	measure/lint.h \
	measure/lint.c \
	measure/lint-qemu.c \
	measure/lint-other.c \
	measure/report.h \
	measure/report-snp.c \
	measure/report-tdx.c \
	measure/report-compare.c

check_PROGRAMS += tests/unit/test-lint
TESTS += tests/unit/test-lint
tests_unit_test_lint_SOURCES = tests/unit/test-lint.c
tests_unit_test_lint_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_lint_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/sign.sh tests/cli/verify.sh tests/cli/lint.sh
EXTRA_DIST += tests/cli/sign.sh tests/cli/verify.sh tests/cli/lint.sh
