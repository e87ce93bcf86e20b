/* SPDX-License-Identifier: MIT */
/* Option values shared by the verbs that measure: platform, loader profile, vCPU count. */
#include <string.h>

#include <igvmkit/measure.h>

#include "cli.h"

/* A measurable platform name, "all" (-1 in *ret) or a usage error. */
int cli_parse_measure_platform(const char *verb, const char *name, int *ret)
{
    int p;

    if (!strcmp(name, "all")) {
        *ret = -1;
        return 0;
    }
    p = cli_parse_platform(name);
    if (p < 0 || !igk_measure_supports((enum igk_platform_type)p))
        return cli_usage(verb, "unknown platform '%s' (expected sev-snp, tdx, sev-es, sev, vbs%s)",
                         name, strcmp(verb, "measure") ? "" : " or all");
    *ret = p;
    return 0;
}

int cli_parse_loader(const char *verb, const char *name, enum igk_loader *ret)
{
    int l = igk_loader_from_name(name);

    if (l < 0)
        return cli_usage(verb,
                         "unknown loader profile '%s' (expected qemu, qemu-classic, openvmm or "
                         "qemu-8)",
                         name);
    *ret = (enum igk_loader)l;
    return 0;
}

int cli_parse_vcpus(const char *verb, const char *s, unsigned *ret)
{
    unsigned long long v;

    if (!cli_parse_u64(s, 65536, &v) || v == 0)
        return cli_usage(verb, "--vcpus needs a number from 1 to 65536, not '%s'", s);
    *ret = (unsigned)v;
    return 0;
}
