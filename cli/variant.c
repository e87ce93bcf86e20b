/* SPDX-License-Identifier: MIT */
/*
 * The mismatch assistant's finding in words (igk_measure_find_variant()),
 * shared by `explain --expect` and `verify` on a measurement mismatch.
 */
#include <stdio.h>

#include "cli.h"

void cli_describe_variant(const struct igk_measure_variant *v, char *buf, size_t size)
{
    if (!v->found)
        snprintf(buf, size,
                 "no loader profile (%s) with the file's vCPUs or "
                 "1..%u vCPUs gives it (%lu measurements tried)",
                 v->profiles, CLI_VARIANT_MAX_VCPUS, v->tried);
    else if (v->vcpus)
        snprintf(buf, size, "it is the %s digest with --vcpus %u", igk_loader_name(v->loader),
                 v->vcpus);
    else
        snprintf(buf, size, "it is the %s digest with the file's vCPUs (--loader %s)",
                 igk_loader_name(v->loader), igk_loader_name(v->loader));
}
