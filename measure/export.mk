# measure/: reference-value exports (RVPS, CoRIM, in-toto, JSON), CBOR writer, TDX RTMR prediction.
libigvmkit_core_la_SOURCES += \
	measure/cbor.h measure/cbor.c

check_PROGRAMS += tests/unit/test-cbor
TESTS += tests/unit/test-cbor
tests_unit_test_cbor_SOURCES = tests/unit/test-cbor.c
tests_unit_test_cbor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_cbor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# TDX RTMR1/RTMR2 prediction and the PE/COFF Authenticode digest it needs.
igvmkitinclude_HEADERS += measure/igvmkit/rtmr.h
libigvmkit_core_la_SOURCES += \
	measure/pe.h measure/pe.c \
	measure/rtmr-internal.h measure/rtmr-kernel.c \
	measure/rtmr.c

check_PROGRAMS += tests/unit/test-pe
TESTS += tests/unit/test-pe
tests_unit_test_pe_SOURCES = tests/unit/test-pe.c
tests_unit_test_pe_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_pe_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# test-rtmr fetches the reference Debian kernel into tests/cache (TAP skip
# when it cannot); the download is kept across 'make clean'.
check_PROGRAMS += tests/unit/test-rtmr
TESTS += tests/unit/test-rtmr
tests_unit_test_rtmr_SOURCES = tests/unit/test-rtmr.c
tests_unit_test_rtmr_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_rtmr_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
DISTCLEANFILES += tests/cache/vmlinuz-6.1.0-56-amd64

# Reference-value exports.
igvmkitinclude_HEADERS += measure/igvmkit/export.h
libigvmkit_core_la_SOURCES += \
	measure/export-private.h measure/export.c \
	measure/export-document.c measure/export-rvps.c measure/export-corim.c

TESTS += tests/cli/export.sh
EXTRA_DIST += tests/cli/export.sh tests/tools/cbor-decode.py

# libFuzzer target for the PE/COFF parser; pe.c and the RTMR code are built
# into it so that they carry the fuzzer's coverage instrumentation.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-pe
tests_fuzz_fuzz_pe_SOURCES = tests/fuzz/fuzz-pe.c measure/pe.c measure/rtmr.c measure/rtmr-kernel.c
tests_fuzz_fuzz_pe_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pe_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pe_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-pe.c

check_PROGRAMS += tests/unit/test-export
TESTS += tests/unit/test-export
tests_unit_test_export_SOURCES = tests/unit/test-export.c
tests_unit_test_export_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_export_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/rtmr.sh
EXTRA_DIST += tests/cli/rtmr.sh

# The initrd of the RTMR reference values (tests/data/REFERENCE.md); used by
# test-rtmr and tests/cli/rtmr.sh.
EXTRA_DIST += tests/data/tdx/tdx_initrd.bin
