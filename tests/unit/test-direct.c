/* SPDX-License-Identifier: MIT */
/*
 * Direct Linux boot layout (igk_pack_direct) on a synthetic bzImage: the
 * exact directive list, the bytes of boot_params, the command line, the
 * stub and the VP contexts, read-back equality of the measurement,
 * reproducibility, and every refusal with its exact message.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/measure.h>

#include "direct-boot.h"
#include "direct-labels.h"
#include "le.h"
#include "linux-direct.h"
#include "tap.h"
#include "vmsa.h"

#define KERNEL_SIZE (64u * 1024u)
#define INITRD_SIZE 10000u
#define MIB (1024ull * 1024ull)

static char dir[] = "/tmp/igk-test-direct.XXXXXX";
static char kernel_path[256], initrd_path[256], junk_path[256];

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        abort();
}

/* The synthetic kernel: Debian 6.1's header values, a small init_size. */
static void make_kernel(uint8_t *img, uint16_t protocol, uint32_t cmdline_size)
{
    memset(img, 0, KERNEL_SIZE);
    img[IGK_BZ_SETUP_SECTS] = 39;
    igk_put_le16(img + IGK_BZ_BOOT_FLAG, 0xAA55);
    img[IGK_BZ_JUMP] = 0xEB;
    img[IGK_BZ_JUMP + 1] = 0x6A;
    igk_put_le32(img + IGK_BZ_HEADER_MAGIC, 0x53726448);
    igk_put_le16(img + IGK_BZ_VERSION, protocol);
    img[IGK_BZ_LOADFLAGS] = 0x01;
    igk_put_le32(img + IGK_BZ_CODE32_START, 0x100000);
    igk_put_le32(img + IGK_BZ_INITRD_ADDR_MAX, 0x7FFFFFFF);
    igk_put_le32(img + IGK_BZ_KERNEL_ALIGNMENT, 0x200000);
    img[IGK_BZ_RELOCATABLE] = 1;
    igk_put_le16(img + IGK_BZ_XLOADFLAGS, 0x7F);
    igk_put_le32(img + IGK_BZ_CMDLINE_SIZE, cmdline_size);
    igk_put_le64(img + IGK_BZ_PREF_ADDRESS, 0x1000000);
    igk_put_le32(img + IGK_BZ_INIT_SIZE, 0x100000);
    igk_put_le32(img + 0x1F4, (KERNEL_SIZE - 40 * 512) / 16); /* syssize */
    for (unsigned i = 40 * 512; i < KERNEL_SIZE; i++)
        img[i] = (uint8_t)(i * 7 + 1);
}

static void base_spec(struct igk_spec *s)
{
    memset(s, 0, sizeof(*s));
    s->version = 1;
    s->firmware_type = IGK_FIRMWARE_NONE;
    s->kernel = (struct igk_spec_file){true, kernel_path, kernel_path, {0, 0}};
    s->initrd = (struct igk_spec_file){true, initrd_path, initrd_path, {0, 0}};
    s->has_cmdline = true;
    s->cmdline = (char *)"console=ttyS0 quiet";
    s->vcpus = 2;
    s->memory = 64 * MIB;
    s->platforms = (1u << IGK_PLATFORM_NATIVE) | (1u << IGK_PLATFORM_SEV_SNP);
    s->snp.policy = 0x30000;
    s->snp.vmm = IGK_SNP_VMM_QEMU;
    s->snp.vcpu_sig = 0x800F12;
    s->snp.guest_features = 0x1;
}

static const struct igk_header *find_page(const struct igk_igvm *m, uint64_t gpa, uint32_t mask)
{
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct igk_header *h = &m->headers[i];

        if (h->type == IGK_VHT_PAGE_DATA && h->u.page_data.gpa == gpa &&
            h->u.page_data.compatibility_mask == mask)
            return h;
    }
    return NULL;
}

static void expect_fail(const struct igk_spec *s, int code, const char *message, const char *name)
{
    struct igk_pack_result res = {0};
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_pack_direct(s, &res, &err), code, "%s: error code", name);
    is_str(err.message, message, "%s: message", name);
    ok(res.igvm == NULL, "%s: no model", name);
}

static void check_layout(const struct igk_igvm *m, const uint8_t *kernel, const uint8_t *initrd)
{
    size_t n_snp = 0, n_native_only = 0, n_shared = 0, n_pages = 0;
    const struct igk_header *h;
    uint64_t prev = 0;
    bool sorted = true;

    is_int((long long)m->n_headers, 16318, "header count");
    is_int(m->headers[0].type, IGK_VHT_SUPPORTED_PLATFORM, "header 0 is a platform");
    is_int(m->headers[0].u.platform.platform_type, IGK_PLATFORM_SEV_SNP, "SNP first");
    is_int(m->headers[0].u.platform.compatibility_mask, 1, "SNP mask 0x1");
    is_int(m->headers[1].u.platform.platform_type, IGK_PLATFORM_NATIVE, "native second");
    is_int(m->headers[1].u.platform.compatibility_mask, 2, "native mask 0x2");
    is_int(m->headers[2].type, IGK_VHT_GUEST_POLICY, "guest policy");
    is_int((long long)m->headers[2].u.guest_policy.policy, 0x30000, "policy value");

    for (size_t i = 3; i < m->n_headers - 3; i++) {
        h = &m->headers[i];
        if (h->type != IGK_VHT_PAGE_DATA)
            continue;
        n_pages++;
        if (h->u.page_data.gpa < prev)
            sorted = false;
        prev = h->u.page_data.gpa;
        if (h->u.page_data.compatibility_mask & 1)
            n_snp++;
        if (h->u.page_data.compatibility_mask == 2)
            n_native_only++;
        if (h->u.page_data.compatibility_mask == 3)
            n_shared++;
    }
    is_int((long long)n_pages, 16312, "PAGE_DATA count");
    ok(sorted, "pages in ascending GPA order");
    /* SNP: RAM [0, 0x9E000) + [1 MiB, 64 MiB) + secrets + CPUID. */
    is_int((long long)n_snp, 158 + 16128 + 2, "SNP pages cover the pre-validated RAM");
    /* BDA, MP table, GDT, command line, 11 kernel pages, 3 initrd pages. */
    is_int((long long)n_shared, 18, "pages shared by both platforms");
    /* page tables 6, boot_params 1, ACPI tables 1, 64 KiB ROM 16. */
    is_int((long long)n_native_only, 24, "native-only pages");

    h = find_page(m, 0x1000000, 3);
    ok(h && h->data && !memcmp(h->data, kernel + 40 * 512, 4096), "kernel at pref_address");
    h = find_page(m, 0x100A000, 3);
    ok(h && h->data && !memcmp(h->data, kernel + 40 * 512 + 10 * 4096, 45056 - 40960),
       "last kernel page");
    h = find_page(m, 0x3FFD000, 3);
    ok(h && h->data && !memcmp(h->data, initrd, 4096), "initrd at the top of RAM");
    h = find_page(m, IGK_DIRECT_CMDLINE_GPA, 3);
    ok(h && h->data && !strcmp((const char *)h->data, "console=ttyS0 quiet"), "command line");

    h = find_page(m, IGK_DIRECT_BOOT_PARAMS_GPA, 2);
    if (ok(h && h->data, "native boot_params")) {
        const uint8_t *bp = h->data;

        is_int(bp[IGK_BZ_TYPE_OF_LOADER], 0xFF, "type_of_loader");
        is_int(igk_le32(bp + IGK_BZ_HEADER_MAGIC), 0x53726448, "setup header copied");
        is_int(igk_le32(bp + IGK_BZ_CMD_LINE_PTR), 0x20000, "cmd_line_ptr");
        is_int(igk_le32(bp + IGK_BZ_RAMDISK_IMAGE), 0x3FFD000, "ramdisk_image");
        is_int(igk_le32(bp + IGK_BZ_RAMDISK_SIZE), INITRD_SIZE, "ramdisk_size");
        is_int((long long)igk_le64(bp + IGK_BZ_SETUP_DATA), 0, "no setup_data");
        is_int((long long)igk_le64(bp + IGK_BP_ACPI_RSDP_ADDR), 0xB000, "acpi_rsdp_addr");
        is_int(bp[IGK_BP_E820_ENTRIES], 4, "four e820 entries");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 8), 0xB000, "low RAM up to ACPI");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 20), 0xB000, "ACPI page");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 28), 0x1000, "one page");
        is_int((long long)igk_le32(bp + IGK_BP_E820_TABLE + 36), 3, "typed ACPI");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 40), 0xC000, "RAM after ACPI");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 48), 0x94000, "to 0xA0000");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 60), 0x100000, "RAM from 1 MiB");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 68), 63 * MIB, "to 64 MiB");
    }
    h = find_page(m, IGK_DIRECT_BOOT_PARAMS_GPA, 1);
    if (ok(h && h->data, "SNP boot_params")) {
        const uint8_t *bp = h->data;

        is_int((long long)igk_le64(bp + IGK_BZ_SETUP_DATA), 0xA000, "setup_data -> CC blob");
        is_int((long long)igk_le64(bp + IGK_BP_ACPI_RSDP_ADDR), 0, "SNP: no ACPI");
        is_int(bp[IGK_BP_E820_ENTRIES], 3, "three e820 entries");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 8), 0x9E000, "low RAM below secrets");
        is_int((long long)igk_le64(bp + IGK_BP_E820_TABLE + 20), 0x9E000, "reserved PSP pages");
        is_int((long long)igk_le32(bp + IGK_BP_E820_TABLE + 36), 2, "typed reserved");
    }
    h = find_page(m, IGK_DIRECT_SETUP_DATA_GPA, 1);
    if (ok(h && h->data, "CC blob page")) {
        is_int(igk_le32(h->data + 8), 7, "SETUP_CC_BLOB");
        is_int(igk_le32(h->data + 12), 40, "cc_blob_sev_info size");
        is_int(igk_le32(h->data + 16), 0x45444d41, "AMDE magic");
        is_int((long long)igk_le64(h->data + 24), 0x9E000, "secrets_phys");
        is_int((long long)igk_le64(h->data + 40), 0x9F000, "cpuid_phys");
    }
    h = find_page(m, 0, 3);
    ok(h && h->data && igk_le16(h->data + 0x40E) == 0x9D00, "BDA points at the EBDA");
    h = find_page(m, IGK_DIRECT_MP_GPA, 3);
    if (ok(h && h->data, "MP table page")) {
        uint8_t sum = 0;

        ok(!memcmp(h->data, "_MP_", 4), "MP floating pointer signature");
        is_int(igk_le32(h->data + 4), 0x9D010, "points at the configuration table");
        for (unsigned i = 0; i < 16; i++)
            sum = (uint8_t)(sum + h->data[i]);
        is_int(sum, 0, "floating pointer checksum");
        ok(!memcmp(h->data + 16, "PCMP", 4), "configuration table signature");
        is_int(igk_le16(h->data + 16 + 4), 44 + 2 * 20 + 8 + 8, "table length: 2 CPUs, bus, IOAPIC");
        sum = 0;
        for (unsigned i = 0; i < igk_le16(h->data + 16 + 4); i++)
            sum = (uint8_t)(sum + h->data[16 + i]);
        is_int(sum, 0, "configuration table checksum");
        is_int(h->data[16 + 44 + 20 + 3], 1, "vCPU 1 enabled, not BSP");
    }
    h = find_page(m, IGK_DIRECT_SECRETS_GPA, 1);
    ok(h && !h->data && h->u.page_data.data_type == IGK_PAGE_DATA_SECRETS, "secrets page");
    h = find_page(m, IGK_DIRECT_CPUID_GPA, 1);
    ok(h && h->data && h->u.page_data.data_type == IGK_PAGE_DATA_CPUID_DATA, "CPUID page");
    h = find_page(m, IGK_DIRECT_PML4_GPA, 1);
    ok(h && h->data && igk_le64(h->data) == (0x3003ull | (1ull << 51)), "SNP PML4 has the C-bit");
    h = find_page(m, IGK_DIRECT_PML4_GPA, 2);
    ok(h && h->data && igk_le64(h->data) == 0x3003ull, "native PML4 without C-bit");
    h = find_page(m, IGK_DIRECT_PML4_GPA + 0x5000, 2);
    ok(h && h->data && igk_le64(h->data + 8 * 511) == 0xFFE00083ull, "last 2 MiB page");

    h = find_page(m, IGK_DIRECT_STUB_GPA, 2);
    if (ok(h && h->data, "reset stub page")) {
        static const uint8_t head[] = {0xFA, 0x66, 0xB8, 0x20, 0x00, 0x00, 0x00};
        static const uint8_t reset[] = {0xE9, 0x0D, 0xF0};

        ok(!memcmp(h->data, head, sizeof(head)), "stub starts with cli; mov eax, PAE");
        ok(!memcmp(h->data + 0xFF0, reset, sizeof(reset)), "jmp at the reset vector");
        is_int((long long)igk_le64(h->data + 0x23A), 0x1000200, "stub jumps to startup_64");
        /* The whole stub, as disassembled with objdump -m i8086 (0x00-0x3a)
         * and -m i386:x86-64 (0x3b-0x62, 0x200-0x243): cli; mov cr4 PAE;
         * mov cr3 0x2000; EFER.LME; lgdt cs:0xf100; mov cr0 PG|NE|ET|PE;
         * ljmp 0x10:0xfffff03b; mov ds/es/ss/fs/gs 0x18; rsp 0x9000;
         * rsi 0x9000; jmp 0x200; then at 0x200: out 0xcf8 0x8000f840,
         * out 0xcfc 0x600 (PMBASE); out 0xcf8 0x8000f844, outb 0xcfc 0x80
         * (ACPI_EN); outw 0x604 1 (SCI_EN); jmp 0x1000200. */
        is_hex(h->data, 0x63,
               "fa66b8200000000f22e066b8002000000f22d866b9800000c00f32660d000100000f302e660f01"
               "1600f166b8310000800f22c066ea3bf0ffff1000b8180000008ed88ec08ed08ee08ee848bc0090"
               "00000000000048be0090000000000000e99d010000",
               "stub code bytes");
        is_hex(h->data + 0x200, 0x44,
               "b840f80080baf80c0000efb800060000bafc0c0000efb844f80080baf80c0000efb880000000"
               "bafc0c0000eeb801000000ba0406000066ef48b80002000100000000ffe0",
               "platform setup bytes");
        is_hex(h->data + 0x100, 6, "1f0000100000", "LGDT operand: limit 0x1f, base 0x1000");
        ok(h->data[0x63] == 0 && h->data[0xFF] == 0 && h->data[0x106] == 0 &&
               h->data[0x244] == 0,
           "nothing else in the stub page");
    }
    h = find_page(m, 0xFFFF0000, 2);
    ok(h && h->data && !memcmp(h->data, (uint8_t[4096]){0}, 4096), "64 KiB ROM starts with zeros");

    h = &m->headers[m->n_headers - 3];
    is_int(h->type, IGK_VHT_VP_CONTEXT, "native VP context");
    is_int(h->u.vp_context.compatibility_mask, 2, "native context mask");
    is_int((long long)igk_le64(h->data + 128), 0xFFFFF200, "native RIP: the stub's platform setup");
    is_int((long long)igk_le64(h->data + 48), 0x9000, "native RSI");
    is_int((long long)igk_le64(h->data + 208), 0x2000, "native CR3");

    h = &m->headers[m->n_headers - 2];
    is_int(h->type, IGK_VHT_VP_CONTEXT, "BSP VMSA");
    is_int((long long)h->u.vp_context.gpa, (long long)IGK_VMSA_GPA, "VMSA GPA");
    is_int(h->u.vp_context.vp_index, 0, "BSP vp_index");
    is_int((long long)igk_le64(h->data + IGK_VMSA_RIP), 0x1000200, "BSP RIP");
    is_int((long long)igk_le64(h->data + IGK_VMSA_RSI), 0x9000, "BSP RSI");
    is_int((long long)igk_le64(h->data + IGK_VMSA_EFER), 0x1500, "EFER LME|LMA|SVME");
    is_int((long long)igk_le64(h->data + IGK_VMSA_CR0), 0x80000031, "CR0");
    is_int((long long)igk_le64(h->data + IGK_VMSA_CR3), 0x2000, "CR3");
    is_int(igk_le16(h->data + IGK_VMSA_CS), 0x10, "CS selector");
    is_int(igk_le16(h->data + IGK_VMSA_CS + 2), 0xA9B, "CS 64-bit code attributes");
    is_int(igk_le16(h->data + IGK_VMSA_SS), 0x18, "SS selector");
    is_int((long long)igk_le64(h->data + IGK_VMSA_SEV_FEATURES), 1, "SEV_FEATURES");
    h = &m->headers[m->n_headers - 1];
    is_int(h->u.vp_context.vp_index, 1, "AP vp_index");
    is_int((long long)igk_le64(h->data + IGK_VMSA_RIP), 0xFFF0, "AP in reset state");
}

/* Label of the first header at gpa whose mask has bit `mask`. */
static const char *label_at(const struct igk_igvm *m, uint64_t gpa, uint32_t mask)
{
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct igk_header *h = &m->headers[i];

        if (h->type == IGK_VHT_PAGE_DATA && h->u.page_data.gpa == gpa &&
            (h->u.page_data.compatibility_mask & mask))
            return igk_direct_region_label(m, h->type, mask, gpa);
    }
    return "(no page)";
}

static uint8_t sum_bytes(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum;
}

/* The native ACPI page of the 2-vCPU, 64 MiB layout (linux-acpi.c). */
static void check_acpi(const struct igk_igvm *m)
{
    const struct igk_header *h = find_page(m, IGK_DIRECT_ACPI_GPA, 2);
    const uint8_t *p, *fadt, *dsdt, *madt;

    h = find_page(m, IGK_DIRECT_ACPI_GPA, 1);
    ok(h && !h->data, "SNP: pre-validated RAM without data there, no ACPI tables");
    h = find_page(m, IGK_DIRECT_ACPI_GPA, 2);
    if (!ok(h && h->data && h->u.page_data.compatibility_mask == 2, "native ACPI page"))
        return;
    p = h->data;
    ok(!memcmp(p, "RSD PTR ", 8), "RSDP signature");
    is_int(sum_bytes(p, 20), 0, "RSDP checksum");
    is_int(sum_bytes(p, 36), 0, "RSDP extended checksum");
    is_int(p[15], 2, "RSDP revision 2");
    is_int((long long)igk_le64(p + 24), 0xB080, "XSDT address");
    ok(!memcmp(p + 0x80, "XSDT", 4) && sum_bytes(p + 0x80, 52) == 0, "XSDT signature, checksum");
    is_int((long long)igk_le64(p + 0x80 + 36), 0xB100, "XSDT -> FADT");
    is_int((long long)igk_le64(p + 0x80 + 44), 0xB340, "XSDT -> MADT");

    fadt = p + 0x100;
    ok(!memcmp(fadt, "FACP", 4), "FADT signature");
    is_int(igk_le32(fadt + 4), 276, "FADT length (revision 6)");
    is_int(sum_bytes(fadt, 276), 0, "FADT checksum");
    is_int(igk_le32(fadt + 36), 0xB040, "FIRMWARE_CTRL -> FACS");
    ok(!memcmp(p + 0x40, "FACS", 4) && igk_le32(p + 0x44) == 64, "FACS");
    is_int(igk_le32(fadt + 40), 0xB240, "DSDT address");
    is_int(igk_le16(fadt + 46), 9, "SCI_INT 9");
    is_int(igk_le32(fadt + 48), 0, "no SMI_CMD: always ACPI mode");
    is_int(igk_le32(fadt + 56), 0x600, "PM1a_EVT_BLK");
    is_int(igk_le32(fadt + 64), 0x604, "PM1a_CNT_BLK: QEMU ICH9 PM1_CNT");
    is_int(igk_le32(fadt + 76), 0x608, "PM_TMR_BLK");
    is_int(igk_le32(fadt + 80), 0x620, "GPE0_BLK");
    is_hex(fadt + 172, 12, "011000000406000000000000", "X_PM1a_CNT_BLK: I/O 0x604, 16 bits");
    is_hex(fadt + 116, 13, "01080001f90c0000000000000f", "RESET_REG 0xCF9, value 0x0F");

    dsdt = p + 0x240;
    ok(!memcmp(dsdt, "DSDT", 4), "DSDT signature");
    is_int(sum_bytes(dsdt, igk_le32(dsdt + 4)), 0, "DSDT checksum");
    ok(0x240 + igk_le32(dsdt + 4) <= 0x340, "DSDT ends before the MADT");
    /* Name (_S5, Package () {0, 0}); Scope (\_SB) { Device (PCI0) { _HID
     * PNP0A08, _CID PNP0A03, _UID 0, _CRS: bus 0-255, I/O 0-0xcf7 and
     * 0xd00-0xffff, memory 0xa0000-0xbffff and 0x4000000-0xfebfffff } }. */
    is_hex(dsdt + 36, igk_le32(dsdt + 4) - 36,
           "085f53355f12040200001049095c5f53425f5b82400950434930085f4849440c41d00a08085f43"
           "49440c41d00a03085f55494400085f435253114a060a66880d00020c0000000000ff000000000188"
           "0d00010c0300000000f70c0000f80c880d00010c030000000dffff000000f3871700000c03000000"
           "0000000a00ffff0b000000000000000200871700000c010000000000000004ffffbffe0000000000"
           "00c0fa7900",
           "DSDT AML");

    madt = p + 0x340;
    ok(!memcmp(madt, "APIC", 4), "MADT signature");
    is_int(igk_le32(madt + 4), 44 + 2 * 8 + 12 + 2 * 10 + 6, "MADT: 2 CPUs, IOAPIC, 2 overrides, NMI");
    is_int(sum_bytes(madt, igk_le32(madt + 4)), 0, "MADT checksum");
    is_hex(madt + 44, 16, "00080000010000000008010101000000", "local APICs 0 and 1, enabled");
}

static void check_labels(const struct igk_igvm *m)
{
    is_str(label_at(m, 0x1000, 1), "gdt", "label gdt");
    is_str(label_at(m, 0x0, 2), "bda", "label bda");
    is_str(label_at(m, 0x9D000, 1), "mp table", "label mp table");
    is_str(label_at(m, 0x3000, 1), "page tables", "label page tables");
    is_str(label_at(m, 0x9000, 2), "boot_params", "label boot_params");
    is_str(label_at(m, 0xA000, 1), "cc blob", "label cc blob");
    is_str(label_at(m, 0x20000, 1), "cmdline", "label cmdline");
    is_str(label_at(m, 0x21000, 1), "ram", "page after the command line is ram");
    is_str(label_at(m, 0x9E000, 1), "secrets", "label secrets");
    is_str(label_at(m, 0x9F000, 1), "cpuid", "label cpuid");
    is_str(label_at(m, 0x1000000, 1), "kernel", "label kernel");
    is_str(label_at(m, 0x100A000, 1), "kernel", "label last kernel page");
    is_str(label_at(m, 0x100B000, 1), "kernel init_size", "label init_size space");
    is_str(label_at(m, 0x3FFF000, 1), "initrd", "label initrd");
    is_str(label_at(m, 0x2000000, 1), "ram", "label ram");
    is_str(label_at(m, 0xFFFF0000, 2), "reset rom", "label reset rom");
    is_str(label_at(m, 0xFFFFF000, 2), "reset stub", "label reset stub");
    is_str(igk_direct_region_label(m, IGK_VHT_VP_CONTEXT, 1, IGK_VMSA_GPA), "vmsa", "label vmsa");
    ok(igk_direct_region_label(m, IGK_VHT_SUPPORTED_PLATFORM, 1, 0) == NULL,
       "platform header: no label");
}

static void measure_pair(const struct igk_igvm *a, const struct igk_igvm *b)
{
    for (int loader = 0; loader < IGK_LOADER_MAX; loader++) {
        struct igk_measure_options o = {.loader = (enum igk_loader)loader};
        struct igk_measurement ma, mb;
        struct igk_error err;

        igk_error_clear(&err);
        is_int(igk_measure(a, IGK_PLATFORM_SEV_SNP, &o, &ma, &err), 0, "measure built (%s)",
               igk_loader_name((enum igk_loader)loader));
        is_int(igk_measure(b, IGK_PLATFORM_SEV_SNP, &o, &mb, &err), 0, "measure read (%s)",
               igk_loader_name((enum igk_loader)loader));
        ok(!memcmp(ma.digest, mb.digest, 48), "read-back digest equals built (%s)",
           igk_loader_name((enum igk_loader)loader));
        is_int(ma.vmsa_count, 2, "two VMSAs measured (%s)",
               igk_loader_name((enum igk_loader)loader));
    }
}

/*
 * IGK_PACK_LEAN: the same headers, in the same order with the same numbers,
 * visited through the cursor; only the non-PAGE_DATA ones stored; the same
 * digests; and no writing it.
 */
static void check_lean(const struct igk_spec *s, const struct igk_igvm *full)
{
    struct igk_pack_result res = {0};
    struct igk_header_cursor cf = {0}, cl = {0};
    struct igk_header sf, sl;
    const struct igk_header *hf, *hl;
    size_t nf = 0, nl = 0, visited = 0, differ = 0, pages = 0;
    struct igk_error err;
    uint8_t *buf = NULL;
    size_t len = 0;

    igk_error_clear(&err);
    if (!is_int(igk_pack_direct_ex(s, IGK_PACK_LEAN, &res, &err), 0, "lean: pack"))
        return;
    ok(igk_igvm_is_lean(res.igvm) && !igk_igvm_is_lean(full), "lean: only the lean model is");
    /* 2 platforms, the policy, the native context and 2 VMSAs. */
    is_int((long long)res.igvm->n_headers, 6,
           "lean: only the 6 headers that are not PAGE_DATA stored");
    for (;;) {
        hf = igk_igvm_next_header(full, &cf, &sf, &nf);
        hl = igk_igvm_next_header(res.igvm, &cl, &sl, &nl);
        if (!hf || !hl)
            break;
        visited++;
        pages += hf->type == IGK_VHT_PAGE_DATA;
        if (nf != nl || hf->type != hl->type || hf->data_size != hl->data_size ||
            (hf->data_size && memcmp(hf->data, hl->data, hf->data_size)) ||
            (hf->type == IGK_VHT_PAGE_DATA &&
             memcmp(&hf->u.page_data, &hl->u.page_data, sizeof(hf->u.page_data))))
            differ++;
    }
    ok(!hf && !hl, "lean: both walks end together");
    is_int((long long)visited, (long long)full->n_headers, "lean: every header visited");
    is_int((long long)pages, (long long)full->n_headers - 6,
           "lean: the PAGE_DATA headers generated");
    is_int((long long)differ, 0, "lean: each header equal to the full model's, same number");
    is_int(igk_igvm_validate(res.igvm, &err), 0, "lean: validates");
    measure_pair(full, res.igvm);
    is_int(igk_igvm_write_buffer(res.igvm, &buf, &len, &err), IGK_E_USAGE, "lean: not written");
    free(buf);
    igk_pack_result_done(&res);
}

int main(void)
{
    uint8_t *kernel = malloc(KERNEL_SIZE), initrd[INITRD_SIZE];
    struct igk_pack_result res = {0}, res2 = {0};
    struct igk_igvm *back = NULL;
    struct igk_error err;
    struct igk_spec s;
    uint8_t *buf = NULL, *buf2 = NULL;
    size_t len = 0, len2 = 0;
    char msg[512];

    if (!mkdtemp(dir))
        abort();
    snprintf(kernel_path, sizeof(kernel_path), "%s/vmlinuz", dir);
    snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", dir);
    snprintf(junk_path, sizeof(junk_path), "%s/junk", dir);
    make_kernel(kernel, 0x020F, 0x7FF);
    write_file(kernel_path, kernel, KERNEL_SIZE);
    for (unsigned i = 0; i < INITRD_SIZE; i++)
        initrd[i] = (uint8_t)(i ^ 0x5A);
    write_file(initrd_path, initrd, INITRD_SIZE);

    base_spec(&s);
    igk_error_clear(&err);
    if (!is_int(igk_pack_direct(&s, &res, &err), 0, "pack native + sev-snp"))
        diag("%s", err.message);
    if (res.igvm) {
        check_layout(res.igvm, kernel, initrd);
        check_acpi(res.igvm);
        check_labels(res.igvm);
        check_lean(&s, res.igvm);
        is_int((long long)res.n_inputs, 2, "two provenance inputs");
        is_str(res.inputs[0].role, "kernel", "input 0 is the kernel");
        is_int((long long)res.inputs[1].size, INITRD_SIZE, "initrd size recorded");
        is_int(igk_igvm_write_buffer(res.igvm, &buf, &len, &err), 0, "write");
        is_int(igk_igvm_read_buffer(buf, len, NULL, &back, &err), 0, "read back");
        if (back)
            measure_pair(res.igvm, back);
        is_int(igk_pack_direct(&s, &res2, &err), 0, "pack again");
        is_int(igk_igvm_write_buffer(res2.igvm, &buf2, &len2, &err), 0, "write again");
        ok(len == len2 && !memcmp(buf, buf2, len), "byte-identical output");
    }
    igk_igvm_free(back);
    igk_pack_result_done(&res);
    igk_pack_result_done(&res2);
    free(buf);
    free(buf2);

    /* native only: no SNP pages, no VMSAs */
    base_spec(&s);
    s.platforms = 1u << IGK_PLATFORM_NATIVE;
    is_int(igk_pack_direct(&s, &res, &err), 0, "pack native only");
    if (res.igvm) {
        is_int((long long)res.igvm->n_headers, 1 + 42 + 1, "platform, 42 pages, one context");
        is_int(res.igvm->headers[0].u.platform.compatibility_mask, 2, "native keeps bit 0x2");
    }
    igk_pack_result_done(&res);

    /* sev-snp with a smaller pre-validated area */
    base_spec(&s);
    s.platforms = 1u << IGK_PLATFORM_SEV_SNP;
    s.snp.has_prevalidate = true;
    s.snp.prevalidate = 32 * MIB;
    is_int(igk_pack_direct(&s, &res, &err), 0, "pack sev-snp, prevalidate 32 MiB");
    if (res.igvm) {
        /* RAM [0, 0x9E000) + [1 MiB, 32 MiB) + secrets + CPUID; 2 headers + 2 VMSAs. */
        is_int((long long)res.igvm->n_headers, 2 + 158 + 7936 + 2 + 2, "header count");
        const struct igk_header *h = find_page(res.igvm, 0x1FFD000, 1);
        ok(h && h->data && !memcmp(h->data, initrd, 4096), "initrd below the validated top");
    }
    igk_pack_result_done(&res);

    /* e820 above 4 GiB: q35 keeps 2 GiB below 4 GiB once memory >= 2.75 GiB */
    {
        struct igk_e820_entry e[IGK_E820_MAX];
        uint64_t low, high;

        igk_direct_ram_split(6144 * MIB, &low, &high);
        is_int((long long)low, 2048 * MIB, "6 GiB: low RAM ends at 2 GiB");
        is_int((long long)high, 4096 * MIB, "6 GiB: 4 GiB above 4 GiB");
        igk_direct_ram_split(2816 * MIB - 4096, &low, &high);
        is_int((long long)high, 0, "just under 2.75 GiB: all below 4 GiB");
        is_int(igk_direct_e820(6144 * MIB, 6144 * MIB, false, e), 3, "6 GiB: three entries");
        is_int((long long)e[2].addr, 4096 * MIB, "high RAM at 4 GiB");
        is_int((long long)e[2].size, 4096 * MIB, "high RAM size");
        is_int(igk_direct_e820(6144 * MIB, 3072 * MIB, true, e), 4,
               "SNP, 3 GiB pre-validated: four entries");
        is_int((long long)e[2].size, 2047 * MIB, "SNP: [1 MiB, 2 GiB)");
        is_int((long long)e[3].size, 1024 * MIB, "SNP: first GiB above 4 GiB");
        is_int(igk_direct_e820(6144 * MIB, 1024 * MIB, true, e), 3,
               "SNP, 1 GiB pre-validated: nothing above 4 GiB");
        is_int((long long)(e[2].addr + e[2].size), 1024 * MIB, "SNP RAM ends at 1 GiB");
    }

    /* refusals */
    base_spec(&s);
    s.platforms |= 1u << IGK_PLATFORM_TDX;
    expect_fail(&s, IGK_E_UNSUPPORTED,
                "direct boot for TDX needs a reset-page trampoline and memory acceptance; "
                "not supported",
                "tdx");

    base_spec(&s);
    s.memory = 16 * MIB;
    expect_fail(&s, IGK_E_INVALID,
                "kernel does not fit in memory: loaded at 0x1000000 it needs 1048576 bytes "
                "(init_size), up to 0x1100000, but low RAM ends at 0x1000000",
                "kernel too big");

    base_spec(&s);
    s.memory = 17 * MIB + 8192;
    expect_fail(&s, IGK_E_INVALID,
                "initrd does not fit in memory: 10000 bytes must lie between the kernel's end "
                "at 0x1100000 and 0x1102000",
                "initrd too big");

    base_spec(&s);
    s.snp.has_prevalidate = true;
    s.snp.prevalidate = 128 * MIB;
    expect_fail(&s, IGK_E_INVALID,
                "sev-snp prevalidate (134217728 bytes) is larger than memory (67108864 bytes)",
                "prevalidate > memory");

    base_spec(&s);
    s.snp.has_prevalidate = true;
    s.snp.prevalidate = 8 * MIB;
    expect_fail(&s, IGK_E_INVALID,
                "kernel does not fit in memory: loaded at 0x1000000 it needs 1048576 bytes "
                "(init_size), up to 0x1100000, but pre-validated RAM ends at 0x800000",
                "prevalidate below the kernel");

    make_kernel(kernel, 0x020F, 10);
    write_file(kernel_path, kernel, KERNEL_SIZE);
    base_spec(&s);
    expect_fail(&s, IGK_E_INVALID,
                "command line is 19 bytes, longer than the kernel's cmdline_size of 10 bytes",
                "command line too long");

    make_kernel(kernel, 0x020B, 0x7FF);
    write_file(kernel_path, kernel, KERNEL_SIZE);
    base_spec(&s);
    expect_fail(&s, IGK_E_INVALID,
                "kernel boot protocol 2.11 is too old: direct boot needs 2.12 or later "
                "(a 64-bit entry point announced in xloadflags)",
                "protocol 2.11");

    write_file(junk_path, initrd, INITRD_SIZE);
    base_spec(&s);
    s.kernel.path = s.kernel.open_path = junk_path;
    expect_fail(&s, IGK_E_INVALID,
                "not a bzImage: no \"HdrS\" setup header signature at offset 0x202",
                "not a bzImage");

    base_spec(&s);
    snprintf(msg, sizeof(msg), "%s/missing", dir);
    s.initrd.path = s.initrd.open_path = msg;
    make_kernel(kernel, 0x020F, 0x7FF);
    write_file(kernel_path, kernel, KERNEL_SIZE);
    igk_error_clear(&err);
    is_int(igk_pack_direct(&s, &res, &err), IGK_E_IO, "missing initrd: I/O error");
    ok(!strncmp(err.message, "initrd: ", 8), "missing initrd: message names the role");

    unlink(kernel_path);
    unlink(initrd_path);
    unlink(junk_path);
    rmdir(dir);
    free(kernel);
    return tap_done();
}
