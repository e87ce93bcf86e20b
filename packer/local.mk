# packer/: struct igk_spec -> IGVM model (OVMF/TDVF, raw firmware, kernel hashes, VMSA).
igvmkitinclude_HEADERS += packer/igvmkit/pack.h
