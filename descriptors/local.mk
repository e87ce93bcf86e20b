# descriptors/: YAML guest descriptor -> validated struct igk_spec.
igvmkitinclude_HEADERS += descriptors/igvmkit/descriptor.h
