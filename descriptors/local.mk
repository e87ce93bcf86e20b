# descriptors/: YAML guest descriptor -> validated struct igk_spec.
igvmkitinclude_HEADERS += descriptors/igvmkit/descriptor.h
libigvmkit_core_la_SOURCES += \
	descriptors/spec-private.h \
	descriptors/values.c \
	descriptors/vcpu-types.c \
	descriptors/spec.c

check_PROGRAMS += tests/unit/test-descriptor
TESTS += tests/unit/test-descriptor
tests_unit_test_descriptor_SOURCES = tests/unit/test-descriptor.c
tests_unit_test_descriptor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_descriptor_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
