# packer/: direct Linux boot (firmware type none): bzImage, boot_params, page tables.
