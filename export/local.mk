# export/: reference-value documents (measurement JSON, Trustee RVPS, unsigned
# CoRIM in CBOR, in-toto) built from measurements.  Depends on igvm/ and
# measure/.
igvmkitinclude_HEADERS += export/igvmkit/export.h
libigvmkit_core_la_SOURCES += \
	export/export-private.h export/export.c \
	export/export-document.c export/export-rvps.c export/export-corim.c \
	export/cbor.h export/cbor.c

check_PROGRAMS += tests/unit/test-cbor
TESTS += tests/unit/test-cbor
tests_unit_test_cbor_SOURCES = tests/unit/test-cbor.c
tests_unit_test_cbor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_cbor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-export
TESTS += tests/unit/test-export
tests_unit_test_export_SOURCES = tests/unit/test-export.c
tests_unit_test_export_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_export_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/export.sh
EXTRA_DIST += tests/cli/export.sh tests/tools/cbor-decode.py
