/* SPDX-License-Identifier: MIT */
/*
 * The mismatch assistant's finding in words (igk_measure_find_variant()),
 * shared by `explain --expect` and `verify` on a measurement mismatch.
 */
#include <stdio.h>

#include "cli.h"

void cli_describe_variant(const struct igk_measure_variant *v, char *buf, size_t size)
{
    char features[128] = "";

    if (!v->found) {
        if (v->features[0])
            snprintf(features, sizeof(features), " and the file's guest features or %s",
                     v->features);
        snprintf(buf, size,
                 "no loader profile (%s) with the file's vCPUs or 1..%u vCPUs%s gives it "
                 "(%lu measurements tried)",
                 v->profiles, CLI_VARIANT_MAX_VCPUS, features, v->tried);
        return;
    }
    if (v->sev_features_changed)
        snprintf(features, sizeof(features), " and guest features 0x%llx",
                 (unsigned long long)v->sev_features);
    if (v->vcpus)
        snprintf(buf, size, "it is the %s digest with --vcpus %u%s", igk_loader_name(v->loader),
                 v->vcpus, features);
    else if (v->sev_features_changed)
        snprintf(buf, size, "it is the %s digest with the file's vCPUs%s",
                 igk_loader_name(v->loader), features);
    else
        snprintf(buf, size, "it is the %s digest with the file's vCPUs (--loader %s)",
                 igk_loader_name(v->loader), igk_loader_name(v->loader));
}
