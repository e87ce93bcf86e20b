/* SPDX-License-Identifier: MIT */
/*
 * Direct Linux boot (descriptor firmware type "none"): the kernel, initrd
 * and command line become measured pages of the IGVM file, with everything
 * a firmware would otherwise prepare -- boot_params, identity page tables, a
 * GDT and the CPU state at the kernel's 64-bit entry.
 *
 * File layout (docs/packer-layout.md section 5):
 *   SUPPORTED_PLATFORM sev-snp (mask 0x1), native (mask 0x2)
 *   GUEST_POLICY (sev-snp)
 *   PAGE_DATA, one per 4 KiB page, in ascending GPA order; pages whose
 *     bytes are the same on both platforms carry mask 0x3, the rest
 *     (boot_params, page tables, SNP pages, the reset stub) one bit each
 *   VP_CONTEXT native (vp 0)
 *   VP_CONTEXT sev-snp, one VMSA per vCPU at 0xFFFFFFFFF000, last
 *     (docs/measure-snp.md section 5: KVM measures VMSAs after every page).
 *
 * Guest-physical layout (linux-direct.h; all identity mapped by 2 MiB pages):
 *   0x0 BIOS data area (EBDA pointer) | 0x9D000 EBDA: MP table (every vCPU)
 *   0x1000 GDT (0x10 64-bit code, 0x18 data) | 0x2000-0x7FFF PML4, PDPT, 4 PDs
 *   0x8000 stack page | 0x9000 boot_params | 0xA000 SNP setup_data + CC blob
 *   0xB000 native ACPI tables (RSDP, XSDT, FADT, FACS, DSDT: power off)
 *   0x20000 command line | 0x9E000 SNP secrets | 0x9F000 SNP CPUID
 *   kernel at pref_address (aligned to kernel_alignment), init_size reserved
 *   initrd page aligned at the top of RAM below 4 GiB, initrd_addr_max and,
 *     for SNP, the pre-validated RAM
 *   native: 0xFFFF0000-0xFFFFFFFF a 64 KiB "ROM" ending in the reset stub
 *   e820: RAM [0, 0xA0000), [1 MiB, low end), [4 GiB, ...) with QEMU q35's
 *     split (low end 2 GiB once memory >= 2.75 GiB).
 *
 * SEV-SNP specifics:
 *   - The BSP's VMSA is already in 64-bit mode at startup_64 with RSI =
 *     boot_params.  Every AP gets the reset-state VMSA QEMU gives a vCPU
 *     without a VP context (EIP 0xFFFFFFF0), because KVM measures one VMSA
 *     per vCPU at launch finish whether or not the file has one; putting them
 *     in the file makes the file's digest the launch digest.  Linux brings
 *     the APs up itself with fresh VMSAs (SNP AP creation), so their reset
 *     state is never run.
 *   - Guest RAM must be validated before Linux touches it (no firmware
 *     validates it for us), so every page of the pre-validated RAM is in
 *     the launch image, data-less where nothing else is there; the SNP e820
 *     map lists only that RAM.  Each GiB costs 262144 PAGE_DATA directives
 *     (8 MiB of headers with TLV framing) and 262144 SHA-384 measurement
 *     steps, so the default pre-validates only what the guest needs: 1 GiB
 *     of working RAM plus room for the initrd (IGK_DIRECT_PREVALIDATE_DEFAULT),
 *     or all of memory when that is less.  A larger SNP guest sees the rest
 *     only if sev-snp.prevalidate names it (up to the reader's 4 Mi headers,
 *     about 15.9 GiB) or if a firmware that accepts memory at run time
 *     (firmware type ovmf, EFI unaccepted memory) boots it instead.
 *   - Page-table entries carry the C-bit (IGK_DIRECT_SNP_C_BIT), so the SNP
 *     page tables differ from the native ones.
 */
#include <stdlib.h>
#include <string.h>

#include "bzimage.h"
#include "direct-boot.h"
#include "file-input.h"
#include "held-input.h"
#include "model-build.h"
#include "pack-private.h"
#include "input-hash.h"
#include "le.h"
#include "linux-direct.h"
#include "util.h"
#include "vmsa.h"

#define MASK_SNP 0x1u
#define MASK_NATIVE 0x2u
#define PAGE 4096ull

/* pages consecutive pages from gpa on (data, when not NULL, contiguous too). */
struct page_item {
    uint64_t gpa;
    uint32_t mask;
    uint16_t data_type;
    uint32_t pages;
    const uint8_t *data; /* kept in the model, or NULL */
    size_t seq;          /* insertion order: ties keep it */
};

struct builder {
    struct igk_igvm *igvm;
    uint32_t masks; /* platforms requested */
    struct page_item *items;
    size_t n, cap;
    /* SNP pre-validated RAM: every page no item covers for SNP becomes a
     * data-less PAGE_DATA, generated while emitting rather than stored
     * (a GiB of it would be 262144 items). */
    struct igk_e820_entry snp_ram[IGK_E820_MAX];
    unsigned n_snp_ram;
};

static int add_pages(struct builder *b, uint64_t gpa, uint32_t mask, uint16_t data_type,
                     const uint8_t *data, uint32_t pages, struct igk_error *err)
{
    mask &= b->masks;
    if (!mask)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        struct page_item *items = realloc(b->items, cap * sizeof(*items));

        if (!items)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        b->items = items;
        b->cap = cap;
    }
    b->items[b->n] = (struct page_item){gpa, mask, data_type, pages, data, b->n};
    b->n++;
    return 0;
}

static int add_page(struct builder *b, uint64_t gpa, uint32_t mask, uint16_t data_type,
                    const uint8_t *data, struct igk_error *err)
{
    return add_pages(b, gpa, mask, data_type, data, 1, err);
}

/* A page built here: copied into the model's storage. */
static int add_built_page(struct builder *b, uint64_t gpa, uint32_t mask, uint16_t data_type,
                          const uint8_t *bytes, struct igk_error *err)
{
    const uint8_t *kept;

    if (!(mask & b->masks))
        return 0;
    kept = igk_igvm_keep(b->igvm, bytes, PAGE);
    if (!kept)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    return add_page(b, gpa, mask, data_type, kept, err);
}

/*
 * len bytes of data from gpa on, one page per 4 KiB (the tail zero padded).
 * held: data lies in an input the model holds (igk_igvm_hold_input()), so
 * whole pages refer to it where it is; otherwise they are copied.
 */
static int add_blob(struct builder *b, uint64_t gpa, uint32_t mask, const uint8_t *data,
                    size_t len, bool held, struct igk_error *err)
{
    size_t whole = held ? len / PAGE : 0, pages = (len + PAGE - 1) / PAGE;
    uint8_t *copy = NULL;
    const uint8_t *kept = NULL;
    int r;

    if (!len)
        return 0;
    /* One item for the whole pages: a 1 GiB initrd is not 262144 items to sort. */
    if (whole > UINT32_MAX)
        return igk_error_set(err, IGK_E_INTERNAL, "blob of %zu pages is too large", whole);
    if (whole && (r = add_pages(b, gpa, mask, IGK_PAGE_DATA_NORMAL, data, (uint32_t)whole, err)))
        return r;
    if (whole == pages)
        return 0;
    copy = calloc(pages - whole, PAGE);
    if (!copy)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    memcpy(copy, data + whole * PAGE, len - whole * PAGE);
    kept = igk_igvm_keep(b->igvm, copy, (pages - whole) * PAGE);
    free(copy);
    if (!kept)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = whole; i < pages; i++)
        if ((r = add_page(b, gpa + i * PAGE, mask, IGK_PAGE_DATA_NORMAL,
                          kept + (i - whole) * PAGE, err)))
            return r;
    return 0;
}

static int cmp_items(const void *a, const void *b)
{
    const struct page_item *x = a, *y = b;

    if (x->gpa != y->gpa)
        return x->gpa < y->gpa ? -1 : 1;
    if (x->mask != y->mask) /* SNP (0x1) before native (0x2) before shared (0x3) */
        return x->mask < y->mask ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int append_header(struct builder *b, const struct igk_header *h, struct igk_error *err)
{
    return igk_igvm_add_built(b->igvm, h, err);
}

/* The BSP: 64-bit mode at the kernel entry (boot.rst 64-bit protocol). */
static void snp_bsp_vmsa(uint8_t *vmsa, const struct igk_spec *spec,
                         const struct igk_reset_stub_in *cpu, uint64_t pt_gpa)
{
    const struct igk_vmsa_segment code = {IGK_DIRECT_CS, 0xA9B, 0xFFFFFFFFu, 0};
    const struct igk_vmsa_segment data = {IGK_DIRECT_DS, 0xC93, 0xFFFFFFFFu, 0};

    /* Start from the reset state for everything Linux does not care about
     * (PAT, XCR0, MXCSR, FCW, DR6/DR7, LDTR, TR, RDX = vCPU signature). */
    igk_vmsa_reset_state(vmsa, 0xFFFFFFF0u, true, spec->snp.vmm, spec->snp.vcpu_sig,
                         spec->snp.guest_features);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_CS, code);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_ES, data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_SS, data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_DS, data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_FS, data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_GS, data);
    igk_vmsa_set_segment(vmsa, IGK_VMSA_GDTR,
                         (struct igk_vmsa_segment){0, 0, IGK_DIRECT_GDT_LIMIT, cpu->gdt_gpa});
    igk_vmsa_set_u64(vmsa, IGK_VMSA_EFER, IGK_DIRECT_EFER | IGK_DIRECT_EFER_SVME);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_CR0, IGK_DIRECT_CR0);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_CR3, pt_gpa);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_CR4, IGK_DIRECT_CR4);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_RIP, cpu->entry);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_RSP, cpu->stack_top);
    igk_vmsa_set_u64(vmsa, IGK_VMSA_RSI, cpu->boot_params_gpa);
}

static int check_platforms(const struct igk_spec *spec, struct igk_error *err)
{
    uint32_t supported = (1u << IGK_PLATFORM_NATIVE) | (1u << IGK_PLATFORM_SEV_SNP);

    if (spec->platforms & (1u << IGK_PLATFORM_TDX)) {
        const struct igk_spec_mark *m = &spec->platform_mark[IGK_PLATFORM_TDX];

        igk_error_set_mark(err, m->line, m->column);
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "direct boot for TDX needs a reset-page trampoline and memory "
                             "acceptance; not supported");
    }
    for (int p = 0; p < IGK_PLATFORM_MAX; p++) {
        if ((spec->platforms & (1u << p)) && !(supported & (1u << p))) {
            const struct igk_spec_mark *m = &spec->platform_mark[p];

            igk_error_set_mark(err, m->line, m->column);
            return igk_error_set(err, IGK_E_UNSUPPORTED,
                                 "direct boot (firmware type none) supports the native and "
                                 "sev-snp platforms, not %s",
                                 igk_platform_name((enum igk_platform_type)p));
        }
    }
    if (!(spec->platforms & supported))
        return igk_error_set(err, IGK_E_USAGE, "direct boot needs the native or sev-snp platform");
    return 0;
}

/* Everything the layout decides, before any page is built. */
struct layout {
    uint64_t memory, low_end, high;
    uint64_t snp_ram;     /* bytes of RAM pre-validated for SNP */
    uint64_t kernel_gpa, kernel_end, entry;
    uint64_t initrd_gpa, initrd_size;
    uint64_t cmdline_len; /* without NUL */
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/*
 * Guest RAM ends at 4 GiB + (memory - low end).  Every guest-physical
 * address must stay below the SEV-SNP C-bit, which the SNP page tables set
 * (AMD64 APM vol. 2, "Secure Encrypted Virtualization": the C-bit position
 * bounds the usable guest-physical address space), so that is the most RAM
 * this layout places -- for native too, so both platforms see one machine.
 */
static int check_memory(uint64_t memory, struct igk_error *err)
{
    uint64_t top_limit = 1ull << IGK_DIRECT_SNP_C_BIT;
    uint64_t max = top_limit - IGK_DIRECT_4GIB + IGK_DIRECT_Q35_LOWMEM_SPLIT;
    uint64_t low_end, high;

    if (memory <= max)
        return 0;
    igk_direct_ram_split(memory, &low_end, &high);
    return igk_error_set(err, IGK_E_INVALID,
                         "memory of %llu bytes does not fit the direct-boot layout: guest RAM "
                         "would end at %#llx, above the guest-physical limit %#llx (the SEV-SNP "
                         "C-bit); set memory to at most %llu bytes",
                         (unsigned long long)memory, (unsigned long long)(IGK_DIRECT_4GIB + high),
                         (unsigned long long)top_limit, (unsigned long long)max);
}

/*
 * Every 4 KiB of pre-validated RAM is one PAGE_DATA directive.  A 2 MiB
 * directive would be cheaper, but QEMU (backends/igvm.c) hands an IS_2MB_PAGE
 * region to KVM, which launches it as 512 4 KiB SNP_LAUNCH_UPDATE steps
 * (arch/x86/kvm/svm/sev.c, sev_gmem_post_populate), while loaders built on
 * the igvm crate measure one step per directive: the launch digests would
 * disagree.  So the header count grows with prevalidate and must stay within
 * what IGVM readers accept (igk_read_limits_default()).  The count here bounds
 * what build_pages() adds: every SNP RAM page, the secrets and CPUID pages,
 * the native-only pages (ROM, page tables, boot_params, ACPI), the platform and
 * policy headers and the VP contexts.
 */
static int check_header_budget(uint64_t snp_ram, bool native, unsigned vcpus,
                               struct igk_error *err)
{
    struct igk_read_limits limits;
    uint64_t fixed = 2 + 3 + (native ? 16 + IGK_DIRECT_PT_PAGES + 1 + 1 + 1 : 0) + vcpus;
    uint64_t pages = snp_ram / PAGE, max_bytes;

    igk_read_limits_default(&limits);
    if (pages + fixed <= limits.max_headers)
        return 0;
    max_bytes = ((limits.max_headers - fixed) * PAGE) & ~(IGK_DIRECT_2MIB - 1);
    return igk_error_set(err, IGK_E_INVALID,
                         "sev-snp prevalidate of %llu bytes needs %llu headers, more than the %zu "
                         "an IGVM reader accepts (one per 4 KiB of pre-validated RAM); set "
                         "platforms.sev-snp.prevalidate to at most %llu bytes (%lluM)",
                         (unsigned long long)snp_ram, (unsigned long long)(pages + fixed),
                         limits.max_headers, (unsigned long long)max_bytes,
                         (unsigned long long)(max_bytes >> 20));
}

static int plan(const struct igk_spec *spec, const struct igk_bzimage *bz, size_t initrd_size,
                bool snp, bool native, struct layout *l, struct igk_error *err)
{
    uint64_t ram_top, initrd_top, span;
    unsigned vcpus = spec->vcpus ? spec->vcpus : 1;
    int r;
    const char *cmdline = spec->has_cmdline && spec->cmdline ? spec->cmdline : "";

    l->memory = spec->memory;
    igk_direct_ram_split(l->memory, &l->low_end, &l->high);
    if ((r = check_memory(l->memory, err)))
        return igk_pack_error_at(spec, spec->memory_mark, spec->memory_mark, err);
    if (spec->snp.has_prevalidate && spec->snp.prevalidate) {
        l->snp_ram = align_up(spec->snp.prevalidate, PAGE);
    } else {
        /* Only what the guest needs by default: the rest of a large guest's
         * RAM is left out of its SNP memory map (see the file comment). */
        l->snp_ram = IGK_DIRECT_PREVALIDATE_DEFAULT + align_up(initrd_size, IGK_DIRECT_2MIB);
        if (l->snp_ram > l->memory)
            l->snp_ram = l->memory;
    }
    if (snp && l->snp_ram > l->memory) {
        /* A descriptor value: point at it (or the sev-snp entry when defaulted). */
        igk_error_set(err, IGK_E_INVALID,
                      "sev-snp prevalidate (%llu bytes) is larger than memory (%llu bytes)",
                      (unsigned long long)l->snp_ram, (unsigned long long)l->memory);
        return igk_pack_error_at(spec, spec->snp.prevalidate_mark,
                                 spec->platform_mark[IGK_PLATFORM_SEV_SNP], err);
    }
    if (snp && (r = check_header_budget(l->snp_ram, native, vcpus, err)))
        return igk_pack_error_at(spec, spec->snp.prevalidate_mark,
                                 spec->platform_mark[IGK_PLATFORM_SEV_SNP], err);

    l->cmdline_len = strlen(cmdline);
    if (l->cmdline_len > bz->cmdline_size) {
        igk_error_set(err, IGK_E_INVALID,
                      "command line is %llu bytes, longer than the kernel's cmdline_size of %u "
                      "bytes",
                      (unsigned long long)l->cmdline_len, bz->cmdline_size);
        return igk_pack_error_at(spec, spec->cmdline_mark, spec->cmdline_mark, err);
    }
    if (l->cmdline_len + 1 > IGK_DIRECT_CMDLINE_MAX) {
        igk_error_set(err, IGK_E_UNSUPPORTED,
                      "command line is %llu bytes; direct boot places at most %llu",
                      (unsigned long long)l->cmdline_len,
                      (unsigned long long)IGK_DIRECT_CMDLINE_MAX - 1);
        return igk_pack_error_at(spec, spec->cmdline_mark, spec->cmdline_mark, err);
    }

    /* Everything Linux needs at entry lives in RAM below 4 GiB; for SNP it
     * must also be pre-validated. */
    ram_top = l->low_end;
    if (snp && l->snp_ram < ram_top)
        ram_top = l->snp_ram;

    /* boot.rst: a relocatable kernel may go anywhere aligned to
     * kernel_alignment; pref_address is where it runs without relocating. */
    l->kernel_gpa = bz->pref_address;
    if (bz->relocatable)
        l->kernel_gpa = align_up(l->kernel_gpa, bz->kernel_alignment);
    if (l->kernel_gpa < IGK_DIRECT_HIGH_RAM_START)
        l->kernel_gpa = IGK_DIRECT_HIGH_RAM_START; /* keep the first MiB for our pages */
    span = align_up(bz->kernel_size, PAGE);
    if (span < bz->init_size)
        span = align_up(bz->init_size, PAGE);
    l->kernel_end = l->kernel_gpa + span;
    l->entry = l->kernel_gpa + IGK_BZ_STARTUP_64_OFFSET;
    if (l->kernel_end > ram_top) {
        igk_error_set(err, IGK_E_INVALID,
                      "kernel does not fit in memory: loaded at %#llx it needs %llu bytes "
                      "(init_size), up to %#llx, but %s RAM ends at %#llx",
                      (unsigned long long)l->kernel_gpa, (unsigned long long)span,
                      (unsigned long long)l->kernel_end,
                      ram_top < l->low_end ? "pre-validated" : "low", (unsigned long long)ram_top);
        /* The size that is too small: prevalidate when it bounds RAM, else memory. */
        if (ram_top < l->low_end)
            return igk_pack_error_at(spec, spec->snp.prevalidate_mark,
                                     spec->platform_mark[IGK_PLATFORM_SEV_SNP], err);
        return igk_pack_error_at(spec, spec->memory_mark, spec->kernel.mark, err);
    }

    l->initrd_size = initrd_size;
    l->initrd_gpa = 0;
    if (initrd_size) {
        /* boot.rst: the initrd must end at or below initrd_addr_max; put it
         * as high as possible, away from the kernel's decompression space. */
        initrd_top = ram_top;
        if ((uint64_t)bz->initrd_addr_max + 1 < initrd_top)
            initrd_top = (uint64_t)bz->initrd_addr_max + 1;
        if (initrd_size > initrd_top || ((initrd_top - initrd_size) & ~(PAGE - 1)) < l->kernel_end) {
            /* The initrd is what does not fit: point at it, not the kernel. */
            igk_error_set(err, IGK_E_INVALID,
                          "initrd does not fit in memory: %llu bytes must lie between the "
                          "kernel's end at %#llx and %#llx",
                          (unsigned long long)initrd_size, (unsigned long long)l->kernel_end,
                          (unsigned long long)initrd_top);
            igk_error_set_path(err, spec->initrd.path);
            return igk_pack_error_at(spec, spec->initrd.mark, spec->initrd.mark, err);
        }
        l->initrd_gpa = (initrd_top - initrd_size) & ~(PAGE - 1);
    }
    return 0;
}

static int build_pages(struct builder *b, const struct igk_spec *spec,
                       const struct igk_bzimage *bz, const uint8_t *initrd,
                       const struct layout *l, const struct igk_reset_stub_in *cpu,
                       struct igk_error *err)
{
    uint8_t page[4096];
    uint8_t *pt = malloc((size_t)IGK_DIRECT_PT_PAGES * PAGE);
    struct igk_e820_entry e820[IGK_E820_MAX];
    struct igk_boot_params_in bp = {
        .bz = bz,
        .cmdline_gpa = IGK_DIRECT_CMDLINE_GPA,
        .initrd_gpa = l->initrd_gpa,
        .initrd_size = l->initrd_size,
    };
    const char *cmdline = spec->has_cmdline && spec->cmdline ? spec->cmdline : "";
    int r = 0;

    if (!pt)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");

    /* Without ACPI, the MP table is how the kernel finds the other vCPUs. */
    igk_direct_bda(page);
    if ((r = add_built_page(b, 0, MASK_SNP | MASK_NATIVE, 0, page, err)))
        goto out;
    igk_direct_mp_table(page, spec->vcpus ? spec->vcpus : 1);
    if ((r = add_built_page(b, IGK_DIRECT_MP_GPA, MASK_SNP | MASK_NATIVE, 0, page, err)))
        goto out;

    igk_direct_gdt(page, IGK_DIRECT_GDT_GPA);
    if ((r = add_built_page(b, IGK_DIRECT_GDT_GPA, MASK_SNP | MASK_NATIVE, 0, page, err)))
        goto out;

    igk_direct_page_tables(pt, IGK_DIRECT_PML4_GPA, 0);
    for (unsigned i = 0; i < IGK_DIRECT_PT_PAGES; i++)
        if ((r = add_built_page(b, IGK_DIRECT_PML4_GPA + i * PAGE, MASK_NATIVE, 0, pt + i * PAGE,
                                err)))
            goto out;
    igk_direct_page_tables(pt, IGK_DIRECT_PML4_GPA, 1ull << IGK_DIRECT_SNP_C_BIT);
    for (unsigned i = 0; i < IGK_DIRECT_PT_PAGES; i++)
        if ((r = add_built_page(b, IGK_DIRECT_PML4_GPA + i * PAGE, MASK_SNP, 0, pt + i * PAGE,
                                err)))
            goto out;

    /* boot_params: native sees all of memory; SNP sees the pre-validated
     * RAM and the CC blob through setup_data. */
    bp.e820 = e820;
    bp.n_e820 = igk_direct_e820_native(l->memory, e820);
    bp.acpi_rsdp_gpa = IGK_DIRECT_ACPI_GPA;
    igk_direct_boot_params(page, &bp);
    if ((r = add_built_page(b, IGK_DIRECT_BOOT_PARAMS_GPA, MASK_NATIVE, 0, page, err)))
        goto out;
    bp.acpi_rsdp_gpa = 0;
    bp.n_e820 = igk_direct_e820(l->memory, l->snp_ram, true, e820);
    bp.setup_data_gpa = IGK_DIRECT_SETUP_DATA_GPA;
    igk_direct_boot_params(page, &bp);
    if ((r = add_built_page(b, IGK_DIRECT_BOOT_PARAMS_GPA, MASK_SNP, 0, page, err)))
        goto out;

    /* native: ACPI tables, so that the guest can power off (linux-acpi.c).
     * SEV-SNP gets none: its launch digest stays what it was, and the PM
     * block a firmware would map is not there for it either. */
    {
        uint64_t low_end, high;

        igk_direct_ram_split(l->memory, &low_end, &high);
        igk_direct_acpi_tables(page, IGK_DIRECT_ACPI_GPA, spec->vcpus ? spec->vcpus : 1,
                               (uint32_t)low_end);
    }
    if ((r = add_built_page(b, IGK_DIRECT_ACPI_GPA, MASK_NATIVE, 0, page, err)))
        goto out;

    igk_direct_cc_blob(page, IGK_DIRECT_SECRETS_GPA, IGK_DIRECT_CPUID_GPA);
    if ((r = add_built_page(b, IGK_DIRECT_SETUP_DATA_GPA, MASK_SNP, 0, page, err)))
        goto out;
    /* The PSP fills the secrets page; a data-less SECRETS page asks for it. */
    if ((r = add_page(b, IGK_DIRECT_SECRETS_GPA, MASK_SNP, IGK_PAGE_DATA_SECRETS, NULL, err)))
        goto out;
    igk_direct_cpuid_page(page);
    if ((r = add_built_page(b, IGK_DIRECT_CPUID_GPA, MASK_SNP, IGK_PAGE_DATA_CPUID_DATA, page,
                            err)))
        goto out;

    /* The command line with its NUL (boot.rst: cmd_line_ptr points at a
     * NUL-terminated string). */
    if ((r = add_blob(b, IGK_DIRECT_CMDLINE_GPA, MASK_SNP | MASK_NATIVE,
                      (const uint8_t *)cmdline, l->cmdline_len + 1, false, err)))
        goto out;
    if ((r = add_blob(b, l->kernel_gpa, MASK_SNP | MASK_NATIVE, bz->kernel, bz->kernel_size,
                      true, err)))
        goto out;
    if (l->initrd_size && (r = add_blob(b, l->initrd_gpa, MASK_SNP | MASK_NATIVE, initrd,
                                        l->initrd_size, true, err)))
        goto out;

    /* native: a 64 KiB "firmware" ending at 4 GiB whose last page is the
     * reset stub (QEMU -bios wants a multiple of 64 KiB).  The zero pages
     * carry (deduplicated) data so that a loader or extractor merging pages
     * by kind sees one 64 KiB region. */
    memset(page, 0, sizeof(page));
    for (uint64_t gpa = IGK_DIRECT_ROM_GPA; gpa < IGK_DIRECT_STUB_GPA; gpa += PAGE)
        if ((r = add_built_page(b, gpa, MASK_NATIVE, 0, page, err)))
            goto out;
    igk_direct_reset_stub(page, cpu);
    if ((r = add_built_page(b, IGK_DIRECT_STUB_GPA, MASK_NATIVE, 0, page, err)))
        goto out;

    /* SNP: every other page of pre-validated RAM, data-less (emit_pages()). */
    if (b->masks & MASK_SNP) {
        unsigned n_e820 = igk_direct_e820(l->memory, l->snp_ram, true, e820);

        for (unsigned i = 0; i < n_e820; i++)
            if (e820[i].type == IGK_E820_RAM)
                b->snp_ram[b->n_snp_ram++] = e820[i];
    }
    qsort(b->items, b->n, sizeof(*b->items), cmp_items);
out:
    free(pt);
    return r;
}

static int emit_item(struct builder *b, const struct page_item *it, struct igk_error *err)
{
    struct igk_header h = {.type = IGK_VHT_PAGE_DATA};

    h.u.page_data = (struct igk_page_data){it->gpa, it->mask, 0, 0, it->data_type, 0};
    h.data = it->data;
    h.data_size = it->data ? (uint32_t)PAGE : 0;
    return igk_igvm_add_built(b->igvm, &h, err);
}

/* A position in the sorted items, page by page. */
struct item_pos {
    size_t i;   /* item */
    uint32_t k; /* page of it */
};

static bool pos_valid(const struct builder *b, const struct item_pos *p)
{
    return p->i < b->n;
}

static uint64_t pos_gpa(const struct builder *b, const struct item_pos *p)
{
    return b->items[p->i].gpa + (uint64_t)p->k * PAGE;
}

/* The page at p as an item of its own; p moves to the next page. */
static struct page_item pos_take(const struct builder *b, struct item_pos *p)
{
    struct page_item one = b->items[p->i];

    one.gpa += (uint64_t)p->k * PAGE;
    if (one.data)
        one.data += (size_t)p->k * PAGE;
    one.pages = 1;
    if (++p->k == b->items[p->i].pages) {
        p->i++;
        p->k = 0;
    }
    return one;
}

/*
 * The PAGE_DATA headers in ascending GPA order: the sorted items, page by
 * page, merged with the data-less SNP RAM pages they do not cover.  At one
 * GPA a generated page (mask 0x1) sorts before the native-only item there
 * (cmp_items).  Items of several pages overlap no other item
 * (check_items()), so their pages stay in order.  emit false: only counts
 * them (*ret_count).
 */
static int emit_pages(struct builder *b, bool emit, size_t *ret_count, struct igk_error *err)
{
    struct item_pos pos = {0, 0};
    size_t count = 0;
    int r;

    for (unsigned k = 0; k < b->n_snp_ram; k++) {
        const struct igk_e820_entry *e = &b->snp_ram[k];

        for (uint64_t gpa = e->addr; gpa < e->addr + e->size; gpa += PAGE) {
            bool covered = false;

            for (; pos_valid(b, &pos) && pos_gpa(b, &pos) < gpa; count++) {
                struct page_item one = pos_take(b, &pos);

                if (emit && (r = emit_item(b, &one, err)))
                    return r;
            }
            for (struct item_pos q = pos; pos_valid(b, &q) && pos_gpa(b, &q) == gpa && !covered;)
                covered = pos_take(b, &q).mask & MASK_SNP;
            if (covered)
                continue;
            count++;
            if (emit) {
                const struct page_item gen = {gpa, MASK_SNP, 0, 1, NULL, 0};

                if ((r = emit_item(b, &gen, err)))
                    return r;
            }
        }
    }
    for (; pos_valid(b, &pos); count++) {
        struct page_item one = pos_take(b, &pos);

        if (emit && (r = emit_item(b, &one, err)))
            return r;
    }
    *ret_count = count;
    return 0;
}

/* The layout places blobs apart from every built page; a change that breaks
 * that would misorder the headers, so it fails here instead. */
static int check_items(const struct builder *b, struct igk_error *err)
{
    for (size_t i = 0; i + 1 < b->n; i++)
        if (b->items[i].pages > 1 &&
            b->items[i].gpa + (uint64_t)b->items[i].pages * PAGE > b->items[i + 1].gpa)
            return igk_error_set(err, IGK_E_INTERNAL,
                                 "direct-boot layout: pages at %#llx overlap the blob at %#llx",
                                 (unsigned long long)b->items[i + 1].gpa,
                                 (unsigned long long)b->items[i].gpa);
    return 0;
}

static int emit_model(struct builder *b, const struct igk_spec *spec,
                      const struct igk_reset_stub_in *cpu, struct igk_error *err)
{
    struct igk_header h;
    uint8_t ctx[4096];
    const uint8_t *kept;
    size_t n_pages;
    int r;

    /* The header array at its final size: no doubling on the way there. */
    if ((r = check_items(b, err)) || (r = emit_pages(b, false, &n_pages, err)) ||
        (r = igk_igvm_reserve(b->igvm, n_pages + 4 + (spec->vcpus ? spec->vcpus : 1), err)))
        return r;
    if (b->masks & MASK_SNP) {
        h = (struct igk_header){.type = IGK_VHT_SUPPORTED_PLATFORM};
        h.u.platform = (struct igk_supported_platform){MASK_SNP, 0, IGK_PLATFORM_SEV_SNP, 1, 0};
        if ((r = append_header(b, &h, err)))
            return r;
    }
    if (b->masks & MASK_NATIVE) {
        h = (struct igk_header){.type = IGK_VHT_SUPPORTED_PLATFORM};
        h.u.platform = (struct igk_supported_platform){MASK_NATIVE, 0, IGK_PLATFORM_NATIVE, 1, 0};
        if ((r = append_header(b, &h, err)))
            return r;
    }
    if (b->masks & MASK_SNP) {
        h = (struct igk_header){.type = IGK_VHT_GUEST_POLICY};
        h.u.guest_policy = (struct igk_guest_policy){spec->snp.policy, MASK_SNP, 0};
        if ((r = append_header(b, &h, err)))
            return r;
    }
    if ((r = emit_pages(b, true, &n_pages, err)))
        return r;
    if (b->masks & MASK_NATIVE) {
        igk_direct_native_context(ctx, cpu);
        if (!(kept = igk_igvm_keep(b->igvm, ctx, sizeof(ctx))))
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        h = (struct igk_header){.type = IGK_VHT_VP_CONTEXT};
        h.u.vp_context = (struct igk_vp_context){0, MASK_NATIVE, 0, 0, 0};
        h.data = kept;
        h.data_size = sizeof(ctx);
        if ((r = append_header(b, &h, err)))
            return r;
    }
    if (b->masks & MASK_SNP) {
        unsigned vcpus = spec->vcpus ? spec->vcpus : 1;

        for (unsigned vp = 0; vp < vcpus; vp++) {
            if (vp == 0)
                snp_bsp_vmsa(ctx, spec, cpu, IGK_DIRECT_PML4_GPA);
            else
                igk_vmsa_reset_state(ctx, 0xFFFFFFF0u, false, spec->snp.vmm, spec->snp.vcpu_sig,
                                     spec->snp.guest_features);
            if (!(kept = igk_igvm_keep(b->igvm, ctx, sizeof(ctx))))
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            h = (struct igk_header){.type = IGK_VHT_VP_CONTEXT};
            h.u.vp_context = (struct igk_vp_context){IGK_VMSA_GPA, MASK_SNP, 0, (uint16_t)vp, 0};
            h.data = kept;
            h.data_size = sizeof(ctx);
            if ((r = append_header(b, &h, err)))
                return r;
        }
    }
    return 0;
}

/* Maps one input file and records it for provenance (role, path, SHA-256). */
static int map_input(const struct igk_spec_file *f, const char *role, enum igk_limit_id limit,
                     unsigned flags,
                     struct igk_pack_input *inputs, size_t *n_inputs, struct igk_mapped_file *m,
                     struct igk_error *err)
{
    struct igk_pack_input *in = &inputs[*n_inputs];
    int r = igk_map_file_limit(f->open_path ? f->open_path : f->path, limit, role, m, err);

    if (r < 0) {
        igk_error_prefix(err, "%s", role);
        return r;
    }
    memset(in, 0, sizeof(*in));
    in->role = role;
    in->size = m->size;
    if (!(in->path = strdup(f->path ? f->path : "")))
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    (*n_inputs)++;
    if (flags & IGK_PACK_NO_INPUT_DIGESTS)
        return 0;
    return igk_input_sha256(m, f->path ? f->path : role, in->sha256, err);
}

int igk_pack_direct(const struct igk_spec *spec, struct igk_pack_result *ret,
                    struct igk_error *err)
{
    return igk_pack_direct_ex(spec, 0, ret, err);
}

int igk_pack_direct_ex(const struct igk_spec *spec, unsigned flags, struct igk_pack_result *ret,
                       struct igk_error *err)
{
    struct igk_mapped_file kernel = {0}, initrd = {0};
    struct builder b = {0};
    struct igk_bzimage bz;
    struct layout l;
    struct igk_reset_stub_in cpu;
    struct igk_pack_input *inputs = calloc(2, sizeof(*inputs));
    size_t n_inputs = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    if (!inputs)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");

    if ((r = check_platforms(spec, err)))
        goto out;
    if (!spec->kernel.present) {
        r = igk_error_set(err, IGK_E_INVALID, "firmware type none (direct boot) needs a kernel");
        goto out;
    }
    if (spec->vcpus > 0xFFFF) {
        r = igk_error_set(err, IGK_E_UNSUPPORTED, "too many vCPUs for direct boot");
        goto out;
    }
    if (spec->platforms & (1u << IGK_PLATFORM_SEV_SNP))
        b.masks |= MASK_SNP;
    if (spec->platforms & (1u << IGK_PLATFORM_NATIVE))
        b.masks |= MASK_NATIVE;

    if ((r = map_input(&spec->kernel, "kernel", IGK_LIMIT_KERNEL_SIZE, flags, inputs, &n_inputs,
                       &kernel, err)))
        goto out;
    if ((r = igk_bzimage_parse(kernel.data, kernel.size, &bz, err))) {
        igk_error_set_path(err, spec->kernel.path);
        goto out;
    }
    if (spec->initrd.present &&
        (r = map_input(&spec->initrd, "initrd", IGK_LIMIT_INITRD_SIZE, flags, inputs, &n_inputs,
                       &initrd, err)))
        goto out;
    if ((r = plan(spec, &bz, initrd.size, b.masks & MASK_SNP, b.masks & MASK_NATIVE, &l, err)))
        goto out;

    cpu = (struct igk_reset_stub_in){
        .gdt_gpa = IGK_DIRECT_GDT_GPA,
        .pml4_gpa = IGK_DIRECT_PML4_GPA,
        .stack_top = IGK_DIRECT_STACK_TOP,
        .boot_params_gpa = IGK_DIRECT_BOOT_PARAMS_GPA,
        .entry = l.entry,
    };
    b.igvm = igk_igvm_new(1, IGK_ARCH_X64);
    if (!b.igvm) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    if ((flags & IGK_PACK_LEAN) && (r = igk_igvm_build_lean(b.igvm, err)))
        goto out;
    /* Kernel and initrd pages refer to the mappings, which the model now
     * owns: their addresses (bz points into the kernel) stay valid. */
    {
        const uint8_t *kernel_bytes, *initrd_bytes = NULL;

        if ((r = igk_igvm_hold_input(b.igvm, &kernel, spec->kernel.path, &kernel_bytes, err)))
            goto out;
        if (spec->initrd.present &&
            (r = igk_igvm_hold_input(b.igvm, &initrd, spec->initrd.path, &initrd_bytes, err)))
            goto out;
        initrd.data = initrd_bytes;
    }
    if ((r = build_pages(&b, spec, &bz, initrd.data, &l, &cpu, err)))
        goto out;
    if ((r = emit_model(&b, spec, &cpu, err)))
        goto out;
    if ((r = igk_igvm_validate(b.igvm, err)))
        goto out;

    ret->igvm = b.igvm;
    ret->flags = flags;
    ret->inputs = inputs;
    ret->n_inputs = n_inputs;
    b.igvm = NULL;
    inputs = NULL;
out:
    for (size_t i = 0; inputs && i < n_inputs; i++)
        free((char *)inputs[i].path);
    free(inputs);
    igk_igvm_free(b.igvm);
    free(b.items);
    igk_unmap_file(&kernel);
    igk_unmap_file(&initrd);
    return r;
}
