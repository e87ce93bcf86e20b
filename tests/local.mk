# Test harness shared by every module; modules add their own tests in their
# local.mk (unit programs in tests/unit/, TAP shell scripts in tests/cli/).
EXTRA_DIST += tests/tap.h tests/cli/lib.sh tests/lib/fetch-kernel.sh tests/lib/make-initrd.sh \
	tests/data/REFERENCE.md

# The one-way module order (docs/architecture.md), checked by scanning includes.
TESTS += tests/layering.sh
EXTRA_DIST += tests/layering.sh

# Comments cite only documents that are in this repository (docs/, README.md...).
TESTS += tests/doc-citations.sh
EXTRA_DIST += tests/doc-citations.sh

# The C examples of examples/c/ and libigvmkit(3), built and run against the
# installed library through pkg-config.
TESTS += tests/cli/examples-c.sh
EXTRA_DIST += tests/cli/examples-c.sh examples/c/README.md examples/c/read-validate.c \
	examples/c/measure.c examples/c/pack.c examples/c/verify-report.c

# Release functions take NULL and zeroed objects (libigvmkit(3), Ownership).
check_PROGRAMS += tests/unit/test-release-null
TESTS += tests/unit/test-release-null
tests_unit_test_release_null_SOURCES = tests/unit/test-release-null.c
tests_unit_test_release_null_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_release_null_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
