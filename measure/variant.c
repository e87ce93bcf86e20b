/* SPDX-License-Identifier: MIT */
/*
 * igk_measure_find_variant(): which loader profile, vCPU count and guest
 * features turn a file into an expected digest (see measure.h).
 *
 * The launch digest of one file differs between loaders (QEMU's IGVM loader,
 * QEMU without IGVM as sev-snp-measure models it, OpenVMM: igvmkit(1),
 * LOADER PROFILES) and, for SEV-SNP and SEV-ES, with the
 * number of vCPUs the VMM starts: KVM measures one VMSA per vCPU whether the
 * file has one or not (QEMU target/i386/sev.c, launch finish), and with the
 * guest features (SEV_FEATURES) the host starts the VMSAs with, which the
 * VMSA page hash covers (AMD SEV-SNP ABI, SNP_LAUNCH_UPDATE of a VMSA page).
 * A verifier holding a digest that "does not match" usually holds one of
 * these.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/measure.h>

#include "le.h"
#include "util.h"

/* Guest features tried besides the file's own (measure.h): at most this many. */
#define MAX_FEATURES 2

/* SEV_FEATURES in the VMSA save area (docs/firmware.md section 6). */
#define VMSA_SEV_FEATURES 0x3B0u

/* A guest-features choice: the file's own bytes, or one value for every VMSA. */
struct features {
    bool set;
    uint64_t value;
};

static int try_one(const struct igk_igvm *igvm, enum igk_platform_type platform,
                   enum igk_loader loader, unsigned vcpus, struct features f,
                   const uint8_t *expected, size_t expected_len, struct igk_measure_variant *ret,
                   struct igk_measurement *m, struct igk_error *err)
{
    struct igk_measure_options o = {.loader = loader,
                                    .vcpus = vcpus,
                                    .ignore_idblock = true,
                                    .set_sev_features = f.set,
                                    .sev_features = f.value};
    int r;

    ret->tried++;
    r = igk_measure(igvm, platform, &o, m, err);
    if (r < 0)
        return r;
    if (m->digest_len == expected_len && !memcmp(m->digest, expected, expected_len)) {
        ret->found = true;
        ret->loader = loader;
        ret->vcpus = vcpus;
        ret->sev_features_changed = f.set;
        ret->sev_features = f.value;
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

/* What SEV_FEATURES the file's VMSAs hold: one value for all, or mixed. */
struct own_features {
    unsigned n;
    bool mixed;
    uint64_t value;
};

static int note_features(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct own_features *o = user;
    uint64_t v;

    (void)err;
    if (ev->kind != IGK_EVENT_VMSA || !ev->data || ev->data_size < VMSA_SEV_FEATURES + 8)
        return 0;
    v = igk_le64(ev->data + VMSA_SEV_FEATURES);
    if (o->n++ && v != o->value)
        o->mixed = true;
    o->value = v;
    return 0;
}

/*
 * The values hosts launch with (measure.h) that differ from what the file
 * has; *n of them in out.  SEV-SNP: SNPActive alone, or with DebugSwap
 * (bit 5, KVM's SVM_SEV_FEAT_DEBUG_SWAP); SEV-ES: the same without SNPActive.
 */
static int other_features(const struct igk_igvm *igvm, enum igk_platform_type platform,
                          uint64_t out[MAX_FEATURES], size_t *n, struct igk_error *err)
{
    static const uint64_t snp[MAX_FEATURES] = {0x1, 0x21}, es[MAX_FEATURES] = {0x0, 0x20};
    const uint64_t *values = platform == IGK_PLATFORM_SEV_SNP ? snp : es;
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU};
    struct own_features own = {0};
    int r;

    *n = 0;
    if (platform != IGK_PLATFORM_SEV_SNP && platform != IGK_PLATFORM_SEV_ES)
        return 0;
    r = igk_walk(igvm, platform, &o, note_features, &own, err);
    if (r < 0)
        return r;
    for (size_t i = 0; own.n && i < MAX_FEATURES; i++)
        if (own.mixed || values[i] != own.value)
            out[(*n)++] = values[i];
    return 0;
}

IGK_PUBLIC int igk_measure_find_variant(const struct igk_igvm *igvm,
                                        enum igk_platform_type platform,
                                        enum igk_loader first, const uint8_t *expected,
                                        size_t expected_len, unsigned max_vcpus,
                                        struct igk_measure_variant *ret, struct igk_error *err)
{
    struct igk_measurement m;
    enum igk_loader order[IGK_LOADER_MAX];
    struct features feats[1 + MAX_FEATURES] = {{.set = false}};
    uint64_t others[MAX_FEATURES];
    unsigned vmsas = 0;
    size_t n = 0, n_feats = 1, n_others = 0;
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

    /* The file's own vCPUs and guest features under every profile, the
     * caller's first (a file the platform cannot measure fails here). */
    for (size_t i = 0; i < n; i++) {
        r = try_one(igvm, platform, order[i], 0, feats[0], expected, expected_len, ret, &m, err);
        if (r != 0)
            return r;
        if (m.vmsa_count > vmsas)
            vmsas = m.vmsa_count;
    }
    /* The other guest features hosts launch with (measure.h). */
    r = other_features(igvm, platform, others, &n_others, err);
    if (r < 0)
        return r;
    for (size_t k = 0; k < n_others; k++) {
        size_t used = strlen(ret->features);

        feats[n_feats++] = (struct features){.set = true, .value = others[k]};
        snprintf(ret->features + used, sizeof(ret->features) - used, "%s0x%llx", k ? ", " : "",
                 (unsigned long long)others[k]);
    }
    for (size_t f = 1; f < n_feats; f++)
        for (size_t i = 0; i < n; i++) {
            r = try_one(igvm, platform, order[i], 0, feats[f], expected, expected_len, ret, &m,
                        err);
            if (r != 0)
                return r;
        }
    /* More vCPUs than VMSAs (fewer measure the same): only VMSA platforms. */
    if (!vmsas)
        return 0;
    for (unsigned v = vmsas + 1; v <= max_vcpus; v++)
        for (size_t f = 0; f < n_feats; f++)
            for (size_t i = 0; i < n; i++) {
                r = try_one(igvm, platform, order[i], v, feats[f], expected, expected_len, ret,
                            &m, err);
                if (r != 0)
                    return r;
            }
    return 0;
}
