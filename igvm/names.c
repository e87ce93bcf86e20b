/* SPDX-License-Identifier: MIT */
/* Names of header types and platforms (docs/igvm-format.md sections 3.3 and 4.1). */
#include <string.h>

#include <igvmkit/igvm.h>

#include "util.h"

static const struct {
    uint32_t type;
    const char *name;
} header_names[] = {
    {IGK_VHT_SUPPORTED_PLATFORM, "SUPPORTED_PLATFORM"},
    {IGK_VHT_GUEST_POLICY, "GUEST_POLICY"},
    {IGK_VHT_RELOCATABLE_REGION, "RELOCATABLE_REGION"},
    {IGK_VHT_PAGE_TABLE_RELOCATION_REGION, "PAGE_TABLE_RELOCATION_REGION"},
    {IGK_VHT_CORIM_DOCUMENT, "CORIM_DOCUMENT"},
    {IGK_VHT_CORIM_SIGNATURE, "CORIM_SIGNATURE"},
    {IGK_VHT_CCA_POLICY, "CCA_POLICY"},
    {IGK_VHT_PARAMETER_AREA, "PARAMETER_AREA"},
    {IGK_VHT_PAGE_DATA, "PAGE_DATA"},
    {IGK_VHT_PARAMETER_INSERT, "PARAMETER_INSERT"},
    {IGK_VHT_VP_CONTEXT, "VP_CONTEXT"},
    {IGK_VHT_REQUIRED_MEMORY, "REQUIRED_MEMORY"},
    {IGK_VHT_RESERVED_306, "RESERVED_306"},
    {IGK_VHT_VP_COUNT_PARAMETER, "VP_COUNT_PARAMETER"},
    {IGK_VHT_SRAT, "SRAT"},
    {IGK_VHT_MADT, "MADT"},
    {IGK_VHT_MMIO_RANGES, "MMIO_RANGES"},
    {IGK_VHT_SNP_ID_BLOCK, "SNP_ID_BLOCK"},
    {IGK_VHT_MEMORY_MAP, "MEMORY_MAP"},
    {IGK_VHT_ERROR_RANGE, "ERROR_RANGE"},
    {IGK_VHT_COMMAND_LINE, "COMMAND_LINE"},
    {IGK_VHT_SLIT, "SLIT"},
    {IGK_VHT_PPTT, "PPTT"},
    {IGK_VHT_VBS_MEASUREMENT, "VBS_MEASUREMENT"},
    {IGK_VHT_DEVICE_TREE, "DEVICE_TREE"},
    {IGK_VHT_ENVIRONMENT_INFO_PARAMETER, "ENVIRONMENT_INFO_PARAMETER"},
};

IGK_PUBLIC const char *igk_header_type_name(uint32_t type)
{
    for (size_t i = 0; i < IGK_ARRAY_SIZE(header_names); i++)
        if (header_names[i].type == type)
            return header_names[i].name;
    return "UNKNOWN";
}

static const char *const platform_names[IGK_PLATFORM_MAX] = {
    [IGK_PLATFORM_NATIVE] = "native", [IGK_PLATFORM_VSM] = "vbs",
    [IGK_PLATFORM_SEV_SNP] = "sev-snp", [IGK_PLATFORM_TDX] = "tdx",
    [IGK_PLATFORM_SEV] = "sev",         [IGK_PLATFORM_SEV_ES] = "sev-es",
    [IGK_PLATFORM_CCA] = "cca",
};

IGK_PUBLIC const char *igk_platform_name(enum igk_platform_type type)
{
    if ((unsigned)type < IGK_PLATFORM_MAX)
        return platform_names[type];
    return "unknown";
}

IGK_PUBLIC int igk_platform_from_name(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "snp"))
        return IGK_PLATFORM_SEV_SNP;
    if (!strcmp(name, "vsm"))
        return IGK_PLATFORM_VSM;
    for (int i = 0; i < IGK_PLATFORM_MAX; i++)
        if (!strcmp(name, platform_names[i]))
            return i;
    return -1;
}

IGK_PUBLIC const char *igk_page_data_type_name(uint16_t type)
{
    static const char *const names[] = {
        [IGK_PAGE_DATA_NORMAL] = "normal",
        [IGK_PAGE_DATA_SECRETS] = "secrets",
        [IGK_PAGE_DATA_CPUID_DATA] = "cpuid_data",
        [IGK_PAGE_DATA_CPUID_XF] = "cpuid_xf",
    };
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}
