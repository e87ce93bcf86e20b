/* SPDX-License-Identifier: MIT */
/* Scalar value parsers and enum names for descriptors: see spec-private.h. */
#include <string.h>

#include "spec-private.h"
#include "util.h"

const char *igk_firmware_type_to_string(enum igk_firmware_type type)
{
    switch (type) {
    case IGK_FIRMWARE_OVMF:
        return "ovmf";
    case IGK_FIRMWARE_RAW:
        return "raw";
    case IGK_FIRMWARE_NONE:
        return "none";
    }
    return "unknown";
}

const char *igk_snp_vmm_to_string(enum igk_snp_vmm vmm)
{
    switch (vmm) {
    case IGK_SNP_VMM_QEMU:
        return "qemu";
    case IGK_SNP_VMM_EC2:
        return "ec2";
    case IGK_SNP_VMM_GCE:
        return "gce";
    }
    return "unknown";
}
