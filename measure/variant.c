/* SPDX-License-Identifier: MIT */
/*
 * igk_measure_find_variant(): which loader profile and vCPU count turn a
 * file into an expected digest (see measure.h).
 *
 * The launch digest of one file differs between loaders (QEMU's IGVM loader,
 * QEMU without IGVM as sev-snp-measure models it, OpenVMM: igvmkit(1),
 * LOADER PROFILES) and, for SEV-SNP and SEV-ES, with the
 * number of vCPUs the VMM starts: KVM measures one VMSA per vCPU whether the
 * file has one or not (QEMU target/i386/sev.c, launch finish).  A verifier
 * holding a digest that "does not match" usually holds one of these.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/measure.h>

#include "util.h"

static int try_one(const struct igk_igvm *igvm, enum igk_platform_type platform,
                   enum igk_loader loader, unsigned vcpus, const uint8_t *expected,
                   size_t expected_len, struct igk_measure_variant *ret,
                   struct igk_measurement *m, struct igk_error *err)
{
    struct igk_measure_options o = {.loader = loader, .vcpus = vcpus, .ignore_idblock = true};
    int r;

    ret->tried++;
    r = igk_measure(igvm, platform, &o, m, err);
    if (r < 0)
        return r;
    if (m->digest_len == expected_len && !memcmp(m->digest, expected, expected_len)) {
        ret->found = true;
        ret->loader = loader;
        ret->vcpus = vcpus;
        return 1;
    }
    return 0;
}

static bool loader_matters(enum igk_platform_type platform, enum igk_loader loader)
{
    if (platform == IGK_PLATFORM_TDX)
        return loader == IGK_LOADER_QEMU || loader == IGK_LOADER_QEMU8;
    return loader != IGK_LOADER_QEMU8;
}

IGK_PUBLIC int igk_measure_find_variant(const struct igk_igvm *igvm,
                                        enum igk_platform_type platform,
                                        enum igk_loader first, const uint8_t *expected,
                                        size_t expected_len, unsigned max_vcpus,
                                        struct igk_measure_variant *ret, struct igk_error *err)
{
    struct igk_measurement m;
    enum igk_loader order[IGK_LOADER_MAX];
    unsigned vmsas = 0;
    size_t n = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    if ((unsigned)first >= IGK_LOADER_MAX)
        return igk_error_set(err, IGK_E_USAGE, "unknown loader %d", (int)first);
    if (max_vcpus > IGK_VARIANT_MAX_VCPUS)
        return igk_error_set(err, IGK_E_USAGE, "at most %u vCPUs are tried, not %u",
                             IGK_VARIANT_MAX_VCPUS, max_vcpus);
    /* The profiles that differ for this platform: the TDX page order (qemu,
     * qemu-8), or how SEV loaders measure data-less and shared pages. */
    order[n++] = first;
    for (int l = 0; l < IGK_LOADER_MAX; l++)
        if ((enum igk_loader)l != first && loader_matters(platform, (enum igk_loader)l))
            order[n++] = (enum igk_loader)l;
    for (size_t i = 0; i < n; i++)
        snprintf(ret->profiles + strlen(ret->profiles), sizeof(ret->profiles) - strlen(ret->profiles),
                 "%s%s", i ? ", " : "", igk_loader_name(order[i]));

    /* The file's own vCPUs under every profile, the caller's first. */
    for (size_t i = 0; i < n; i++) {
        r = try_one(igvm, platform, order[i], 0, expected, expected_len, ret, &m, err);
        if (r != 0)
            return r;
        if (m.vmsa_count > vmsas)
            vmsas = m.vmsa_count;
    }
    /* More vCPUs than VMSAs (fewer measure the same): only VMSA platforms. */
    if (!vmsas)
        return 0;
    for (unsigned v = vmsas + 1; v <= max_vcpus; v++)
        for (size_t i = 0; i < n; i++) {
            r = try_one(igvm, platform, order[i], v, expected, expected_len, ret, &m, err);
            if (r != 0)
                return r;
        }
    return 0;
}
