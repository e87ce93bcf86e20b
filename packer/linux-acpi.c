/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables for firmware-less boot, so that a native direct-boot guest
 * can power off: `poweroff` in Linux ends in acpi_power_off() only when the
 * kernel found an FADT and a \_S5 sleep type (without ACPI it halts and
 * QEMU keeps running).
 *
 * The tables describe QEMU q35's ICH9 power-management block, which the
 * reset stub maps at IGK_DIRECT_PM_BASE first (reset-stub.c; a firmware
 * would do it otherwise):
 *   RSDP (ACPI 6.5 section 5.2.5.3) -> XSDT (5.2.8) -> FADT revision 6
 *   (5.2.9) -> FACS (5.2.10) and DSDT (5.2.11.1); XSDT -> MADT (5.2.12).
 * The MADT repeats what the MP table says (vCPUs, I/O APIC): a kernel that
 * finds ACPI ignores the MP table ("No APIC-table, disabling MPS").
 * The FADT's PM1a control block is PM base + 4 (QEMU hw/acpi/ich9.c,
 * ICH9_PMIO_PM1_CNT); writing SLP_TYP 0 with SLP_EN there is QEMU's soft
 * power off (hw/acpi/core.c acpi_pm1_cnt_write), so the DSDT's \_S5 package
 * is {0, 0}.  No SMI command port: SMI_CMD zero says the machine has no
 * legacy mode and is always in ACPI mode (ACPI 6.5 section 5.2.9, FADT field
 * SMI_CMD); the stub sets SCI_EN to match.  The RESET_REG is the ICH9
 * reset control register 0xCF9 (value 0x0F: full reset), as QEMU's own q35
 * FADT has it.
 *
 * The DSDT names the PCI host bridge (\_SB.PCI0, PNP0A08 compatible with
 * PNP0A03): with ACPI, Linux finds PCI buses only through ACPI root bridges
 * (drivers/acpi/pci_root.c), so without it the guest would lose its PCI
 * devices; its _CRS gives the windows Linux assigns BARs from (all I/O
 * ports but the configuration ones, the VGA window, and the 32-bit PCI hole
 * from the end of low RAM to the I/O APIC), as QEMU's own q35 DSDT does.
 *
 * The AML is hand-assembled (ACPI 6.5 section 20.2 grammar); each piece
 * carries its ASL in a comment.
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

/* Table offsets inside the ACPI page (FACS must be 64-byte aligned). */
#define OFF_RSDP 0x000u
#define OFF_FACS 0x040u
#define OFF_XSDT 0x080u
#define OFF_FADT 0x100u
#define OFF_DSDT 0x240u
#define OFF_MADT 0x340u

#define HEADER_SIZE 36u
#define RSDP_SIZE 36u
#define FACS_SIZE 64u
#define FADT_SIZE 276u
#define MADT_FIXED 44u
#define MADT_LAPIC 8u
#define MADT_IOAPIC 12u
#define MADT_OVERRIDE 10u
#define MADT_LAPIC_NMI 6u
#define LAPIC_BASE 0xFEE00000u
#define IOAPIC_BASE 0xFEC00000u

/* ICH9 PM I/O block layout (QEMU include/hw/southbridge/ich9.h). */
#define PM1_EVT_OFF 0x00u
#define PM1_CNT_OFF 0x04u
#define PM_TMR_OFF 0x08u
#define GPE0_OFF 0x20u
#define GPE0_LEN 0x10u
#define SCI_IRQ 9u
/* The 32-bit PCI hole ends below the I/O APIC (QEMU hw/i386/acpi-build.c). */
#define PCI_HOLE_END 0xFEC00000u

/* FADT fixed feature flags (ACPI 6.5 section 5.2.9.1). */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_SLP_BUTTON (1u << 5)
#define FADT_RTC_S4 (1u << 7)
#define FADT_RESET_REG_SUP (1u << 10)
/* IA-PC boot architecture flags (section 5.2.9.3): legacy devices, 8042. */
#define IAPC_LEGACY_DEVICES (1u << 0)
#define IAPC_8042 (1u << 1)

/* AML byte emitter (ACPI 6.5 section 20.2). */
struct aml {
    uint8_t *p;
    size_t n;
};

static void put(struct aml *a, const void *bytes, size_t n)
{
    memcpy(a->p + a->n, bytes, n);
    a->n += n;
}

static void put_u16(struct aml *a, uint16_t v)
{
    igk_put_le16(a->p + a->n, v);
    a->n += 2;
}

static void put_u32(struct aml *a, uint32_t v)
{
    igk_put_le32(a->p + a->n, v);
    a->n += 4;
}

/*
 * Wraps the `body` bytes at a->p[start..a->n) in a PkgLength (section
 * 20.2.4): one byte up to 63, else two (low nibble, then the rest); the
 * length counts the PkgLength bytes themselves.
 */
static void wrap_pkg_length(struct aml *a, size_t start)
{
    size_t body = a->n - start, len = body + (body + 1 <= 63 ? 1 : 2);

    if (len <= 63) {
        memmove(a->p + start + 1, a->p + start, body);
        a->p[start] = (uint8_t)len;
        a->n += 1;
    } else {
        memmove(a->p + start + 2, a->p + start, body);
        a->p[start] = (uint8_t)(0x40 | (len & 0x0F));
        a->p[start + 1] = (uint8_t)(len >> 4);
        a->n += 2;
    }
}

/* Word address space descriptor (section 6.4.3.5.3): producer, min/max fixed. */
static void word_space(struct aml *a, uint8_t type, uint8_t type_flags, uint16_t min, uint16_t max)
{
    put(a, (const uint8_t[]){0x88, 0x0D, 0x00, type, 0x0C, type_flags}, 6);
    put_u16(a, 0);
    put_u16(a, min);
    put_u16(a, max);
    put_u16(a, 0);
    put_u16(a, (uint16_t)(max - min + 1));
}

/* DWord memory descriptor (section 6.4.3.5.2): producer, min/max fixed. */
static void dword_memory(struct aml *a, uint8_t type_flags, uint32_t min, uint32_t max)
{
    put(a, (const uint8_t[]){0x87, 0x17, 0x00, 0x00, 0x0C, type_flags}, 6);
    put_u32(a, 0);
    put_u32(a, min);
    put_u32(a, max);
    put_u32(a, 0);
    put_u32(a, max - min + 1);
}

/* The DSDT's AML; returns its length. */
static size_t dsdt_aml(uint8_t *out, uint32_t pci_hole_start)
{
    struct aml a = {out, 0};
    size_t scope, device, buffer;

    /* Name (_S5, Package () { Zero, Zero }) */
    put(&a, (const uint8_t[]){0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00}, 10);
    /* Scope (\_SB) { Device (PCI0) { */
    put(&a, (const uint8_t[]){0x10}, 1);
    scope = a.n;
    put(&a, "\\_SB_", 5);
    put(&a, (const uint8_t[]){0x5B, 0x82}, 2);
    device = a.n;
    put(&a, "PCI0", 4);
    /* Name (_HID, EisaId ("PNP0A08")), Name (_CID, EisaId ("PNP0A03")) */
    put(&a, (const uint8_t[]){0x08, '_', 'H', 'I', 'D', 0x0C, 0x41, 0xD0, 0x0A, 0x08}, 10);
    put(&a, (const uint8_t[]){0x08, '_', 'C', 'I', 'D', 0x0C, 0x41, 0xD0, 0x0A, 0x03}, 10);
    /* Name (_UID, Zero) */
    put(&a, (const uint8_t[]){0x08, '_', 'U', 'I', 'D', 0x00}, 6);
    /* Name (_CRS, ResourceTemplate () { ... }): the host bridge windows.
     * Without them Linux assigns no BARs ("failed to assign"). */
    put(&a, (const uint8_t[]){0x08, '_', 'C', 'R', 'S', 0x11}, 6);
    buffer = a.n;
    put(&a, (const uint8_t[]){0x0A, 0x00}, 2); /* BufferSize, patched below */
    word_space(&a, 2, 0x00, 0x0000, 0x00FF);   /* WordBusNumber 0-255 */
    word_space(&a, 1, 0x03, 0x0000, 0x0CF7);   /* WordIO, entire range */
    word_space(&a, 1, 0x03, 0x0D00, 0xFFFF);
    dword_memory(&a, 0x03, 0x000A0000, 0x000BFFFF);           /* VGA, cacheable */
    dword_memory(&a, 0x01, pci_hole_start, PCI_HOLE_END - 1); /* non-cacheable */
    put(&a, (const uint8_t[]){0x79, 0x00}, 2);                /* EndTag */
    a.p[buffer + 1] = (uint8_t)(a.n - buffer - 2);
    wrap_pkg_length(&a, buffer);
    wrap_pkg_length(&a, device);
    wrap_pkg_length(&a, scope);
    return a.n;
}

static uint8_t checksum(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return (uint8_t)(0u - sum);
}

/* The system description table header (ACPI 6.5 section 5.2.6); checksum last. */
static void header(uint8_t *t, const char sig[4], uint32_t length, uint8_t revision)
{
    memcpy(t, sig, 4);
    igk_put_le32(t + 4, length);
    t[8] = revision;
    memcpy(t + 10, "IGVMKT", 6);
    memcpy(t + 16, "DIRECT  ", 8);
    igk_put_le32(t + 24, 1);
    memcpy(t + 28, "IGVM", 4);
    igk_put_le32(t + 32, 1);
}

/* A Generic Address Structure (ACPI 6.5 section 5.2.3.2) for an I/O register. */
static void gas_io(uint8_t *g, uint8_t bit_width, uint8_t access_size, uint64_t port)
{
    g[0] = 1; /* system I/O space */
    g[1] = bit_width;
    g[2] = 0;
    g[3] = access_size; /* 1 byte, 2 word, 3 dword */
    igk_put_le64(g + 4, port);
}

/* Interrupt source override (ACPI 6.5 section 5.2.12.5): ISA irq -> gsi. */
static uint8_t *madt_override(uint8_t *e, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    e[0] = 2;
    e[1] = MADT_OVERRIDE;
    e[2] = 0; /* ISA */
    e[3] = irq;
    igk_put_le32(e + 4, gsi);
    igk_put_le16(e + 8, flags);
    return e + MADT_OVERRIDE;
}

/* The MADT; returns its length.  Entries as in the MP table (linux-mptable.c)
 * plus QEMU's overrides: the PIT on GSI 2, the SCI level-triggered. */
static uint32_t madt(uint8_t *t, unsigned vcpus)
{
    uint8_t *e = t + MADT_FIXED;
    uint32_t length;

    igk_put_le32(t + 36, LAPIC_BASE);
    igk_put_le32(t + 40, 1); /* PCAT_COMPAT: dual 8259s present */
    for (unsigned i = 0; i < vcpus; i++, e += MADT_LAPIC) {
        e[0] = 0; /* processor local APIC (5.2.12.2) */
        e[1] = MADT_LAPIC;
        e[2] = (uint8_t)i;      /* ACPI processor UID */
        e[3] = (uint8_t)i;      /* APIC id */
        igk_put_le32(e + 4, 1); /* enabled */
    }
    e[0] = 1; /* I/O APIC (5.2.12.3), id after the CPUs' as in the MP table */
    e[1] = MADT_IOAPIC;
    e[2] = (uint8_t)vcpus;
    igk_put_le32(e + 4, IOAPIC_BASE);
    igk_put_le32(e + 8, 0); /* GSI base */
    e += MADT_IOAPIC;
    e = madt_override(e, 0, 2, 0);
    e = madt_override(e, SCI_IRQ, SCI_IRQ, 0x000D); /* active high, level */
    e[0] = 4; /* local APIC NMI (5.2.12.7): every CPU, LINT1 */
    e[1] = MADT_LAPIC_NMI;
    e[2] = 0xFF;
    igk_put_le16(e + 3, 0);
    e[5] = 1;
    e += MADT_LAPIC_NMI;
    length = (uint32_t)(e - t);
    header(t, "APIC", length, 5);
    t[9] = checksum(t, length);
    return length;
}

void igk_direct_acpi_tables(uint8_t out[4096], uint64_t gpa, unsigned vcpus,
                            uint32_t pci_hole_start)
{
    uint8_t *rsdp = out + OFF_RSDP, *facs = out + OFF_FACS, *xsdt = out + OFF_XSDT;
    uint8_t *fadt = out + OFF_FADT, *dsdt = out + OFF_DSDT;
    _Static_assert(OFF_MADT + MADT_FIXED + IGK_DIRECT_ACPI_MAX_VCPUS * MADT_LAPIC + MADT_IOAPIC +
                           2 * MADT_OVERRIDE + MADT_LAPIC_NMI <=
                       4096,
                   "the MADT fits the ACPI page");
    const uint32_t pm = IGK_DIRECT_PM_BASE;
    uint32_t dsdt_size;

    memset(out, 0, 4096);

    /* DSDT: revision 2 (64-bit integers). */
    dsdt_size = HEADER_SIZE + (uint32_t)dsdt_aml(dsdt + HEADER_SIZE, pci_hole_start);
    header(dsdt, "DSDT", dsdt_size, 2);
    dsdt[9] = checksum(dsdt, dsdt_size);

    /* FACS: no waking vector, no global lock (S3/S4 are not offered). */
    memcpy(facs, "FACS", 4);
    igk_put_le32(facs + 4, FACS_SIZE);
    facs[32] = 2; /* version */

    header(fadt, "FACP", FADT_SIZE, 6);
    igk_put_le32(fadt + 36, (uint32_t)(gpa + OFF_FACS)); /* FIRMWARE_CTRL */
    igk_put_le32(fadt + 40, (uint32_t)(gpa + OFF_DSDT)); /* DSDT */
    igk_put_le16(fadt + 46, SCI_IRQ);                    /* SCI_INT */
    igk_put_le32(fadt + 56, pm + PM1_EVT_OFF);           /* PM1a_EVT_BLK */
    igk_put_le32(fadt + 64, pm + PM1_CNT_OFF);           /* PM1a_CNT_BLK */
    igk_put_le32(fadt + 76, pm + PM_TMR_OFF);            /* PM_TMR_BLK */
    igk_put_le32(fadt + 80, pm + GPE0_OFF);              /* GPE0_BLK */
    fadt[88] = 4;                                        /* PM1_EVT_LEN */
    fadt[89] = 2;                                        /* PM1_CNT_LEN */
    fadt[91] = 4;                                        /* PM_TMR_LEN */
    fadt[92] = GPE0_LEN;                                 /* GPE0_BLK_LEN */
    igk_put_le16(fadt + 96, 0xFFF);                      /* P_LVL2_LAT: C2 not supported */
    igk_put_le16(fadt + 98, 0xFFF);                      /* P_LVL3_LAT: C3 not supported */
    fadt[108] = 0x32;                                    /* CENTURY: CMOS RTC index */
    igk_put_le16(fadt + 109, IAPC_LEGACY_DEVICES | IAPC_8042);
    igk_put_le32(fadt + 112,
                 FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_RTC_S4 | FADT_RESET_REG_SUP);
    gas_io(fadt + 116, 8, 1, 0xCF9);          /* RESET_REG */
    fadt[128] = 0x0F;                         /* RESET_VALUE */
    fadt[131] = 5;                            /* FADT minor version: ACPI 6.5 */
    igk_put_le64(fadt + 132, gpa + OFF_FACS); /* X_FIRMWARE_CTRL */
    igk_put_le64(fadt + 140, gpa + OFF_DSDT); /* X_DSDT */
    gas_io(fadt + 148, 32, 0, pm + PM1_EVT_OFF);
    gas_io(fadt + 172, 16, 0, pm + PM1_CNT_OFF);
    gas_io(fadt + 208, 32, 0, pm + PM_TMR_OFF);
    gas_io(fadt + 220, GPE0_LEN * 8, 0, pm + GPE0_OFF);
    fadt[9] = checksum(fadt, FADT_SIZE);

    if (vcpus < 1)
        vcpus = 1;
    if (vcpus > IGK_DIRECT_ACPI_MAX_VCPUS)
        vcpus = IGK_DIRECT_ACPI_MAX_VCPUS;
    madt(out + OFF_MADT, vcpus);

    header(xsdt, "XSDT", HEADER_SIZE + 16, 1);
    igk_put_le64(xsdt + HEADER_SIZE, gpa + OFF_FADT);
    igk_put_le64(xsdt + HEADER_SIZE + 8, gpa + OFF_MADT);
    xsdt[9] = checksum(xsdt, HEADER_SIZE + 16);

    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "IGVMKT", 6);
    rsdp[15] = 2; /* ACPI 2.0 or later: XSDT */
    igk_put_le32(rsdp + 20, RSDP_SIZE);
    igk_put_le64(rsdp + 24, gpa + OFF_XSDT);
    rsdp[8] = checksum(rsdp, 20);
    rsdp[32] = checksum(rsdp, RSDP_SIZE);
}
