/* SPDX-License-Identifier: MIT */
/*
 * Pieces of the firmware-less Linux boot image (internal): the fixed
 * low-memory layout, the identity page tables and GDT, the boot_params
 * "zero page", the SEV-SNP CPUID/CC-blob pages and the reset-vector stub.
 * direct-boot.c assembles them into a model; each builder here only fills
 * bytes, so it is unit-testable byte for byte.
 */
#ifndef IGK_LINUX_DIRECT_H
#define IGK_LINUX_DIRECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bzimage.h"

/*
 * Fixed guest-physical layout below 1 MiB.  Linux (since 5.13) reserves the
 * whole first MiB for itself, so nothing placed here is ever handed to the
 * page allocator while it may still be in use (boot_params and the command
 * line are copied early by the kernel anyway).
 */
#define IGK_DIRECT_GDT_GPA 0x1000ull         /* GDT + its descriptor       */
#define IGK_DIRECT_PML4_GPA 0x2000ull        /* PML4, PDPT, 4 PDs          */
#define IGK_DIRECT_PT_PAGES 6u
#define IGK_DIRECT_STACK_TOP 0x9000ull       /* stack page 0x8000..0x8FFF  */
#define IGK_DIRECT_BOOT_PARAMS_GPA 0x9000ull /* struct boot_params          */
#define IGK_DIRECT_SETUP_DATA_GPA 0xA000ull  /* SNP: setup_data + CC blob   */
#define IGK_DIRECT_ACPI_GPA 0xB000ull        /* native: ACPI tables         */
#define IGK_DIRECT_CMDLINE_GPA 0x20000ull    /* up to IGK_DIRECT_CMDLINE_MAX */
#define IGK_DIRECT_CMDLINE_MAX (0x9E000ull - 0x20000ull)
#define IGK_DIRECT_MP_GPA 0x9D000ull         /* EBDA: MP floating pointer   */
#define IGK_DIRECT_SECRETS_GPA 0x9E000ull    /* SNP secrets page            */
#define IGK_DIRECT_CPUID_GPA 0x9F000ull      /* SNP CPUID page              */
#define IGK_DIRECT_LOW_RAM_END 0xA0000ull    /* legacy VGA hole above       */
#define IGK_DIRECT_HIGH_RAM_START 0x100000ull
/* The reset stub's page and the 64 KiB "firmware" region it ends: QEMU's
 * -bios wants a multiple of 64 KiB (x86_bios_rom_init). */
#define IGK_DIRECT_STUB_GPA 0xFFFFF000ull
#define IGK_DIRECT_ROM_GPA 0xFFFF0000ull
#define IGK_DIRECT_4GIB 0x100000000ull
#define IGK_DIRECT_2MIB 0x200000ull
/* QEMU q35 (hw/i386/pc_q35.c): with 2.75 GiB or more, RAM below 4 GiB stops
 * at 2 GiB and the rest moves above 4 GiB; the hole is PCI/MMIO space. */
#define IGK_DIRECT_Q35_LOWMEM_THRESHOLD 0xB0000000ull
#define IGK_DIRECT_Q35_LOWMEM_SPLIT 0x80000000ull

/* SEV-SNP RAM pre-validated by default beyond the initrd (direct-boot.c). */
#define IGK_DIRECT_PREVALIDATE_DEFAULT 0x40000000ull

/* Linux's boot GDT selectors (boot.rst, 64-bit boot protocol). */
#define IGK_DIRECT_CS 0x10u
#define IGK_DIRECT_DS 0x18u

/* Control registers at kernel entry (same for the stub, native and SNP). */
#define IGK_DIRECT_CR0 0x80000031ull /* PG | NE | ET | PE */
#define IGK_DIRECT_CR4 0x20ull       /* PAE              */
#define IGK_DIRECT_EFER 0x500ull     /* LMA | LME        */
#define IGK_DIRECT_EFER_SVME 0x1000ull

/* SEV-SNP C-bit: bit 51 on Milan, Genoa and Turin (CPUID 0x8000001F EBX). */
#define IGK_DIRECT_SNP_C_BIT 51u

/* ---- page tables and GDT (pagetables.c) ---- */

/*
 * Identity map of the first 4 GiB with 2 MiB pages (1 GiB pages need
 * pdpe1gb, which QEMU's default TCG CPU lacks): PML4 at pt_gpa, PDPT at
 * pt_gpa + 0x1000, four PDs after it.  enc_mask is OR-ed into every entry
 * (the SNP C-bit, or 0).  out: IGK_DIRECT_PT_PAGES * 4096 bytes.
 */
void igk_direct_page_tables(uint8_t *out, uint64_t pt_gpa, uint64_t enc_mask);

/*
 * The GDT page: null, null, 64-bit code at 0x10, data at 0x18 (flat, as in
 * Linux's boot GDT), then at IGK_DIRECT_GDTR_OFFSET a 6-byte descriptor
 * (limit, 32-bit base) for LGDT from real mode.
 */
#define IGK_DIRECT_GDT_LIMIT 0x1Fu
#define IGK_DIRECT_GDTR_OFFSET 0x20u
void igk_direct_gdt(uint8_t out[4096], uint64_t gdt_gpa);

/* ---- boot_params (linux-boot-params.c) ---- */

#define IGK_E820_RAM 1u
#define IGK_E820_RESERVED 2u
#define IGK_E820_ACPI 3u
#define IGK_E820_MAX 128u

struct igk_e820_entry {
    uint64_t addr, size;
    uint32_t type;
};

/*
 * The guest RAM map for `memory` bytes, as QEMU's q35 machine lays it out:
 * below 4 GiB up to 2 GiB when memory >= 2.75 GiB, else all of it; the rest
 * from 4 GiB.  Returns the low-RAM end (exclusive) in *ret_low_end and the
 * high-RAM size in *ret_high.
 */
void igk_direct_ram_split(uint64_t memory, uint64_t *ret_low_end, uint64_t *ret_high);

/*
 * An e820 map for `ram` bytes of a machine with `memory` bytes (ram <=
 * memory; SNP maps only the pre-validated part): RAM [0, 0xA0000), RAM from
 * 1 MiB to the low end, RAM from 4 GiB for the rest.  snp_pages marks the
 * secrets and CPUID pages reserved.  Returns the number of entries.
 */
unsigned igk_direct_e820(uint64_t memory, uint64_t ram, bool snp_pages,
                         struct igk_e820_entry out[IGK_E820_MAX]);

/*
 * The native map: igk_direct_e820(memory, memory, false) with the ACPI page
 * at IGK_DIRECT_ACPI_GPA marked ACPI (reclaimable) so that no allocator
 * takes it while the kernel reads the tables.
 */
unsigned igk_direct_e820_native(uint64_t memory, struct igk_e820_entry out[IGK_E820_MAX]);

struct igk_boot_params_in {
    const struct igk_bzimage *bz;
    uint64_t cmdline_gpa;
    uint64_t initrd_gpa, initrd_size; /* 0, 0 without initrd */
    uint64_t setup_data_gpa;          /* 0: none             */
    uint64_t acpi_rsdp_gpa;           /* 0: none             */
    const struct igk_e820_entry *e820;
    unsigned n_e820;
};

/* Fills the 4096-byte boot_params page (boot.rst "zero page"). */
void igk_direct_boot_params(uint8_t out[4096], const struct igk_boot_params_in *in);

/* boot_params offsets used here and by tests (bootparam.h). */
#define IGK_BP_ACPI_RSDP_ADDR 0x070u
#define IGK_BP_EXT_RAMDISK_IMAGE 0x0C0u
#define IGK_BP_EXT_RAMDISK_SIZE 0x0C4u
#define IGK_BP_EXT_CMD_LINE_PTR 0x0C8u
#define IGK_BP_E820_ENTRIES 0x1E8u
#define IGK_BP_E820_TABLE 0x2D0u

/* ---- SEV-SNP pages (linux-snp.c) ---- */

#define IGK_SETUP_CC_BLOB 7u          /* setup_data type            */
#define IGK_CC_BLOB_MAGIC 0x45444d41u /* "AMDE"                     */

/*
 * The setup_data page: a setup_data header (next 0, type SETUP_CC_BLOB,
 * len 40) followed by struct cc_blob_sev_info describing the secrets and
 * CPUID pages.
 */
void igk_direct_cc_blob(uint8_t out[4096], uint64_t secrets_gpa, uint64_t cpuid_gpa);

/*
 * The CPUID page the VMM completes and the PSP checks: struct
 * snp_cpuid_table with the standard leaves listed, values zero.
 */
void igk_direct_cpuid_page(uint8_t out[4096]);

/* ---- MP table (linux-mptable.c) ---- */

/* Page 0 with the BIOS data area's EBDA pointer (0x40E) at IGK_DIRECT_MP_GPA. */
void igk_direct_bda(uint8_t out[4096]);

/*
 * The EBDA page: MP floating pointer, then an MP configuration table with
 * one processor entry per vCPU (APIC ids 0..vcpus-1), an ISA bus and the
 * I/O APIC at 0xFEC00000.
 */
void igk_direct_mp_table(uint8_t out[4096], unsigned vcpus);

/* ---- ACPI tables (linux-acpi.c) ---- */

/*
 * QEMU q35's ICH9 power-management I/O block, mapped here by the stub
 * (firmware picks the base; OVMF and SeaBIOS use 0x600 on q35 too).
 */
#define IGK_DIRECT_PM_BASE 0x600u

/*
 * The native ACPI page at `gpa`: RSDP at its start, then FACS, XSDT, FADT,
 * a DSDT with \_S5 and the PCI host bridge, describing the ICH9 PM block at
 * IGK_DIRECT_PM_BASE, so that Linux powers off through ACPI, and a MADT with
 * `vcpus` local APICs (at most IGK_DIRECT_ACPI_MAX_VCPUS: xAPIC ids, one
 * page) and the I/O APIC.  PCI memory goes from pci_hole_start (the end of
 * RAM below 4 GiB) to the I/O APIC.
 */
#define IGK_DIRECT_ACPI_MAX_VCPUS 254u
void igk_direct_acpi_tables(uint8_t out[4096], uint64_t gpa, unsigned vcpus,
                            uint32_t pci_hole_start);

/* ---- reset-vector stub (reset-stub.c) ---- */

struct igk_reset_stub_in {
    uint64_t gdt_gpa;      /* GDT page (descriptor at IGK_DIRECT_GDTR_OFFSET) */
    uint64_t pml4_gpa;
    uint64_t stack_top;
    uint64_t boot_params_gpa;
    uint64_t entry;        /* kernel's 64-bit entry (startup_64)              */
};

/*
 * The page at 0xFFFFF000: real mode at 0xFFFFFFF0 -> long mode with the
 * direct-boot GDT and page tables -> RSI = boot_params -> the platform setup
 * at IGK_DIRECT_STUB_SETUP_GPA (map the ICH9 PM block, as a firmware would)
 * -> jump to the kernel.  The native VP context starts at the platform
 * setup, so both ways into the guest run it.
 */
#define IGK_DIRECT_STUB_SETUP_GPA (IGK_DIRECT_STUB_GPA + 0x200ull)
void igk_direct_reset_stub(uint8_t out[4096], const struct igk_reset_stub_in *in);

/* ---- native VP context (IgvmNativeVpContextX64, docs/igvm-format.md 6.5) ---- */

#define IGK_NATIVE_CTX_SIZE 232u
void igk_direct_native_context(uint8_t out[4096], const struct igk_reset_stub_in *in);

#endif /* IGK_LINUX_DIRECT_H */
