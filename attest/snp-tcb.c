/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP product lines and TCB versions (see <igvmkit/attest.h>).
 *
 * Product from CPUID: AMD SEV-SNP firmware ABI, ATTESTATION_REPORT fields
 * CPUID_FAM_ID / CPUID_MOD_ID (report version 3+), with the family and model
 * numbers of AMD's processor programming references: EPYC 7003 "Milan" is
 * family 19h models 00h-0Fh, EPYC 9004 "Genoa" (and Bergamo, Siena) family
 * 19h models 10h-1Fh and A0h-AFh, EPYC 9005 "Turin" family 1Ah models
 * 00h-1Fh.
 *
 * TCB_VERSION: AMD SEV-SNP firmware ABI, "TCB_VERSION Structure" (one
 * layout for families 19h and older, another for family 1Ah that adds the
 * FMC SVN in byte 0 and moves the others down).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/attest.h>

static const char *const product_names[] = {
    [IGK_AMD_PRODUCT_UNKNOWN] = "unknown",
    [IGK_AMD_MILAN] = "Milan",
    [IGK_AMD_GENOA] = "Genoa",
    [IGK_AMD_TURIN] = "Turin",
};

const char *igk_amd_product_name(enum igk_amd_product product)
{
    if (product < IGK_AMD_PRODUCT_UNKNOWN || product > IGK_AMD_TURIN)
        return "unknown";
    return product_names[product];
}

enum igk_amd_product igk_amd_product_from_name(const char *name)
{
    /* "SEV-VLEK-Milan" (ASVK), "SEV-Milan" (ASK), "ARK-Milan", "Milan-B0" (VCEK productName) */
    static const char *const prefixes[] = {"SEV-VLEK-", "SEV-", "ARK-"};

    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i]))) {
            name += strlen(prefixes[i]);
            break;
        }
    for (int p = IGK_AMD_MILAN; p <= IGK_AMD_TURIN; p++) {
        size_t n = strlen(product_names[p]);

        if (!strncmp(name, product_names[p], n) && (name[n] == 0 || name[n] == '-'))
            return (enum igk_amd_product)p;
    }
    return IGK_AMD_PRODUCT_UNKNOWN;
}

enum igk_amd_product igk_snp_report_product(const struct igk_snp_report *r)
{
    if (r->version < 3)
        return IGK_AMD_PRODUCT_UNKNOWN;
    if (r->cpuid_family == 0x19) {
        if (r->cpuid_model <= 0x0F)
            return IGK_AMD_MILAN;
        if (r->cpuid_model <= 0x1F || (r->cpuid_model >= 0xA0 && r->cpuid_model <= 0xAF))
            return IGK_AMD_GENOA;
    } else if (r->cpuid_family == 0x1A && r->cpuid_model <= 0x1F) {
        return IGK_AMD_TURIN;
    }
    return IGK_AMD_PRODUCT_UNKNOWN;
}

void igk_snp_tcb_decode(uint64_t tcb, enum igk_amd_product product, struct igk_snp_tcb *t)
{
    memset(t, 0, sizeof(*t));
    if (product == IGK_AMD_TURIN) {
        t->has_fmc = true;
        t->fmc = (uint8_t)tcb;
        t->bootloader = (uint8_t)(tcb >> 8);
        t->tee = (uint8_t)(tcb >> 16);
        t->snp = (uint8_t)(tcb >> 24);
    } else {
        t->bootloader = (uint8_t)tcb;
        t->tee = (uint8_t)(tcb >> 8);
        t->snp = (uint8_t)(tcb >> 48);
    }
    t->microcode = (uint8_t)(tcb >> 56);
}

void igk_snp_tcb_format(const struct igk_snp_tcb *t, char *out, size_t size)
{
    char fmc[16] = "";

    if (t->has_fmc)
        snprintf(fmc, sizeof(fmc), "fmc=%u ", t->fmc);
    snprintf(out, size, "%sbl=%u tee=%u snp=%u ucode=%u", fmc, t->bootloader, t->tee, t->snp,
             t->microcode);
}

int igk_snp_tcb_parse(const char *text, struct igk_snp_tcb *ret, struct igk_error *err)
{
    static const char *const keys[] = {"bl", "tee", "snp", "ucode", "fmc"};
    unsigned seen = 0;
    const char *p = text;

    memset(ret, 0, sizeof(*ret));
    while (*p) {
        size_t klen = strcspn(p, "=,");
        unsigned long v;
        char *end;
        size_t k;

        for (k = 0; k < 5; k++)
            if (strlen(keys[k]) == klen && !strncmp(p, keys[k], klen))
                break;
        if (k == 5 || p[klen] != '=' || (seen & (1u << k)))
            goto bad;
        p += klen + 1;
        if (*p < '0' || *p > '9')
            goto bad;
        v = strtoul(p, &end, 0);
        if (v > 255 || (*end && *end != ','))
            goto bad;
        seen |= 1u << k;
        switch (k) {
        case 0:
            ret->bootloader = (uint8_t)v;
            break;
        case 1:
            ret->tee = (uint8_t)v;
            break;
        case 2:
            ret->snp = (uint8_t)v;
            break;
        case 3:
            ret->microcode = (uint8_t)v;
            break;
        default:
            ret->fmc = (uint8_t)v;
            ret->has_fmc = true;
            break;
        }
        p = *end ? end + 1 : end;
        if (*end && !*p)
            goto bad;
    }
    if ((seen & 15) == 15)
        return 0;
bad:
    return igk_error_set(err, IGK_E_USAGE,
                         "'%s' is not a TCB (bl=N,tee=N,snp=N,ucode=N[,fmc=N], each 0..255)", text);
}
