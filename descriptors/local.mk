# descriptors/: YAML guest descriptor -> validated struct igk_spec.
igvmkitinclude_HEADERS += descriptors/igvmkit/descriptor.h
libigvmkit_core_la_SOURCES += \
	descriptors/spec-private.h \
	descriptors/values.c \
	descriptors/vcpu-types.c \
	descriptors/spec.c
