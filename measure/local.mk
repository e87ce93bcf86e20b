# measure/: launch digests from an IGVM model (SEV-SNP, SEV-ES, TDX MRTD, VBS)
# and the TDX RTMR prediction of a launch.  Depends on igvm/ only.
igvmkitinclude_HEADERS += measure/igvmkit/measure.h
libigvmkit_core_la_SOURCES += \
	measure/measure-private.h \
	measure/measure.c \
	measure/walk.c \
	measure/snp.c \
	measure/page-pipeline.h measure/page-pipeline.c \
	measure/tdx.c measure/tdx-gpa.h measure/tdx-gpa.c measure/gpa-set.h measure/gpa-set.c \
	measure/stream-thread.h measure/stream-thread.c \
	measure/sev-es.c \
	measure/vbs.c \
	measure/idblock.h measure/idblock.c \
	measure/pe.h measure/pe.c \
	measure/rtmr-internal.h measure/rtmr-kernel.c \
	measure/rtmr.c \
	measure/variant.c

check_PROGRAMS += tests/unit/test-measure
TESTS += tests/unit/test-measure
tests_unit_test_measure_SOURCES = tests/unit/test-measure.c
tests_unit_test_measure_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_measure_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# The hashing helpers (internal headers).
check_PROGRAMS += tests/unit/test-pipelines
TESTS += tests/unit/test-pipelines
tests_unit_test_pipelines_SOURCES = tests/unit/test-pipelines.c
tests_unit_test_pipelines_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_pipelines_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-gpa-set
TESTS += tests/unit/test-gpa-set
tests_unit_test_gpa_set_SOURCES = tests/unit/test-gpa-set.c
tests_unit_test_gpa_set_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_gpa_set_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-idblock
TESTS += tests/unit/test-idblock
tests_unit_test_idblock_SOURCES = tests/unit/test-idblock.c
tests_unit_test_idblock_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_idblock_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

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

# CLI tests of the measure and explain verbs (golden values from tests/data/REFERENCE.md).
TESTS += tests/cli/measure.sh tests/cli/explain.sh tests/cli/measure-large.sh tests/cli/rtmr.sh
EXTRA_DIST += tests/cli/measure.sh tests/cli/explain.sh tests/cli/measure-large.sh tests/cli/rtmr.sh

# The SEV family and sev-snp-measure's options (cases.tsv: every case of its suite).
TESTS += tests/cli/sev-snp-measure.sh tests/cli/sev-family.sh tests/cli/sev-snp-measure-io.sh
EXTRA_DIST += tests/cli/sev-snp-measure.sh tests/cli/sev-family.sh tests/cli/sev-snp-measure-io.sh \
	tests/data/sev-snp-measure/README.md tests/data/sev-snp-measure/cases.tsv \
	tests/data/sev-snp-measure/ovmf_AmdSev_suffix.bin \
	tests/data/sev-snp-measure/ovmf_OvmfX64_suffix.bin \
	tests/data/sev-snp-measure/svsm.bin.gz \
	tests/data/sev-snp-measure/svsm_ovmf_suffix.bin

# The initrd of the RTMR reference values (tests/data/REFERENCE.md); used by
# test-rtmr and tests/cli/rtmr.sh.
EXTRA_DIST += tests/data/tdx/tdx_initrd.bin

# Benchmark (not run by make check): tests/bench/run.sh BUILD_DIR [MIB].
EXTRA_DIST += tests/bench/run.sh tests/bench/gen-igvm.py tests/bench/gen-sparse.py \
	tests/bench/sample.py

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-measure
tests_fuzz_fuzz_measure_SOURCES = tests/fuzz/fuzz-measure.c
tests_fuzz_fuzz_measure_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_measure_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_measure_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# pe.c and the RTMR code are built into the PE target so that they carry the
# fuzzer's coverage instrumentation.
noinst_PROGRAMS += tests/fuzz/fuzz-pe
tests_fuzz_fuzz_pe_SOURCES = tests/fuzz/fuzz-pe.c measure/pe.c measure/rtmr.c measure/rtmr-kernel.c
tests_fuzz_fuzz_pe_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pe_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pe_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-measure.c tests/fuzz/fuzz-pe.c

# The mismatch assistant and explain --json.
TESTS += tests/cli/explain-assist.sh
EXTRA_DIST += tests/cli/explain-assist.sh

# The TDX page orders of the loader profiles with Debian's OVMF.fd.
TESTS += tests/cli/mrtd-order.sh
EXTRA_DIST += tests/cli/mrtd-order.sh

# --vcpus below the file's VMSA count (issue 15).
TESTS += tests/cli/vcpus-below.sh
EXTRA_DIST += tests/cli/vcpus-below.sh
