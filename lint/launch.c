/* SPDX-License-Identifier: MIT */
/*
 * Launch commands: the command line that makes one loader load one platform
 * of an IGVM file the way igvmkit measured it (<igvmkit/lint.h>,
 * igk_launch_command).  The facts each command rests on:
 *
 * QEMU (10.0 and later; backends/igvm.c, target/i386/sev.c, docs/system/igvm.rst):
 *  - the file is named by an igvm-cfg object that the machine refers to;
 *  - SEV-SNP needs a sev-snp-guest object as the machine's
 *    confidential-guest-support; the file's GUEST_POLICY directive and VMSAs
 *    replace what the object and QEMU would otherwise provide, so the policy
 *    printed is the file's and -smp must equal the number of VMSAs (a vCPU
 *    without a VMSA in the file gets one QEMU builds, which is measured too);
 *  - -cpu should be the model whose CPUID signature the VMSAs carry in RDX,
 *    so that the CPUID page and the guest agree;
 *  - QEMU loads no TDX directives from IGVM: a TDX guest is launched from the
 *    firmware itself (-bios), which gives the MRTD igvmkit computes for the
 *    file's TDX directives when they were packed from that firmware.
 * cloud-hypervisor (--igvm, --platform sev_snp=on): reads only the first
 *    platform of the file and requires it to be SEV-SNP (see lint-other.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint-private.h"
#include "le.h"
#include "util.h"

#define MIB ((uint64_t)1024 * 1024)
#define GIB (1024 * MIB)
#define DEFAULT_MEMORY (2 * GIB)
#define FOUR_GIB (4 * GIB)
/* Pages in [LOW_RAM_END, 4 GiB) are firmware and MMIO on q35, never RAM. */
#define LOW_RAM_END 0xB0000000ull
/* Appends one argument unless an earlier one failed (r is the running status). */
#define ARG(...) (void)(r = r ? r : add_arg(cmd, err, __VA_ARGS__))
#define VMSA_RDX 0x310u /* VMSA save area: RDX (AMD APM vol. 2, table B-4) */

/* QEMU's CPU models by the CPUID Fn0000_0001 EAX they report (target/i386/cpu.c). */
static const struct {
    uint32_t signature;
    const char *model;
} cpu_models[] = {
    {0x00800F12, "EPYC-v4"},    {0x00830F10, "EPYC-Rome"},  {0x00A00F11, "EPYC-Milan"},
    {0x00A10F10, "EPYC-Genoa"}, {0x00B00F00, "EPYC-Turin"},
};

/* The SEV hash table GUID (OVMF's SEV_HASH_TABLE_GUID), as it lies in memory. */
static const uint8_t hash_table_guid[16] = {0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
                                            0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21};

static int add_arg(struct igk_launch_command *cmd, struct igk_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int add_arg(struct igk_launch_command *cmd, struct igk_error *err, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    if (cmd->argc >= IGK_LAUNCH_MAX_ARGS)
        return igk_error_set(err, IGK_E_INTERNAL, "launch command longer than %d arguments",
                             IGK_LAUNCH_MAX_ARGS);
    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    cmd->argv[cmd->argc++] = s;
    return 0;
}

static void add_note(struct igk_launch_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_note(struct igk_launch_command *cmd, const char *fmt, ...)
{
    va_list ap;

    if (cmd->n_notes >= IGK_LAUNCH_MAX_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(cmd->notes[cmd->n_notes++], sizeof(cmd->notes[0]), fmt, ap);
    va_end(ap);
}

/* What the file says about one platform. */
struct platform_facts {
    uint32_t mask;
    unsigned vp_contexts;  /* VP_CONTEXT headers (VMSAs on SEV platforms) */
    uint32_t vp0_rdx;      /* RDX of VP 0's VMSA, 0 if none */
    bool has_policy;
    uint64_t policy;
    bool has_id_block;
    bool has_hash_table;   /* a page holds OVMF's SEV hash table */
    uint64_t hash_table_gpa;
    uint64_t ram_needed;   /* bytes of RAM that hold every page below 0xB0000000 or above 4 GiB */
};

static bool page_has_hash_table(const uint8_t *data, size_t len, size_t *ret_offset)
{
    for (size_t off = 0; off + sizeof(hash_table_guid) <= len; off += 16)
        if (memcmp(data + off, hash_table_guid, sizeof(hash_table_guid)) == 0) {
            *ret_offset = off;
            return true;
        }
    return false;
}

static void collect_facts(const struct igk_igvm *igvm, uint32_t mask, struct platform_facts *f)
{
    uint64_t low_end = 0, high_end = 0;

    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    size_t number;

    memset(f, 0, sizeof(*f));
    f->mask = mask;
    /* The cursor visits a lean model's PAGE_DATA too ('measure' reads lean). */
    while ((h = igk_igvm_next_header(igvm, &cursor, &scratch, &number))) {
        size_t off;

        if (!igk_header_applies(h, mask))
            continue;
        switch (h->type) {
        case IGK_VHT_GUEST_POLICY:
            f->has_policy = true;
            f->policy = h->u.guest_policy.policy;
            break;
        case IGK_VHT_SNP_ID_BLOCK:
            f->has_id_block = true;
            break;
        case IGK_VHT_VP_CONTEXT:
            if (h->u.vp_context.vp_index == 0 && h->data && h->data_size >= VMSA_RDX + 8)
                f->vp0_rdx = igk_le32(h->data + VMSA_RDX);
            f->vp_contexts++;
            break;
        case IGK_VHT_PAGE_DATA: {
            uint64_t gpa = h->u.page_data.gpa, end = gpa + igvm->page_size;

            if (gpa >= FOUR_GIB && end > high_end)
                high_end = end;
            else if (gpa < LOW_RAM_END && end > low_end)
                low_end = end;
            if (!f->has_hash_table && h->data &&
                page_has_hash_table(h->data, igvm->page_size, &off)) {
                f->has_hash_table = true;
                f->hash_table_gpa = gpa + off;
            }
            break;
        }
        default:
            break;
        }
    }
    /* q35 keeps 2 GiB below 4 GiB once RAM reaches 0xB0000000 (hw/i386/pc_q35.c). */
    f->ram_needed = high_end ? high_end - FOUR_GIB + 2 * GIB : low_end;
}

static const char *cpu_model_name(uint32_t signature)
{
    for (size_t i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++)
        if (cpu_models[i].signature == signature)
            return cpu_models[i].model;
    return NULL;
}

/* -m for the guest: the caller's size, else 2 GiB or the next GiB that holds every page. */
static uint64_t guest_memory(const struct igk_launch_inputs *in, const struct platform_facts *f,
                             struct igk_launch_command *cmd)
{
    uint64_t m = in->memory;

    if (!m) {
        m = DEFAULT_MEMORY;
        if (f->ram_needed > m)
            m = (f->ram_needed + GIB - 1) / GIB * GIB;
        add_note(cmd, "-m: any size of at least %" PRIu64 " MiB holds the file's pages",
                 (f->ram_needed + MIB - 1) / MIB ? (f->ram_needed + MIB - 1) / MIB : 1);
    } else if (in->memory_exact) {
        add_note(cmd, "-m must stay %" PRIu64 " MiB: the file's memory map was laid out for it",
                 m / MIB);
    }
    if (m < f->ram_needed)
        add_note(cmd, "warning: %" PRIu64 " MiB is too small for the file's pages (%" PRIu64
                      " MiB needed)",
                 m / MIB, (f->ram_needed + MIB - 1) / MIB);
    return m;
}

static int add_kernel_args(struct igk_launch_command *cmd, const struct igk_launch_inputs *in,
                           struct igk_error *err)
{
    int r = 0;

    if (in->kernel_path) {
        ARG("-kernel");
        ARG("%s", in->kernel_path);
    }
    if (in->initrd_path) {
        ARG("-initrd");
        ARG("%s", in->initrd_path);
    }
    if (in->cmdline) {
        ARG("-append");
        ARG("%s", in->cmdline);
    }
    return r;
}

static int qemu_common_tail(struct igk_launch_command *cmd, unsigned smp, uint64_t memory,
                            struct igk_error *err)
{
    int r = 0;

    ARG("-smp");
    ARG("%u", smp);
    ARG("-m");
    ARG("%" PRIu64 "M", memory / MIB);
    ARG("-nographic");
    return r;
}

static int qemu_snp(const struct igk_launch_inputs *in, const struct platform_facts *f,
                    struct igk_launch_command *cmd, struct igk_error *err)
{
    uint64_t policy = f->has_policy ? f->policy : 0x30000;
    const char *model = cpu_model_name(f->vp0_rdx);
    unsigned smp = f->vp_contexts;
    uint64_t memory = guest_memory(in, f, cmd);
    int r = 0;

    if (!smp) {
        smp = in->vcpus ? in->vcpus : 1;
        add_note(cmd, "the file has no VMSA for SEV-SNP: QEMU builds one per vCPU, and its "
                      "register state enters the launch digest");
    }
    ARG("qemu-system-x86_64");
    ARG("-accel");
    ARG("kvm");
    ARG("-machine");
    ARG("q35,confidential-guest-support=sev0,igvm-cfg=igvm0");
    ARG("-object");
    ARG("igvm-cfg,id=igvm0,file=%s", in->igvm_path);
    ARG("-object");
    ARG("sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x%" PRIx64, policy);
    ARG("-cpu");
    ARG("%s", model ? model : "EPYC-v4");
    if (!r)
        r = qemu_common_tail(cmd, smp, memory, err);
    if (!r)
        r = add_kernel_args(cmd, in, err);
    if (r)
        return r;
    if (f->vp_contexts)
        add_note(cmd, "-smp must equal the file's %u VMSA%s", f->vp_contexts,
                 f->vp_contexts == 1 ? "" : "s");
    if (!model && f->vp_contexts)
        add_note(cmd, "the VMSA's CPUID signature 0x%08" PRIx32 " matches no QEMU EPYC model: "
                      "choose -cpu by that signature", f->vp0_rdx);
    add_note(cmd, "cbitpos=51 and reduced-phys-bits=1 hold on Milan, Genoa and Turin hosts "
                  "(CPUID 0x8000001F EBX)");
    if (f->has_hash_table && !in->kernel_path)
        add_note(cmd, "the file binds a kernel through OVMF's hash table at GPA 0x%" PRIx64
                      ": add -kernel, -initrd and -append with exactly the packed files",
                 f->hash_table_gpa);
    else if (f->has_hash_table)
        add_note(cmd, "-kernel, -initrd and -append must be exactly the packed files: OVMF "
                      "checks them against the hash table at GPA 0x%" PRIx64,
                 f->hash_table_gpa);
    if (f->has_id_block)
        add_note(cmd, "the ID block comes from the file; do not also give id-block/id-auth");
    return 0;
}

static int qemu_native(const struct igk_launch_inputs *in, const struct platform_facts *f,
                       struct igk_launch_command *cmd, struct igk_error *err)
{
    unsigned smp = in->vcpus ? in->vcpus : 1;
    uint64_t memory = guest_memory(in, f, cmd);
    int r = 0;

    ARG("qemu-system-x86_64");
    ARG("-accel");
    ARG("kvm");
    ARG("-machine");
    ARG("q35,igvm-cfg=igvm0");
    ARG("-object");
    ARG("igvm-cfg,id=igvm0,file=%s", in->igvm_path);
    ARG("-cpu");
    ARG("host");
    if (!r)
        r = qemu_common_tail(cmd, smp, memory, err);
    if (!r)
        r = add_kernel_args(cmd, in, err);
    if (!r && in->kernel_path)
        add_note(cmd, "the native platform measures nothing: -kernel, -initrd and -append are "
                      "not bound by the file");
    return r;
}

static int qemu_tdx(const struct igk_launch_inputs *in, const struct platform_facts *f,
                    struct igk_launch_command *cmd, struct igk_error *err)
{
    unsigned smp = in->vcpus ? in->vcpus : 1;
    uint64_t memory = guest_memory(in, f, cmd);
    int r = 0;

    cmd->from_igvm = false;
    ARG("qemu-system-x86_64");
    ARG("-accel");
    ARG("kvm");
    ARG("-machine");
    ARG("q35,kernel-irqchip=split,confidential-guest-support=tdx0");
    ARG("-object");
    ARG("tdx-guest,id=tdx0");
    ARG("-cpu");
    ARG("host");
    ARG("-bios");
    ARG("%s", in->firmware_path ? in->firmware_path : "OVMF.fd");
    if (!r)
        r = qemu_common_tail(cmd, smp, memory, err);
    if (!r)
        r = add_kernel_args(cmd, in, err);
    if (r)
        return r;
    add_note(cmd, "QEMU loads no TDX directives from IGVM files: this command launches the "
                  "firmware the file was packed from, which gives the file's MRTD");
    if (!in->firmware_path)
        add_note(cmd, "replace OVMF.fd with that firmware (the descriptor names it)");
    if (in->kernel_path)
        add_note(cmd, "RTMR1 and RTMR2 depend on -kernel, -initrd, -append and -m "
                      "(igvmkit measure DESCRIPTOR predicts them)");
    return 0;
}

static int cloud_hypervisor_snp(const struct igk_launch_inputs *in,
                                const struct platform_facts *f, struct igk_launch_command *cmd,
                                struct igk_error *err)
{
    unsigned cpus = f->vp_contexts ? f->vp_contexts : (in->vcpus ? in->vcpus : 1);
    uint64_t memory = guest_memory(in, f, cmd);
    int r = 0;

    ARG("cloud-hypervisor");
    ARG("--igvm");
    ARG("%s", in->igvm_path);
    ARG("--platform");
    ARG("sev_snp=on");
    ARG("--cpus");
    ARG("boot=%u", cpus);
    ARG("--memory");
    ARG("size=%" PRIu64 "M", memory / MIB);
    ARG("--serial");
    ARG("tty");
    ARG("--console");
    ARG("off");
    if (r)
        return r;
    add_note(cmd, "cloud-hypervisor built with the igvm and sev_snp features; it reads only "
                  "the file's first platform, which must be SEV-SNP");
    if (f->vp_contexts)
        add_note(cmd, "--cpus boot must equal the file's %u VMSA%s", f->vp_contexts,
                 f->vp_contexts == 1 ? "" : "s");
    return 0;
}

int igk_launch_command(const struct igk_igvm *igvm, enum igk_lint_loader loader,
                       enum igk_platform_type platform, const struct igk_launch_inputs *in,
                       struct igk_launch_command *ret, struct igk_error *err)
{
    struct platform_facts facts;
    uint32_t mask;
    int r;

    memset(ret, 0, sizeof(*ret));
    ret->loader = loader;
    ret->platform = platform;
    ret->from_igvm = true;
    if (!in || !in->igvm_path)
        return igk_error_set(err, IGK_E_USAGE, "launch command: no IGVM path to print");
    r = igk_igvm_platform_mask(igvm, platform, &mask, err);
    if (r < 0)
        return r;
    collect_facts(igvm, mask, &facts);

    switch (loader) {
    case IGK_LINT_QEMU:
        if (platform == IGK_PLATFORM_SEV_SNP)
            r = qemu_snp(in, &facts, ret, err);
        else if (platform == IGK_PLATFORM_NATIVE)
            r = qemu_native(in, &facts, ret, err);
        else if (platform == IGK_PLATFORM_TDX)
            r = qemu_tdx(in, &facts, ret, err);
        else
            r = igk_error_set(err, IGK_E_UNSUPPORTED,
                              "igvmkit knows no QEMU launch of the %s platform",
                              igk_platform_name(platform));
        break;
    case IGK_LINT_CLOUD_HYPERVISOR:
        if (platform == IGK_PLATFORM_SEV_SNP)
            r = cloud_hypervisor_snp(in, &facts, ret, err);
        else
            r = igk_error_set(err, IGK_E_UNSUPPORTED,
                              "cloud-hypervisor loads only SEV-SNP from IGVM files, not %s",
                              igk_platform_name(platform));
        break;
    default:
        r = igk_error_set(err, IGK_E_UNSUPPORTED, "igvmkit knows no %s launch command",
                          igk_lint_loader_name(loader));
        break;
    }
    if (r < 0)
        igk_launch_command_done(ret);
    return r;
}

void igk_launch_command_done(struct igk_launch_command *cmd)
{
    if (!cmd)
        return;
    for (size_t i = 0; i < cmd->argc; i++)
        free(cmd->argv[i]);
    cmd->argc = 0;
    cmd->n_notes = 0;
}
