/* SPDX-License-Identifier: MIT */
/*
 * The reset-vector stub and the native VP context: two ways to reach the
 * same CPU state at the kernel's 64-bit entry.  A loader that applies IGVM
 * VP contexts uses the context; one that does not (QEMU 7.2 loading the
 * extracted regions) resets the CPU at 0xFFFFFFF0, inside our page.
 *
 * The stub is hand-assembled (no assembler at build time).  It goes from
 * real mode straight to long mode -- PAE and CR3 first, EFER.LME, then
 * CR0.PE and CR0.PG together, then a far jump to the 64-bit code segment --
 * which AMD APM vol. 2 14.6 and Intel SDM vol. 3 10.8.5 both allow (paging
 * with PAE may be enabled in the same MOV CR0 that enables protection).
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

/* Where the pieces sit in the stub page (offsets from 0xFFFFF000). */
#define STUB_CODE 0x000u
#define STUB_GDTR 0x100u  /* copy of the GDT descriptor, read via CS:   */
#define STUB_SETUP ((unsigned)(IGK_DIRECT_STUB_SETUP_GPA - IGK_DIRECT_STUB_GPA))
#define STUB_RESET 0xFF0u /* the architectural reset vector 0xFFFFFFF0 */
/* ICH9 LPC bridge, bus 0 device 31 function 0, as a 0xCF8 address. */
#define LPC_CONFIG_ADDRESS (0x80000000u | (31u << 11))
/* Real mode at reset: CS base 0xFFFF0000, so page offset x is CS:0xF000+x. */
#define STUB_CS_OFFSET 0xF000u

struct emitter {
    uint8_t *p;
    unsigned at;
};

static void emit(struct emitter *e, const uint8_t *bytes, unsigned n)
{
    memcpy(e->p + e->at, bytes, n);
    e->at += n;
}

static void emit32(struct emitter *e, uint32_t v)
{
    igk_put_le32(e->p + e->at, v);
    e->at += 4;
}

static void emit64(struct emitter *e, uint64_t v)
{
    igk_put_le64(e->p + e->at, v);
    e->at += 8;
}

/* 64-bit: PCI configuration write of `size` (1 or 4) bytes to the LPC bridge. */
static void pci_config_write(struct emitter *e, unsigned reg, uint32_t value, unsigned size)
{
    emit(e, (const uint8_t[]){0xB8}, 1); /* mov eax, address  */
    emit32(e, LPC_CONFIG_ADDRESS | reg);
    emit(e, (const uint8_t[]){0xBA}, 1); /* mov edx, 0xCF8    */
    emit32(e, 0xCF8);
    emit(e, (const uint8_t[]){0xEF}, 1); /* out dx, eax       */
    emit(e, (const uint8_t[]){0xB8}, 1); /* mov eax, value    */
    emit32(e, value);
    emit(e, (const uint8_t[]){0xBA}, 1); /* mov edx, 0xCFC    */
    emit32(e, 0xCFC);
    emit(e, (const uint8_t[]){(uint8_t)(size == 1 ? 0xEE : 0xEF)}, 1); /* out dx, al/eax */
}

void igk_direct_reset_stub(uint8_t out[4096], const struct igk_reset_stub_in *in)
{
    struct emitter e = {out, STUB_CODE};
    unsigned far_jump_target;

    memset(out, 0, 4096);

    /* ---- 16-bit real mode ---- */
    emit(&e, (const uint8_t[]){0xFA}, 1);                         /* cli              */
    emit(&e, (const uint8_t[]){0x66, 0xB8}, 2);                   /* mov eax, imm32   */
    emit32(&e, (uint32_t)IGK_DIRECT_CR4);
    emit(&e, (const uint8_t[]){0x0F, 0x22, 0xE0}, 3);             /* mov cr4, eax     */
    emit(&e, (const uint8_t[]){0x66, 0xB8}, 2);                   /* mov eax, imm32   */
    emit32(&e, (uint32_t)in->pml4_gpa);
    emit(&e, (const uint8_t[]){0x0F, 0x22, 0xD8}, 3);             /* mov cr3, eax     */
    emit(&e, (const uint8_t[]){0x66, 0xB9}, 2);                   /* mov ecx, EFER    */
    emit32(&e, 0xC0000080u);
    emit(&e, (const uint8_t[]){0x0F, 0x32}, 2);                   /* rdmsr            */
    emit(&e, (const uint8_t[]){0x66, 0x0D}, 2);                   /* or eax, LME      */
    emit32(&e, 0x100u);
    emit(&e, (const uint8_t[]){0x0F, 0x30}, 2);                   /* wrmsr            */
    emit(&e, (const uint8_t[]){0x2E, 0x66, 0x0F, 0x01, 0x16}, 5); /* o32 lgdt cs:[d16] */
    out[e.at++] = (uint8_t)((STUB_CS_OFFSET + STUB_GDTR) & 0xFF);
    out[e.at++] = (uint8_t)((STUB_CS_OFFSET + STUB_GDTR) >> 8);
    emit(&e, (const uint8_t[]){0x66, 0xB8}, 2);                   /* mov eax, imm32   */
    emit32(&e, (uint32_t)IGK_DIRECT_CR0);
    emit(&e, (const uint8_t[]){0x0F, 0x22, 0xC0}, 3);             /* mov cr0, eax     */
    emit(&e, (const uint8_t[]){0x66, 0xEA}, 2);                   /* jmp far ptr16:32 */
    far_jump_target = e.at + 6;
    emit32(&e, (uint32_t)(IGK_DIRECT_STUB_GPA + far_jump_target));
    emit(&e, (const uint8_t[]){IGK_DIRECT_CS, 0x00}, 2);          /*   selector 0x10  */

    /* ---- 64-bit long mode (boot.rst: CS = __BOOT_CS, DS/ES/SS = __BOOT_DS) ---- */
    emit(&e, (const uint8_t[]){0xB8}, 1);                         /* mov eax, 0x18    */
    emit32(&e, IGK_DIRECT_DS);
    emit(&e, (const uint8_t[]){0x8E, 0xD8}, 2);                   /* mov ds, eax      */
    emit(&e, (const uint8_t[]){0x8E, 0xC0}, 2);                   /* mov es, eax      */
    emit(&e, (const uint8_t[]){0x8E, 0xD0}, 2);                   /* mov ss, eax      */
    emit(&e, (const uint8_t[]){0x8E, 0xE0}, 2);                   /* mov fs, eax      */
    emit(&e, (const uint8_t[]){0x8E, 0xE8}, 2);                   /* mov gs, eax      */
    emit(&e, (const uint8_t[]){0x48, 0xBC}, 2);                   /* mov rsp, imm64   */
    emit64(&e, in->stack_top);
    emit(&e, (const uint8_t[]){0x48, 0xBE}, 2);                   /* mov rsi, imm64   */
    emit64(&e, in->boot_params_gpa);
    emit(&e, (const uint8_t[]){0xE9}, 1);                         /* jmp rel32 setup  */
    emit32(&e, (uint32_t)(STUB_SETUP - (e.at + 4)));

    /* ---- 64-bit platform setup, also where the native VP context starts ----
     * Map QEMU q35's ICH9 PM block the way a firmware does: PMBASE (LPC
     * 00:1f.0 config 0x40), then ACPI_EN (config 0x44 bit 7; SCI on IRQ 9),
     * then SCI_EN in PM1_CNT (QEMU hw/isa/lpc_ich9.c ich9_lpc_pmbase_sci_update,
     * include/hw/southbridge/ich9.h).  PCI configuration mechanism #1 through
     * 0xCF8/0xCFC; on a machine without that device the writes go nowhere.
     * Only EAX and EDX change: RSI and RSP hold the kernel's state. */
    e.at = STUB_SETUP;
    pci_config_write(&e, 0x40, IGK_DIRECT_PM_BASE, 4);
    pci_config_write(&e, 0x44, 0x80, 1);
    emit(&e, (const uint8_t[]){0xB8}, 1);                         /* mov eax, SCI_EN  */
    emit32(&e, 1);
    emit(&e, (const uint8_t[]){0xBA}, 1);                         /* mov edx, PM1_CNT */
    emit32(&e, IGK_DIRECT_PM_BASE + 4);
    emit(&e, (const uint8_t[]){0x66, 0xEF}, 2);                   /* out dx, ax       */
    emit(&e, (const uint8_t[]){0x48, 0xB8}, 2);                   /* mov rax, imm64   */
    emit64(&e, in->entry);
    emit(&e, (const uint8_t[]){0xFF, 0xE0}, 2);                   /* jmp rax          */

    /* The 6-byte LGDT operand: limit, 32-bit base. */
    igk_put_le16(out + STUB_GDTR, IGK_DIRECT_GDT_LIMIT);
    igk_put_le32(out + STUB_GDTR + 2, (uint32_t)in->gdt_gpa);

    /* 0xFFFFFFF0: jmp near rel16 back to the code at the page start. */
    out[STUB_RESET] = 0xE9;
    igk_put_le16(out + STUB_RESET + 1,
                 (uint16_t)((STUB_CS_OFFSET + STUB_CODE) - (STUB_CS_OFFSET + STUB_RESET + 3u)));
    out[STUB_RESET + 3] = 0xF4; /* hlt (never reached) */
}

/* IgvmNativeVpContextX64 field offsets (docs/igvm-format.md 6.5). */
enum {
    NCTX_RSP = 4 * 8,
    NCTX_RSI = 6 * 8,
    NCTX_RIP = 128,
    NCTX_RFLAGS = 136,
    NCTX_GDTR_LIMIT = 158,
    NCTX_GDTR_BASE = 160,
    NCTX_CODE_SELECTOR = 168,
    NCTX_CODE_ATTRIBUTES = 170,
    NCTX_CODE_BASE = 172,
    NCTX_CODE_LIMIT = 176,
    NCTX_DATA_SELECTOR = 180,
    NCTX_DATA_ATTRIBUTES = 182,
    NCTX_DATA_BASE = 184,
    NCTX_DATA_LIMIT = 188,
    NCTX_CR0 = 200,
    NCTX_CR3 = 208,
    NCTX_CR4 = 216,
    NCTX_EFER = 224,
};
_Static_assert(NCTX_EFER + 8 == IGK_NATIVE_CTX_SIZE, "native context is 232 bytes");

void igk_direct_native_context(uint8_t out[4096], const struct igk_reset_stub_in *in)
{
    memset(out, 0, 4096);
    igk_put_le64(out + NCTX_RSP, in->stack_top);
    igk_put_le64(out + NCTX_RSI, in->boot_params_gpa);
    /* The platform setup in the stub page, which then enters the kernel. */
    igk_put_le64(out + NCTX_RIP, IGK_DIRECT_STUB_SETUP_GPA);
    igk_put_le64(out + NCTX_RFLAGS, 0x2);
    igk_put_le16(out + NCTX_GDTR_LIMIT, IGK_DIRECT_GDT_LIMIT);
    igk_put_le64(out + NCTX_GDTR_BASE, in->gdt_gpa);
    /* Attributes in the 16-bit descriptor form (G D L AVL in the high
     * nibble): 0xA09B = 64-bit code, 0xC093 = flat read/write data. */
    igk_put_le16(out + NCTX_CODE_SELECTOR, IGK_DIRECT_CS);
    igk_put_le16(out + NCTX_CODE_ATTRIBUTES, 0xA09B);
    igk_put_le32(out + NCTX_CODE_BASE, 0);
    igk_put_le32(out + NCTX_CODE_LIMIT, 0xFFFFFFFFu);
    igk_put_le16(out + NCTX_DATA_SELECTOR, IGK_DIRECT_DS);
    igk_put_le16(out + NCTX_DATA_ATTRIBUTES, 0xC093);
    igk_put_le32(out + NCTX_DATA_BASE, 0);
    igk_put_le32(out + NCTX_DATA_LIMIT, 0xFFFFFFFFu);
    igk_put_le64(out + NCTX_CR0, IGK_DIRECT_CR0);
    igk_put_le64(out + NCTX_CR3, in->pml4_gpa);
    igk_put_le64(out + NCTX_CR4, IGK_DIRECT_CR4);
    igk_put_le64(out + NCTX_EFER, IGK_DIRECT_EFER);
}
