/* SPDX-License-Identifier: MIT */
/*
 * An Intel MultiProcessor Specification 1.4 table, so that a kernel
 * started without firmware (and so without ACPI) still finds every vCPU and
 * the I/O APIC.  Linux looks for the floating pointer "_MP_" in the first
 * KiB of the EBDA, whose segment it reads from the BIOS data area at 0x40E
 * (arch/x86/kernel/mpparse.c smp_scan_config); without interrupt entries it
 * builds the default ISA routing itself.
 */
#include <string.h>

#include "le.h"
#include "linux-direct.h"

#define MPF_SIZE 16u
#define MPC_HEADER 44u
#define MPC_CPU 20u
#define MPC_SHORT 8u
#define LAPIC_BASE 0xFEE00000u
#define IOAPIC_BASE 0xFEC00000u

static uint8_t checksum(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return (uint8_t)(0u - sum);
}

void igk_direct_bda(uint8_t out[4096])
{
    memset(out, 0, 4096);
    /* BDA word 0x40E: EBDA segment. */
    igk_put_le16(out + 0x40E, (uint16_t)(IGK_DIRECT_MP_GPA >> 4));
}

void igk_direct_mp_table(uint8_t out[4096], unsigned vcpus)
{
    uint8_t *mpf = out, *mpc = out + MPF_SIZE, *e = mpc + MPC_HEADER;
    unsigned entries = 0;

    memset(out, 0, 4096);
    if (vcpus > 200) /* one 4 KiB page holds the table */
        vcpus = 200;
    for (unsigned i = 0; i < vcpus; i++, entries++, e += MPC_CPU) {
        e[0] = 0;                         /* processor                  */
        e[1] = (uint8_t)i;                /* local APIC id              */
        e[2] = 0x14;                      /* local APIC version         */
        e[3] = (uint8_t)(i == 0 ? 3 : 1); /* enabled, BSP for vCPU 0    */
        igk_put_le32(e + 4, 0x600);       /* CPU signature (family 6)   */
        igk_put_le32(e + 8, 0x201);       /* features: FPU, APIC        */
    }
    e[0] = 1; /* bus 0, ISA */
    memcpy(e + 2, "ISA   ", 6);
    e += MPC_SHORT, entries++;
    e[0] = 2;                   /* I/O APIC                    */
    e[1] = (uint8_t)vcpus;      /* its id follows the CPUs'    */
    e[2] = 0x20;                /* version                     */
    e[3] = 1;                   /* usable                      */
    igk_put_le32(e + 4, IOAPIC_BASE);
    e += MPC_SHORT, entries++;

    memcpy(mpc, "PCMP", 4);
    igk_put_le16(mpc + 4, (uint16_t)(e - mpc));
    mpc[6] = 4; /* spec revision 1.4 */
    memcpy(mpc + 8, "IGVMKIT ", 8);
    memcpy(mpc + 16, "DIRECT BOOT ", 12);
    igk_put_le16(mpc + 34, (uint16_t)entries);
    igk_put_le32(mpc + 36, LAPIC_BASE);
    mpc[7] = checksum(mpc, (size_t)(e - mpc));

    memcpy(mpf, "_MP_", 4);
    igk_put_le32(mpf + 4, (uint32_t)(IGK_DIRECT_MP_GPA + MPF_SIZE));
    mpf[8] = 1; /* length in 16-byte units */
    mpf[9] = 4; /* spec revision 1.4 */
    mpf[10] = checksum(mpf, MPF_SIZE);
}
