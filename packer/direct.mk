# packer/: direct Linux boot (firmware type none): bzImage, boot_params, page tables.
libigvmkit_core_la_SOURCES += \
	packer/direct-boot.h packer/direct-boot.c
