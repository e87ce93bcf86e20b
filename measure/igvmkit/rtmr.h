/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/rtmr.h> -- TDX RTMR1 / RTMR2 prediction for an OVMF (TDVF) direct
 * kernel boot: QEMU started with -bios OVMF.fd -kernel K [-initrd I]
 * [-append C] (tdx-measure.md §5).
 *
 * The firmware extends run-time measurement registers while it boots the
 * kernel; each RTMR starts as 48 zero bytes and every event folds in as
 *     RTMR = SHA-384(RTMR || event digest)          (TDG.MR.RTMR.EXTEND)
 *
 * RTMR1 (PCR 2..6 mapped by TDVF), five events:
 *   1. the Authenticode SHA-384 of the kernel image *as QEMU hands it to the
 *      firmware*: QEMU patches the Linux setup header for a direct boot
 *      (type_of_loader, loadflags CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr
 *      and, with an initrd, ramdisk_image / ramdisk_size).  ramdisk_image
 *      depends on the initrd size and on the guest memory size through the
 *      below-4 GiB RAM size of the q35 machine, so RTMR1 does too (memory
 *      below 0xB0000000 except exactly 2 GiB gives a different value; 2 GiB
 *      and every size from 0xB0000000 up give the same one);
 *   2. "Calling EFI Application from Boot Option"   (EV_EFI_ACTION)
 *   3. the separator, 4 zero bytes                  (EV_SEPARATOR)
 *   4. "Exit Boot Services Invocation"              (EV_EFI_ACTION)
 *   5. "Exit Boot Services Returned with Success"   (EV_EFI_ACTION)
 * RTMR2 (PCR 8..15), up to two events:
 *   1. the kernel command line as the firmware passes it to the kernel
 *      (LOADED_IMAGE::LoadOptions): UTF-16LE plus a UTF-16 NUL.  QEMU/OVMF
 *      append " initrd=initrd" to the user's command line whenever an initrd
 *      is given, and that suffixed string is what is measured; this function
 *      appends it itself, so pass the command line as given to -append.  An
 *      empty measured command line (no -append, no initrd) is not measured.
 *   2. SHA-384 of the initrd file, when there is one.
 * RTMR0 (firmware configuration, ACPI tables) and RTMR3 (left to the guest)
 * are not predicted.  The vCPU count enters neither register.
 */
#ifndef IGVMKIT_RTMR_H
#define IGVMKIT_RTMR_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IGK_RTMR_DIGEST_LEN 48
#define IGK_RTMR_MAX_EVENTS 8

/* The ACPI data size QEMU reserves below 4 GiB (pc/q35 machines since 2.x). */
#define IGK_TDX_ACPI_DATA_SIZE 0x28000u

struct igk_rtmr_event {
    const char *description; /* static text naming the event, e.g. "kernel (Authenticode)" */
    uint8_t digest[IGK_RTMR_DIGEST_LEN];
};

struct igk_rtmr_log {
    uint8_t value[IGK_RTMR_DIGEST_LEN]; /* the register after all events */
    unsigned n_events;
    struct igk_rtmr_event events[IGK_RTMR_MAX_EVENTS];
};

struct igk_rtmr_prediction {
    struct igk_rtmr_log rtmr1;
    struct igk_rtmr_log rtmr2;
    uint64_t memory;         /* guest memory size the prediction is for        */
    uint32_t initrd_address; /* ramdisk_image QEMU writes (0 without an initrd) */
    uint32_t boot_protocol;  /* Linux boot protocol version of the kernel       */
};

/*
 * Predicts RTMR1 and RTMR2 with their event logs.
 *   kernel/kernel_len: the bzImage file (an EFI-stub PE/COFF image);
 *   initrd/initrd_len: the initrd file, or NULL/0 for none;
 *   cmdline:           the command line given to QEMU's -append (NULL = none);
 *   memory:            guest RAM size in bytes (QEMU -m).
 * Returns 0; IGK_E_INVALID when the kernel is not a Linux bzImage with a
 * valid PE/COFF layout, is too old to take an initrd, the initrd does not
 * fit below the memory limit, or the command line is not 7-bit ASCII (OVMF
 * widens it byte by byte, so other text has no defined measurement);
 * IGK_E_USAGE for a zero memory size.
 */
IGK_PUBLIC int igk_tdx_predict_rtmr(const uint8_t *kernel, size_t kernel_len,
                                    const uint8_t *initrd, size_t initrd_len,
                                    const char *cmdline, uint64_t memory,
                                    struct igk_rtmr_prediction *ret, struct igk_error *err);

/*
 * The command line as TDVF measures it: cmdline plus " initrd=initrd" when
 * has_initrd.  Returns a malloc()ed string, or NULL when out of memory.
 */
IGK_PUBLIC char *igk_tdx_measured_cmdline(const char *cmdline, int has_initrd);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_RTMR_H */
