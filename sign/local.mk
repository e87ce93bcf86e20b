# sign/: SEV-SNP ID blocks and their keys, signed locally or through a
# detached signer.  Depends on igvm/ and measure/ (the ID-block primitives
# that measure/ needs to check an ID block live in measure/idblock.c).
igvmkitinclude_HEADERS += sign/igvmkit/sign.h
libigvmkit_core_la_SOURCES += \
	sign/sign-private.h \
	sign/sign-ec.c \
	sign/sign-psp.c \
	sign/sign.c

check_PROGRAMS += tests/unit/test-sign
TESTS += tests/unit/test-sign
tests_unit_test_sign_SOURCES = tests/unit/test-sign.c
tests_unit_test_sign_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_sign_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/sign.sh
EXTRA_DIST += tests/cli/sign.sh
