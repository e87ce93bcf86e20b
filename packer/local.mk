# packer/: struct igk_spec -> IGVM model (OVMF/TDVF, raw firmware, kernel hashes, VMSA).
igvmkitinclude_HEADERS += packer/igvmkit/pack.h
libigvmkit_core_la_SOURCES += \
	packer/ovmf.h packer/ovmf.c \
	packer/vmsa.h packer/vmsa.c \
	packer/kernel-hashes.h packer/kernel-hashes.c \
	packer/layout.h packer/layout.c \
	packer/pack-private.h packer/pack.c packer/pack-snp.c packer/pack-tdx.c \
	packer/pack-sev.c packer/pack-svsm.c \
	packer/pack-notes.c

check_PROGRAMS += tests/unit/test-ovmf
TESTS += tests/unit/test-ovmf
tests_unit_test_ovmf_SOURCES = tests/unit/test-ovmf.c
tests_unit_test_ovmf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_ovmf_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-pack
TESTS += tests/unit/test-pack
tests_unit_test_pack_SOURCES = tests/unit/test-pack.c
tests_unit_test_pack_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_pack_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-vmsa tests/unit/test-kernel-hashes
TESTS += tests/unit/test-vmsa tests/unit/test-kernel-hashes
tests_unit_test_vmsa_SOURCES = tests/unit/test-vmsa.c
tests_unit_test_vmsa_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_vmsa_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
tests_unit_test_kernel_hashes_SOURCES = tests/unit/test-kernel-hashes.c
tests_unit_test_kernel_hashes_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_kernel_hashes_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-ovmf-table
tests_fuzz_fuzz_ovmf_table_SOURCES = tests/fuzz/fuzz-ovmf-table.c
tests_fuzz_fuzz_ovmf_table_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_ovmf_table_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_ovmf_table_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-ovmf-table.c

# Descriptor + firmware + kernel through the whole pack (issue 12).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-pack
tests_fuzz_fuzz_pack_SOURCES = tests/fuzz/fuzz-pack.c
tests_fuzz_fuzz_pack_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pack_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pack_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-pack.c tests/fuzz/corpus/pack/raw-native tests/fuzz/corpus/pack/direct-snp \
	tests/fuzz/corpus/pack/ovmf-snp-tdx tests/fuzz/corpus/pack/README.md

TESTS += tests/cli/pack-golden.sh
EXTRA_DIST += tests/cli/pack-golden.sh

check_PROGRAMS += tests/unit/test-pack-notes
TESTS += tests/unit/test-pack-notes
tests_unit_test_pack_notes_SOURCES = tests/unit/test-pack-notes.c
tests_unit_test_pack_notes_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_pack_notes_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/pack-notes.sh
EXTRA_DIST += tests/cli/pack-notes.sh

# Packing benchmark (not run by make check): tests/bench/pack.sh BUILD_DIR [MIB...].
EXTRA_DIST += tests/bench/pack.sh
