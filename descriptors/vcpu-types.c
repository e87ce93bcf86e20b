/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP vCPU model names -> CPUID Fn0000_0001 EAX, the value QEMU puts in
 * the VMSA's RDX at reset.  The names and (family, model, stepping) triples
 * are QEMU's built-in models as sev-snp-measure lists them
 * (docs/firmware.md section 6.1).
 */
#include <string.h>

#include <igvmkit/descriptor.h>

#include "spec-private.h"

/*
 * CPUID 1 EAX encoding: a family above 0xF is base family 0xF plus the
 * extended family (family - 0xF) in bits 27:20; the model's high nibble goes
 * to 19:16, its low nibble to 7:4; stepping in 3:0 (docs/firmware.md §6.1).
 */
static uint32_t cpuid_signature(unsigned family, unsigned model, unsigned stepping)
{
    uint32_t base_family = family > 0xF ? 0xF : family;
    uint32_t ext_family = family > 0xF ? family - 0xF : 0;

    return (ext_family << 20) | ((model >> 4) << 16) | (base_family << 8) | ((model & 0xF) << 4) |
           (stepping & 0xF);
}

static const struct {
    const char *name;
    unsigned family, model, stepping;
} vcpu_types[] = {
    {"EPYC", 23, 1, 2},          {"EPYC-v1", 23, 1, 2},       {"EPYC-v2", 23, 1, 2},
    {"EPYC-v3", 23, 1, 2},       {"EPYC-v4", 23, 1, 2},       {"EPYC-IBPB", 23, 1, 2},
    {"EPYC-Rome", 23, 49, 0},    {"EPYC-Rome-v1", 23, 49, 0}, {"EPYC-Rome-v2", 23, 49, 0},
    {"EPYC-Rome-v3", 23, 49, 0}, {"EPYC-Milan", 25, 1, 1},    {"EPYC-Milan-v1", 25, 1, 1},
    {"EPYC-Milan-v2", 25, 1, 1}, {"EPYC-Genoa", 25, 17, 0},   {"EPYC-Genoa-v1", 25, 17, 0},
    {"EPYC-Turin", 26, 0, 0},
};

IGK_PUBLIC uint32_t igk_snp_vcpu_signature(const char *vcpu_type)
{
    if (!vcpu_type)
        return 0;
    for (size_t i = 0; i < sizeof(vcpu_types) / sizeof(vcpu_types[0]); i++)
        if (!strcmp(vcpu_types[i].name, vcpu_type))
            return cpuid_signature(vcpu_types[i].family, vcpu_types[i].model,
                                   vcpu_types[i].stepping);
    return 0;
}

const char *igk_snp_vcpu_type_name(size_t index)
{
    return index < sizeof(vcpu_types) / sizeof(vcpu_types[0]) ? vcpu_types[index].name : NULL;
}
