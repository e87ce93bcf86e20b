# measure/: reference-value exports (RVPS, CoRIM, in-toto, JSON), CBOR writer, TDX RTMR prediction.
libigvmkit_core_la_SOURCES += \
	measure/cbor.h measure/cbor.c

check_PROGRAMS += tests/unit/test-cbor
TESTS += tests/unit/test-cbor
tests_unit_test_cbor_SOURCES = tests/unit/test-cbor.c
tests_unit_test_cbor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_cbor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
