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

check_PROGRAMS += tests/unit/test-report
TESTS += tests/unit/test-report
tests_unit_test_report_SOURCES = tests/unit/test-report.c
tests_unit_test_report_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_report_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/sign.sh tests/cli/verify.sh tests/cli/verify-rtmr.sh tests/cli/lint.sh
EXTRA_DIST += tests/cli/sign.sh tests/cli/verify.sh tests/cli/verify-rtmr.sh tests/cli/lint.sh

# libFuzzer targets for the evidence parsers and the lint rules (see igvm/local.mk).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-evidence tests/fuzz/fuzz-lint
tests_fuzz_fuzz_evidence_SOURCES = tests/fuzz/fuzz-evidence.c
tests_fuzz_fuzz_evidence_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_evidence_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_evidence_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
tests_fuzz_fuzz_lint_SOURCES = tests/fuzz/fuzz-lint.c
tests_fuzz_fuzz_lint_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lint_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lint_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-evidence.c tests/fuzz/fuzz-lint.c \
	tests/fuzz/corpus/evidence/snp-report-v2.bin tests/fuzz/corpus/evidence/tdx-quote-v4.bin \
	tests/fuzz/corpus/lint/minimal_snp_v1.igvm tests/fuzz/corpus/lint/native_vbs_v2.igvm
