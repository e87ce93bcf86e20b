/* SPDX-License-Identifier: MIT */
/* Scalar value parsers and enum names for descriptors: see spec-private.h. */
#include <string.h>

#include "spec-private.h"
#include "util.h"

bool igk_parse_size(const char *s, uint64_t *ret)
{
    static const char suffixes[] = "KMGT";
    char digits[64];
    size_t n;
    unsigned shift = 0;
    uint64_t v;
    const char *p;

    if (!s)
        return false;
    n = strlen(s);
    if (n == 0 || n >= sizeof(digits))
        return false;
    p = strchr(suffixes, s[n - 1]);
    if (p && s[n - 1]) {
        shift = 10u * (unsigned)(p - suffixes + 1);
        n--;
    }
    memcpy(digits, s, n);
    digits[n] = '\0';
    if (!igk_parse_uint(digits, UINT64_MAX, &v))
        return false;
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *ret = v << shift;
    return true;
}

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
