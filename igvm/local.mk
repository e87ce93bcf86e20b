# igvm/: the IGVM format layer (model, reader, writer) and shared helpers.
igvmkitinclude_HEADERS += igvm/igvmkit/error.h igvm/igvmkit/igvm.h
libigvmkit_core_la_SOURCES += \
	igvm/le.h \
	igvm/util.h igvm/util.c \
	igvm/file-input.h igvm/file-input.c igvm/number.c igvm/suggest.c \
	igvm/file-output.h igvm/file-output.c \
	igvm/resource-limits.h igvm/resource-limits.c \
	igvm/json.h igvm/json.c \
	igvm/error.c \
	igvm/names.c \
	igvm/model-private.h igvm/model.c \
	igvm/codec.h igvm/codec.c \
	igvm/check.h igvm/check.c \
	igvm/reader.c \
	igvm/cursor.c \
	igvm/writer.c \
	igvm/held-input.h igvm/held-input.c igvm/model-build.h \
	igvm/write-file.c \
	igvm/dump.h igvm/dump.c igvm/dump-summary.c \
	igvm/memory-image.c \
	igvm/policy.c

# Sample IGVM files (tests/data/REFERENCE.md) used by the format tests.
EXTRA_DIST += \
	tests/data/snp_tdx_v1.igvm tests/data/minimal_snp_v1.igvm \
	tests/data/native_vbs_v2.igvm tests/data/cca_aarch64_v2.igvm \
	tests/data/no_file_data_v1.igvm tests/data/snp/snp_extras_idblock.igvm \
	tests/data/tdx/tdx_openvmm_test.igvm

check_PROGRAMS += tests/unit/test-igvm-roundtrip
TESTS += tests/unit/test-igvm-roundtrip
tests_unit_test_igvm_roundtrip_SOURCES = tests/unit/test-igvm-roundtrip.c
tests_unit_test_igvm_roundtrip_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_igvm_roundtrip_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# The input and output modules, the number parser and the limit table (issue 12).
check_PROGRAMS += tests/unit/test-file-io
TESTS += tests/unit/test-file-io
tests_unit_test_file_io_SOURCES = tests/unit/test-file-io.c cli/signals.c
tests_unit_test_file_io_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_file_io_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# Sizes by QEMU's -m rule (igk_parse_size).
check_PROGRAMS += tests/unit/test-size
TESTS += tests/unit/test-size
tests_unit_test_size_SOURCES = tests/unit/test-size.c
tests_unit_test_size_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_size_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# "Did you mean": the edit distance and closest-name rule.
check_PROGRAMS += tests/unit/test-suggest
TESTS += tests/unit/test-suggest
tests_unit_test_suggest_SOURCES = tests/unit/test-suggest.c
tests_unit_test_suggest_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_suggest_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# Hostile inputs and output rules through the CLI (issue 12).
TESTS += tests/cli/hostile.sh tests/cli/outputs.sh
EXTRA_DIST += tests/cli/hostile.sh tests/cli/outputs.sh tests/tools/make-firmware.py

# CLI tests of inspect (tests/tools/igvm-mutate.py writes the bad inputs).
TESTS += tests/cli/inspect.sh tests/cli/inspect-bad.sh tests/cli/extract.sh
EXTRA_DIST += tests/cli/inspect.sh tests/cli/inspect-bad.sh tests/cli/extract.sh \
	tests/tools/igvm-mutate.py

# libFuzzer targets: only with ../configure CC=clang --enable-fuzzing
# --enable-asan --enable-ubsan.  A target compiles the library sources it
# drives itself, with -fsanitize=fuzzer (coverage + libFuzzer's main()) on
# top of the sanitizers in AM_CFLAGS, and links only the external libraries:
# its coverage then never depends on how libigvmkit-core.la was built.  (When
# configure adds -fsanitize=fuzzer-no-link to every object, linking
# libigvmkit-core.la instead works as well.)  Other modules copy this block.
IGK_FUZZ_IGVM_SOURCES = \
	igvm/util.c igvm/file-input.c igvm/file-output.c igvm/number.c igvm/resource-limits.c \
	igvm/held-input.c igvm/write-file.c \
	igvm/json.c igvm/error.c igvm/names.c igvm/model.c igvm/codec.c \
	igvm/check.c igvm/reader.c igvm/cursor.c igvm/writer.c igvm/dump.c igvm/memory-image.c \
	igvm/policy.c igvm/dump-summary.c
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-igvm-read
tests_fuzz_fuzz_igvm_read_SOURCES = tests/fuzz/fuzz-igvm-read.c $(IGK_FUZZ_IGVM_SOURCES)
tests_fuzz_fuzz_igvm_read_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_igvm_read_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_igvm_read_LDADD = $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-igvm-read.c \
	tests/fuzz/corpus/igvm/minimal_snp_v1.igvm tests/fuzz/corpus/igvm/snp_tdx_v1.igvm \
	tests/fuzz/corpus/igvm/native_vbs_v2.igvm tests/fuzz/corpus/igvm/cca_aarch64_v2.igvm

check_PROGRAMS += tests/unit/test-igvm-rules
TESTS += tests/unit/test-igvm-rules
tests_unit_test_igvm_rules_SOURCES = tests/unit/test-igvm-rules.c
tests_unit_test_igvm_rules_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_igvm_rules_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-json
TESTS += tests/unit/test-json
tests_unit_test_json_SOURCES = tests/unit/test-json.c
tests_unit_test_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_json_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/inspect-summary.sh
EXTRA_DIST += tests/cli/inspect-summary.sh

# One policy form in every verb (igk_policy_format, igk_policy_hex).
TESTS += tests/cli/policy-format.sh
EXTRA_DIST += tests/cli/policy-format.sh
