# lint/: loader rules (QEMU, cloud-hypervisor, OpenVMM) over an IGVM model.
# Depends on igvm/ only.
igvmkitinclude_HEADERS += lint/igvmkit/lint.h
libigvmkit_core_la_SOURCES += \
	lint/lint-private.h \
	lint/lint.c \
	lint/lint-qemu.c \
	lint/lint-other.c \
	lint/launch.c

check_PROGRAMS += tests/unit/test-lint
TESTS += tests/unit/test-lint
tests_unit_test_lint_SOURCES = tests/unit/test-lint.c
tests_unit_test_lint_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_lint_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/lint.sh tests/cli/launch.sh
EXTRA_DIST += tests/cli/lint.sh tests/cli/launch.sh

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-lint
tests_fuzz_fuzz_lint_SOURCES = tests/fuzz/fuzz-lint.c
tests_fuzz_fuzz_lint_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lint_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lint_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-lint.c \
	tests/fuzz/corpus/lint/minimal_snp_v1.igvm tests/fuzz/corpus/lint/native_vbs_v2.igvm

TESTS += tests/cli/lint-rules-doc.sh
EXTRA_DIST += tests/cli/lint-rules-doc.sh
