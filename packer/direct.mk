# packer/: direct Linux boot (firmware type none): bzImage, boot_params, page tables.
libigvmkit_core_la_SOURCES += \
	packer/direct-boot.h packer/direct-boot.c \
	packer/input-hash.h packer/input-hash.c
libigvmkit_core_la_SOURCES += \
	packer/bzimage.h packer/bzimage.c

check_PROGRAMS += tests/unit/test-bzimage
TESTS += tests/unit/test-bzimage
tests_unit_test_bzimage_SOURCES = tests/unit/test-bzimage.c
tests_unit_test_bzimage_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_bzimage_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-bzimage
# bzimage.c is compiled into the target so that it carries the coverage instrumentation.
tests_fuzz_fuzz_bzimage_SOURCES = tests/fuzz/fuzz-bzimage.c packer/bzimage.c
tests_fuzz_fuzz_bzimage_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_bzimage_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_bzimage_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-bzimage.c
libigvmkit_core_la_SOURCES += \
	packer/linux-direct.h packer/pagetables.c packer/reset-stub.c \
	packer/linux-boot-params.c packer/linux-snp.c \
	packer/direct-labels.h packer/direct-labels.c packer/linux-mptable.c \
	packer/linux-acpi.c

check_PROGRAMS += tests/unit/test-direct
TESTS += tests/unit/test-direct
tests_unit_test_direct_SOURCES = tests/unit/test-direct.c
tests_unit_test_direct_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_direct_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/direct-pack.sh
EXTRA_DIST += tests/cli/direct-pack.sh tests/tools/snp-digest.py

# QEMU boot of a direct-boot IGVM (skips without qemu, busybox or the kernel).
TESTS += tests/boot/direct-boot.sh
EXTRA_DIST += tests/boot/direct-boot.sh tests/tools/igvm-regions.py
DISTCLEANFILES += tests/cache/vmlinuz-6.1.0-56-amd64

# Large direct-boot guests: header budget, prevalidation default, limits.
TESTS += tests/cli/direct-large.sh
EXTRA_DIST += tests/cli/direct-large.sh tests/tools/make-bzimage.py

# Bad input while packing: an input that changes (LD_PRELOAD shim), a full disk.
check_LTLIBRARIES = tests/lib/libchange-input.la
tests_lib_libchange_input_la_SOURCES = tests/lib/change-input.c
tests_lib_libchange_input_la_CFLAGS = $(AM_CFLAGS) -fno-sanitize=all
tests_lib_libchange_input_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_lib_libchange_input_la_LIBADD = -ldl
TESTS += tests/cli/pack-bad-io.sh
EXTRA_DIST += tests/cli/pack-bad-io.sh
