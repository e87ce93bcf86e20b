/* SPDX-License-Identifier: MIT */
/*
 * igk_pack_notes() and igk_policy_check(): what a packed file binds per
 * platform, what it does not, and the guest policy warnings, with exact
 * text and descriptor positions.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/pack.h>

#include "tap.h"

#define P(x) (1u << (x))

static struct igk_spec spec(enum igk_firmware_type type, uint32_t platforms)
{
    struct igk_spec s;

    memset(&s, 0, sizeof(s));
    s.firmware_type = type;
    s.vcpus = 1;
    s.platforms = platforms;
    s.snp.policy = 0x30000;
    for (int p = 0; p < IGK_PLATFORM_MAX; p++)
        s.platform_mark[p] = (struct igk_spec_mark){10 + (unsigned)p, 3};
    return s;
}

static void give_kernel(struct igk_spec *s)
{
    s->kernel.present = true;
    s->kernel.mark = (struct igk_spec_mark){4, 9};
    s->initrd.present = true;
    s->initrd.mark = (struct igk_spec_mark){5, 9};
    s->has_cmdline = true;
    s->cmdline_mark = (struct igk_spec_mark){6, 10};
}

static void is_note(const struct igk_pack_notes *n, size_t i, enum igk_pack_note_kind kind,
                    const char *id, enum igk_platform_type platform, unsigned line,
                    unsigned column, const char *message, const char *name)
{
    const struct igk_pack_note *x = &n->note[i];

    if (!ok(i < n->n, "%s: present", name))
        return;
    ok(x->kind == kind && !strcmp(x->id, id) && x->platform == platform, "%s: kind, id, platform",
       name);
    ok(x->mark.line == line && x->mark.column == column, "%s: at %u:%u (got %u:%u)", name, line,
       column, x->mark.line, x->mark.column);
    is_str(x->message, message, "%s: message", name);
}

static void test_ovmf_tdx_native(void)
{
    struct igk_spec s = spec(IGK_FIRMWARE_OVMF, P(IGK_PLATFORM_TDX) | P(IGK_PLATFORM_NATIVE));
    struct igk_pack_notes n;

    give_kernel(&s);
    s.vcpus = 4;
    s.vcpus_mark = (struct igk_spec_mark){7, 8};
    s.tdx.policy = 0x5;
    s.tdx.policy_mark = (struct igk_spec_mark){12, 13};
    igk_pack_notes(&s, &n);
    is_int((long long)n.n, 4, "ovmf tdx+native: four notes");
    is_int((long long)n.n_warnings, 2, "ovmf tdx+native: two warnings");
    is_note(&n, 0, IGK_PACK_NOTE_NOT_BOUND, "not-bound", IGK_PLATFORM_TDX, 4, 9,
            "the kernel, initrd, command line and vCPU count do not reach the file (it is the "
            "same without them): the MRTD covers the firmware only; TDVF measures kernel, "
            "initrd and command line into RTMRs at boot (igvmkit measure --rtmr predicts them)",
            "tdx not bound");
    is_note(&n, 1, IGK_PACK_NOTE_NOT_BOUND, "not-bound", IGK_PLATFORM_NATIVE, 4, 9,
            "the kernel, initrd, command line and vCPU count do not reach the file (it is the "
            "same without them): the firmware gets them from the loader at launch",
            "native not bound");
    is_note(&n, 2, IGK_PACK_NOTE_WARNING, "tdx-policy-debug", IGK_PLATFORM_TDX, 12, 13,
            "TDX policy 0x5 allows DEBUG (bit 0): the host can read and write TD private memory "
            "and state",
            "tdx debug");
    is_note(&n, 3, IGK_PACK_NOTE_WARNING, "tdx-policy-unknown-bits", IGK_PLATFORM_TDX, 12, 13,
            "TDX policy sets bits 0x4 that IGVM does not define (bits 63:2 are reserved)",
            "tdx unknown bits");

    /* Only vCPUs given: the note names them and points at vcpus. */
    s = spec(IGK_FIRMWARE_OVMF, P(IGK_PLATFORM_NATIVE));
    s.vcpus = 2;
    s.vcpus_mark = (struct igk_spec_mark){3, 8};
    igk_pack_notes(&s, &n);
    is_int((long long)n.n, 1, "native, vcpus only: one note");
    is_note(&n, 0, IGK_PACK_NOTE_NOT_BOUND, "not-bound", IGK_PLATFORM_NATIVE, 3, 8,
            "the vCPU count does not reach the file (it is the same without it): the firmware "
            "gets it from the loader at launch",
            "native vcpus");

    /* Nothing given: nothing to say for tdx alone. */
    s = spec(IGK_FIRMWARE_OVMF, P(IGK_PLATFORM_TDX));
    igk_pack_notes(&s, &n);
    is_int((long long)n.n, 0, "tdx without boot inputs: no notes");
}

static void test_snp(void)
{
    struct igk_spec s = spec(IGK_FIRMWARE_OVMF, P(IGK_PLATFORM_SEV_SNP));
    struct igk_pack_notes n;

    igk_pack_notes(&s, &n);
    is_note(&n, 0, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, 12, 3,
            "the launch digest binds the firmware and 1 vCPU (one VMSA each: launch with -smp "
            "1); no kernel is bound, the firmware boots what the guest's disk holds",
            "snp without kernel");
    is_int((long long)n.n_warnings, 0, "default policy 0x30000: no warning");

    give_kernel(&s);
    s.vcpus = 2;
    s.snp.policy = 0x4000080000ull;
    s.snp.policy_mark = (struct igk_spec_mark){14, 13};
    igk_pack_notes(&s, &n);
    is_int((long long)n.n, 4, "snp with kernel and policy 0x4000080000: four notes");
    is_note(&n, 0, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, 12, 3,
            "the launch digest binds the kernel, initrd and command line by SHA-256 in the SNP "
            "kernel-hashes page (launch with exactly these -kernel/-initrd/-append) and 2 vCPUs "
            "(one VMSA each: launch with -smp 2)",
            "snp with kernel hashes");
    is_note(&n, 1, IGK_PACK_NOTE_WARNING, "snp-policy-reserved", IGK_PLATFORM_SEV_SNP, 14, 13,
            "SEV-SNP policy 0x4000080000 has bit 17 clear: the bit is reserved and must be 1, "
            "the firmware refuses SNP_LAUNCH_START (set 0x20000)",
            "snp bit 17");
    is_note(&n, 2, IGK_PACK_NOTE_WARNING, "snp-policy-debug", IGK_PLATFORM_SEV_SNP, 14, 13,
            "SEV-SNP policy 0x4000080000 sets DEBUG (bit 19): the host can read and write guest "
            "memory with the debug commands",
            "snp debug");
    is_note(&n, 3, IGK_PACK_NOTE_WARNING, "snp-policy-unknown-bits", IGK_PLATFORM_SEV_SNP, 14,
            13,
            "SEV-SNP policy sets reserved bits 0x4000000000 (bits 63:26 are reserved, zero): the "
            "firmware refuses the launch",
            "snp unknown bits");

    /* Direct boot: every platform carries the kernel; SNP also the VMSAs. */
    s = spec(IGK_FIRMWARE_NONE, P(IGK_PLATFORM_SEV_SNP) | P(IGK_PLATFORM_NATIVE));
    give_kernel(&s);
    s.initrd.present = false;
    igk_pack_notes(&s, &n);
    is_int((long long)n.n, 2, "direct boot: two notes");
    is_note(&n, 0, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_SEV_SNP, 12, 3,
            "the launch digest binds the kernel and command line (pages of the image) and 1 vCPU "
            "(one VMSA each: launch with -smp 1)",
            "direct snp");
    is_note(&n, 1, IGK_PACK_NOTE_BINDS, "binds", IGK_PLATFORM_NATIVE, 10, 3,
            "the file carries the kernel and command line and lists 1 vCPU in its MP table (no "
            "launch measurement on this platform)",
            "direct native");
}

static void test_policy_check(void)
{
    struct igk_policy_issue i[IGK_POLICY_MAX_ISSUES];

    is_int((long long)igk_policy_check(IGK_PLATFORM_SEV_SNP, 0x30000, i), 0, "snp 0x30000: clean");
    is_int((long long)igk_policy_check(IGK_PLATFORM_SEV_SNP, 0x3FF0000, i), 1,
           "snp 0x3ff0000 (every defined flag): debug only");
    is_str(i[0].rule, "snp-policy-debug", "snp 0x3ff0000: the debug rule");
    is_int((long long)igk_policy_check(IGK_PLATFORM_SEV_SNP, 0x0, i), 1, "snp 0x0: one issue");
    is_str(i[0].rule, "snp-policy-reserved", "snp 0x0: bit 17");
    is_int((long long)igk_policy_check(IGK_PLATFORM_SEV_SNP, 0x4030000, i), 1,
           "snp bit 26: one issue");
    is_str(i[0].rule, "snp-policy-unknown-bits", "snp bit 26: unknown bits");
    is_int((long long)igk_policy_check(IGK_PLATFORM_TDX, 0x2, i), 0, "tdx SEPT_VE_DISABLE: clean");
    is_int((long long)igk_policy_check(IGK_PLATFORM_TDX, 0x8000000000000001ull, i), 2,
           "tdx debug + bit 63: two issues");
    is_str(i[1].message,
           "TDX policy sets bits 0x8000000000000000 that IGVM does not define (bits 63:2 are "
           "reserved)",
           "tdx bit 63: message");
    is_int((long long)igk_policy_check(IGK_PLATFORM_NATIVE, ~0ull, i), 0, "native: no policy");
}

/* igk_policy_format(): the one text form of a policy (igvmkit(1), POLICIES). */
static void test_policy_format(void)
{
    char t[IGK_POLICY_TEXT_MAX];

    is_str(igk_policy_format(IGK_PLATFORM_SEV_SNP, 0x30000, t, sizeof(t)),
           "0x30000 (abi 0.0, smt allowed, migrate_ma off, debug off, single_socket off)",
           "snp default policy");
    is_str(igk_policy_format(IGK_PLATFORM_SEV_SNP, 0xA80105, t, sizeof(t)),
           "0xa80105 (abi 1.5, smt off, migrate_ma off, debug on, single_socket off, "
           "cxl_allow on, rapl_dis on, bit 17 clear (must be set))",
           "snp: bits 21 and 23 named, bit 17 clear said");
    is_str(igk_policy_format(IGK_PLATFORM_SEV_SNP, 0x3FF0000 | (1ull << 40), t, sizeof(t)),
           "0x10003ff0000 (abi 0.0, smt allowed, migrate_ma on, debug on, single_socket on, "
           "cxl_allow on, mem_aes_256_xts on, rapl_dis on, ciphertext_hiding on, "
           "page_swap_disable on, reserved bits 0x10000000000)",
           "snp: every named bit and a reserved one");
    is_str(igk_policy_format(IGK_PLATFORM_TDX, 0x2, t, sizeof(t)),
           "0x2 (debug off, sept_ve_disable on)", "tdx: two defined bits, no others named");
    is_str(igk_policy_format(IGK_PLATFORM_TDX, 0x5, t, sizeof(t)),
           "0x5 (debug on, sept_ve_disable off, reserved bits 0x4)", "tdx: bit 2 is reserved");
    is_str(igk_policy_format(IGK_PLATFORM_NATIVE, 0x7, t, sizeof(t)), "0x7", "native: hex only");
    is_str(igk_policy_format(IGK_PLATFORM_TDX, 0x2, t, 8), "0x2 (de", "truncated to the buffer");
}

int main(void)
{
    test_ovmf_tdx_native();
    test_snp();
    test_policy_check();
    test_policy_format();
    return tap_done();
}
