/* SPDX-License-Identifier: MIT */
/* Internal pieces of the RTMR prediction, exposed for the unit tests. */
#ifndef IGK_RTMR_INTERNAL_H
#define IGK_RTMR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

/* What QEMU's direct-boot patch did to the setup header. */
struct igk_qemu_kernel_patch {
    uint32_t protocol;       /* boot protocol version, 0 without "HdrS"  */
    uint32_t cmdline_addr;   /* cmd_line_ptr written                     */
    uint32_t initrd_max;     /* highest initrd byte address allowed      */
    uint32_t initrd_address; /* ramdisk_image written (0 without initrd) */
};

/*
 * Applies, to a private copy of the kernel (kernel_len bytes at *image,
 * which this function allocates), the setup-header changes QEMU's x86 Linux
 * loader makes before handing the kernel to the firmware through fw_cfg.
 */
int igk_qemu_patch_kernel(const uint8_t *kernel, size_t kernel_len, size_t initrd_len,
                          uint64_t memory, uint32_t acpi_data_size, uint8_t **ret_image,
                          struct igk_qemu_kernel_patch *ret_patch, struct igk_error *err);

#endif /* IGK_RTMR_INTERNAL_H */
