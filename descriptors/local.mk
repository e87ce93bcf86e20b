# descriptors/: YAML guest descriptor -> validated struct igk_spec.
igvmkitinclude_HEADERS += descriptors/igvmkit/descriptor.h
libigvmkit_core_la_SOURCES += \
	descriptors/spec-private.h \
	descriptors/values.c \
	descriptors/vcpu-types.c \
	descriptors/spec.c
# Provenance for 'pack --provenance' (lives in packer/, listed here by agreement).
libigvmkit_core_la_SOURCES += packer/provenance.h packer/provenance.c

check_PROGRAMS += tests/unit/test-descriptor
TESTS += tests/unit/test-descriptor
tests_unit_test_descriptor_SOURCES = tests/unit/test-descriptor.c
tests_unit_test_descriptor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_descriptor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-descriptor-provenance
TESTS += tests/unit/test-descriptor-provenance
tests_unit_test_descriptor_provenance_SOURCES = tests/unit/test-descriptor-provenance.c
tests_unit_test_descriptor_provenance_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_descriptor_provenance_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/descriptor-errors.sh tests/cli/pack.sh tests/cli/pack-errors.sh \
	tests/cli/pack-examples.sh
EXTRA_DIST += tests/cli/descriptor-errors.sh tests/cli/pack.sh tests/cli/pack-errors.sh \
	tests/cli/pack-examples.sh
# Inputs of the pack tests and the SNP example (tests/data/REFERENCE.md).
EXTRA_DIST += tests/data/snp/snp_fw_kh.fd tests/data/snp/snp_kernel.bin tests/data/snp/snp_initrd.bin
# The examples (run by tests/cli/pack-examples.sh).
EXTRA_DIST += examples/README.md examples/run.sh examples/tee-node/guest.yaml \
	examples/snp-kernel-hashes/guest.yaml

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-descriptor
tests_fuzz_fuzz_descriptor_SOURCES = tests/fuzz/fuzz-descriptor.c
tests_fuzz_fuzz_descriptor_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_descriptor_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_descriptor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-descriptor.c tests/fuzz/corpus/descriptor/sev-family.yaml

# QEMU boot of Debian's OVMF out of a packed IGVM (skips without qemu, ovmf, the kernel).
TESTS += tests/boot/ovmf-boot.sh
EXTRA_DIST += tests/boot/ovmf-boot.sh

# Sizes (QEMU's -m rule), packer refusals with line:column, descriptors in every verb.
TESTS += tests/cli/sizes.sh tests/cli/pack-value-errors.sh tests/cli/descriptor-verbs.sh
EXTRA_DIST += tests/cli/sizes.sh tests/cli/pack-value-errors.sh tests/cli/descriptor-verbs.sh
