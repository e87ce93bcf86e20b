/* SPDX-License-Identifier: MIT */
/*
 * What a packed file binds and what it does not, and the warnings a pack
 * should not pass silently (see igk_pack_notes() in pack.h).
 *
 * Binding follows from the layout the packer produces, so it is decided from
 * the descriptor alone:
 *   - firmware type none (direct boot): kernel, initrd and command line are
 *     pages of the image and the MP table lists every vCPU, on every platform;
 *     SEV-SNP also measures one VMSA per vCPU.
 *   - ovmf/raw with sev-snp: a kernel is bound through the SHA-256 table of
 *     the SNP_KERNEL_HASHES page (the packer refuses a kernel without one);
 *     the vCPU count through one VMSA per vCPU.
 *   - ovmf/raw with tdx or native: the packer lays out the firmware only.
 *     Kernel, initrd, command line and vCPU count do not reach the file
 *     (TDVF measures kernel, initrd and command line into RTMRs at boot).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <igvmkit/pack.h>

#define BIT(p) (1u << (p))

static struct igk_pack_note *note(struct igk_pack_notes *ret, enum igk_pack_note_kind kind,
                                  const char *id, enum igk_platform_type platform,
                                  struct igk_spec_mark mark, const char *fmt, ...)
    IGK_PRINTF(6, 7);

static struct igk_pack_note *note(struct igk_pack_notes *ret, enum igk_pack_note_kind kind,
                                  const char *id, enum igk_platform_type platform,
                                  struct igk_spec_mark mark, const char *fmt, ...)
{
    struct igk_pack_note *n;
    va_list ap;

    if (ret->n == IGK_PACK_MAX_NOTES)
        return NULL;
    n = &ret->note[ret->n++];
    n->kind = kind;
    n->id = id;
    n->platform = platform;
    n->mark = mark;
    va_start(ap, fmt);
    vsnprintf(n->message, sizeof(n->message), fmt, ap);
    va_end(ap);
    if (kind == IGK_PACK_NOTE_WARNING)
        ret->n_warnings++;
    return n;
}

/* Appends "a, b and c" for the names in items[0..n). */
static void join(char *buf, size_t size, const char *const *items, size_t n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        int k = snprintf(buf + used, size - used, "%s%s", sep, items[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

/* The boot inputs the descriptor gives, in order, with the first one's position. */
static size_t given_inputs(const struct igk_spec *spec, const char *items[4], bool with_vcpus,
                           struct igk_spec_mark *first)
{
    size_t n = 0;

    memset(first, 0, sizeof(*first));
    if (spec->kernel.present) {
        items[n++] = "kernel";
        *first = spec->kernel.mark;
    }
    if (spec->initrd.present) {
        items[n++] = "initrd";
        if (!first->line)
            *first = spec->initrd.mark;
    }
    if (spec->has_cmdline) {
        items[n++] = "command line";
        if (!first->line)
            *first = spec->cmdline_mark;
    }
    if (with_vcpus && spec->vcpus_mark.line) {
        items[n++] = "vCPU count";
        if (!first->line)
            *first = spec->vcpus_mark;
    }
    return n;
}

static void snp_binding(const struct igk_spec *spec, struct igk_pack_notes *ret)
{
    struct igk_spec_mark at = spec->platform_mark[IGK_PLATFORM_SEV_SNP];
    const char *items[4];
    char what[96];
    size_t n = given_inputs(spec, items, false, &(struct igk_spec_mark){0});

    join(what, sizeof(what), items, n);
    if (spec->firmware_type == IGK_FIRMWARE_NONE)
        note(ret, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, at,
             "the launch digest binds the %s (pages of the image) and %u vCPU%s (one VMSA "
             "each: launch with -smp %u)",
             what, spec->vcpus, spec->vcpus == 1 ? "" : "s", spec->vcpus);
    else if (n)
        note(ret, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, at,
             "the launch digest binds the %s by SHA-256 in the SNP kernel-hashes "
             "page (launch with exactly these -kernel/-initrd/-append) and %u vCPU%s (one VMSA "
             "each: launch with -smp %u)",
             what, spec->vcpus, spec->vcpus == 1 ? "" : "s", spec->vcpus);
    else
        note(ret, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, at,
             "the launch digest binds the firmware and %u vCPU%s (one VMSA each: launch with "
             "-smp %u); no kernel is bound, the firmware boots what the guest's disk holds",
             spec->vcpus, spec->vcpus == 1 ? "" : "s", spec->vcpus);
}

static void other_binding(const struct igk_spec *spec, enum igk_platform_type platform,
                          struct igk_pack_notes *ret)
{
    struct igk_spec_mark at;
    const char *items[4];
    char what[96];
    size_t n;

    if (spec->firmware_type == IGK_FIRMWARE_NONE) {
        n = given_inputs(spec, items, false, &at);
        join(what, sizeof(what), items, n);
        note(ret, IGK_PACK_NOTE_BINDS, "binds", platform, spec->platform_mark[platform],
             "the file carries the %s and lists %u vCPU%s in its MP table (no launch "
             "measurement on this platform)",
             what, spec->vcpus, spec->vcpus == 1 ? "" : "s");
        return;
    }
    n = given_inputs(spec, items, true, &at);
    if (!n)
        return;
    join(what, sizeof(what), items, n);
    if (platform == IGK_PLATFORM_TDX)
        note(ret, IGK_PACK_NOTE_NOT_BOUND, "not-bound", platform, at,
             "the %s do%s not reach the file (it is the same without %s): the MRTD covers "
             "the firmware only; TDVF measures kernel, initrd and command line into RTMRs at "
             "boot (igvmkit measure --rtmr predicts them)",
             what, n == 1 ? "es" : "", n == 1 ? "it" : "them");
    else
        note(ret, IGK_PACK_NOTE_NOT_BOUND, "not-bound", platform, at,
             "the %s do%s not reach the file (it is the same without %s): the firmware "
             "gets %s from the loader at launch",
             what, n == 1 ? "es" : "", n == 1 ? "it" : "them", n == 1 ? "it" : "them");
}

static void policy_warnings(enum igk_platform_type platform, uint64_t policy,
                            struct igk_spec_mark at, struct igk_pack_notes *ret)
{
    struct igk_policy_issue issues[IGK_POLICY_MAX_ISSUES];
    size_t n = igk_policy_check(platform, policy, issues);

    for (size_t i = 0; i < n; i++)
        note(ret, IGK_PACK_NOTE_WARNING, issues[i].rule, platform, at, "%s", issues[i].message);
}

IGK_PUBLIC void igk_pack_notes(const struct igk_spec *spec, struct igk_pack_notes *ret)
{
    memset(ret, 0, sizeof(*ret));
    if (spec->platforms & BIT(IGK_PLATFORM_SEV_SNP))
        snp_binding(spec, ret);
    if (spec->platforms & BIT(IGK_PLATFORM_TDX))
        other_binding(spec, IGK_PLATFORM_TDX, ret);
    if (spec->platforms & BIT(IGK_PLATFORM_NATIVE))
        other_binding(spec, IGK_PLATFORM_NATIVE, ret);
    if (spec->platforms & BIT(IGK_PLATFORM_SEV_SNP))
        policy_warnings(IGK_PLATFORM_SEV_SNP, spec->snp.policy,
                        spec->snp.policy_mark.line ? spec->snp.policy_mark
                                                   : spec->platform_mark[IGK_PLATFORM_SEV_SNP],
                        ret);
    if (spec->platforms & BIT(IGK_PLATFORM_TDX))
        policy_warnings(IGK_PLATFORM_TDX, spec->tdx.policy,
                        spec->tdx.policy_mark.line ? spec->tdx.policy_mark
                                                   : spec->platform_mark[IGK_PLATFORM_TDX],
                        ret);
}
