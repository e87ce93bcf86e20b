/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the PE/COFF Authenticode parser (measure/pe.c) and
 * the kernel path of the RTMR prediction (QEMU setup-header patch, then
 * Authenticode of the patched copy).  The whole input is hashed as a PE
 * image; then its first 8 bytes choose the guest memory size and the rest
 * is the kernel, with a small fixed initrd.
 */
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/measure.h>

#include "le.h"
#include "pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t initrd[100] = {0x30, 0x37, 0x30, 0x37, 0x30, 0x31};
    struct igk_rtmr_prediction prediction;
    struct igk_error err;
    uint8_t digest[48];

    igk_pe_authenticode(data, size, IGK_PE_SHA384, digest, &err);
    igk_pe_authenticode(data, size, IGK_PE_SHA256, digest, &err);
    if (size >= 8) {
        uint64_t memory = igk_le64(data);
        igk_tdx_predict_rtmr(data + 8, size - 8, initrd, sizeof(initrd), "console=ttyS0",
                             memory, &prediction, &err);
        igk_tdx_predict_rtmr(data + 8, size - 8, NULL, 0, NULL, memory, &prediction, &err);
    }
    return 0;
}
