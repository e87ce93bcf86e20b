/* SPDX-License-Identifier: MIT */
/*
 * Option values shared by the verbs: platform, loader (profile or program),
 * vCPU count.  One wording for each refusal in every verb:
 *   igvmkit VERB: --OPTION: unknown KIND 'X'; did you mean 'Y'? (expected A, B or C)
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/igvm.h>
#include <igvmkit/lint.h>
#include <igvmkit/measure.h>

#include "cli.h"
#include "util.h"

/* "a, b or c" of the names whose bit is set in mask (bit i: names[i]). */
static void list_names(char *buf, size_t size, const char *const *names, size_t n, unsigned mask)
{
    size_t total = 0, k = 0, len = 0;

    buf[0] = 0;
    for (size_t i = 0; i < n; i++)
        total += (mask >> i) & 1;
    for (size_t i = 0; i < n && len < size; i++) {
        if (!((mask >> i) & 1))
            continue;
        k++;
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                k == 1       ? ""
                                : k == total ? " or "
                                             : ", ",
                                names[i]);
    }
}

int cli_unknown_choice(const char *verb, const char *option, const char *kind, const char *value,
                       const char *const *names, size_t n, const char *expected)
{
    const char *best = igk_closest_name(value, names, n);

    if (best)
        return cli_usage(verb, "%s: unknown %s '%s'; did you mean '%s'? (expected %s)", option,
                         kind, value, best, expected);
    return cli_usage(verb, "%s: unknown %s '%s' (expected %s)", option, kind, value, expected);
}

/* Platform names in the order the manual lists them (PLATFORMS). */
static const enum igk_platform_type platform_order[] = {
    IGK_PLATFORM_SEV_SNP, IGK_PLATFORM_TDX, IGK_PLATFORM_NATIVE, IGK_PLATFORM_SEV_ES,
    IGK_PLATFORM_SEV,     IGK_PLATFORM_VSM, IGK_PLATFORM_CCA,
};
#define N_PLATFORMS (sizeof(platform_order) / sizeof(platform_order[0]))

int cli_parse_platform_in(const char *verb, const char *name, unsigned allowed, int *ret)
{
    const char *names[N_PLATFORMS + 2];
    char expected[160];
    unsigned mask = 0;
    int p;

    for (size_t i = 0; i < N_PLATFORMS; i++) {
        names[i] = igk_platform_name(platform_order[i]);
        if (allowed & CLI_PLATFORM_BIT(platform_order[i]))
            mask |= 1u << i;
    }
    names[N_PLATFORMS] = "all";
    if (allowed & CLI_PLATFORM_ALL)
        mask |= 1u << N_PLATFORMS;
    names[N_PLATFORMS + 1] = "snp";
    if (!strcmp(name, "all") && (allowed & CLI_PLATFORM_ALL)) {
        *ret = -1;
        return 0;
    }
    p = cli_parse_platform(name);
    if (p >= 0 && (allowed & CLI_PLATFORM_BIT(p))) {
        *ret = p;
        return 0;
    }
    list_names(expected, sizeof(expected), names, N_PLATFORMS + 1, mask);
    if (p < 0 && strcmp(name, "all"))
        return cli_unknown_choice(verb, "--platform", "platform", name, names, N_PLATFORMS + 2,
                                  expected);
    return cli_usage(verb, "--platform: %s does not apply to platform '%s' (expected %s)", verb,
                     name, expected);
}

int cli_parse_measure_platform(const char *verb, const char *name, int *ret)
{
    unsigned allowed = 0;

    for (int p = 0; p < IGK_PLATFORM_MAX; p++)
        if (igk_measure_supports((enum igk_platform_type)p))
            allowed |= CLI_PLATFORM_BIT(p);
    if (!strcmp(verb, "measure"))
        allowed |= CLI_PLATFORM_ALL;
    return cli_parse_platform_in(verb, name, allowed, ret);
}

int cli_parse_loader(const char *verb, const char *name, enum igk_loader *ret)
{
    const char *names[IGK_LOADER_MAX];
    char expected[120];
    int l = igk_loader_from_name(name);

    if (l >= 0) {
        *ret = (enum igk_loader)l;
        return 0;
    }
    for (int i = 0; i < IGK_LOADER_MAX; i++)
        names[i] = igk_loader_name((enum igk_loader)i);
    list_names(expected, sizeof(expected), names, IGK_LOADER_MAX, (1u << IGK_LOADER_MAX) - 1);
    return cli_unknown_choice(verb, "--loader", "loader profile", name, names, IGK_LOADER_MAX,
                              expected);
}

int cli_parse_lint_loader(const char *verb, const char *option, const char *name, unsigned allowed,
                          enum igk_lint_loader *ret)
{
    const char *names[IGK_LINT_LOADER_MAX];
    char expected[120];
    int l = igk_lint_loader_from_name(name);

    if (l >= 0 && ((allowed >> l) & 1)) {
        *ret = (enum igk_lint_loader)l;
        return 0;
    }
    for (int i = 0; i < IGK_LINT_LOADER_MAX; i++)
        names[i] = (allowed >> i) & 1 ? igk_lint_loader_name((enum igk_lint_loader)i) : NULL;
    list_names(expected, sizeof(expected), names, IGK_LINT_LOADER_MAX, allowed);
    if (l >= 0)
        return cli_usage(verb, "%s: %s does not apply to loader '%s' (expected %s)", option, verb,
                         name, expected);
    return cli_unknown_choice(verb, option, "loader", name, names, IGK_LINT_LOADER_MAX, expected);
}

int cli_parse_vcpus(const char *verb, const char *s, unsigned *ret)
{
    unsigned long long v;

    if (!cli_parse_u64(s, 65536, &v) || v == 0)
        return cli_usage(verb, "--vcpus needs a number from 1 to 65536, not '%s'", s);
    *ret = (unsigned)v;
    return 0;
}
