# igvm/: the IGVM format layer (model, reader, writer) and shared helpers.
igvmkitinclude_HEADERS += igvm/igvmkit/error.h igvm/igvmkit/igvm.h
libigvmkit_core_la_SOURCES += \
	igvm/le.h \
	igvm/util.h igvm/util.c \
	igvm/json.h igvm/json.c \
	igvm/error.c \
	igvm/names.c \
	igvm/model-private.h igvm/model.c \
	igvm/codec.h igvm/codec.c \
	igvm/check.h igvm/check.c \
	igvm/reader.c \
	igvm/writer.c \
	igvm/dump.h igvm/dump.c \
	igvm/memory-image.c

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

# CLI tests of inspect (tests/tools/igvm-mutate.py writes the bad inputs).
TESTS += tests/cli/inspect.sh tests/cli/inspect-bad.sh tests/cli/extract.sh
EXTRA_DIST += tests/cli/inspect.sh tests/cli/inspect-bad.sh tests/cli/extract.sh \
	tests/tools/igvm-mutate.py
