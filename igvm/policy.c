/* SPDX-License-Identifier: MIT */
/*
 * Guest policy checks shared by the packer and lint (see igvm.h).
 *
 * SEV-SNP: the guest policy of SNP_LAUNCH_START, AMD SEV-SNP Firmware ABI
 * Specification (publication 56860) section 4.3, Table 9 "Guest Policy
 * Structure": bits 7:0 ABI_MINOR, 15:8 ABI_MAJOR, 16 SMT, 17 reserved and
 * must be one (the firmware fails the launch otherwise), 18 MIGRATE_MA,
 * 19 DEBUG, 20 SINGLE_SOCKET, 21 CXL_ALLOW, 22 MEM_AES_256_XTS, 23 RAPL_DIS,
 * 24 CIPHERTEXT_HIDING, 25 PAGE_SWAP_DISABLE, 63:26 reserved (zero).
 *
 * TDX: the IGVM TDX guest policy (microsoft/igvm, igvm_defs TdxPolicy):
 * bit 0 debug allowed (TD attribute DEBUG, Intel TDX module ABI
 * TD_PARAMS.ATTRIBUTES bit 0), bit 1 SEPT_VE_DISABLE, 63:2 reserved.
 */
#include <inttypes.h>
#include <stdio.h>

#include <igvmkit/igvm.h>

#define SNP_POLICY_RESERVED_ONE (1ull << 17)
#define SNP_POLICY_DEBUG (1ull << 19)
#define SNP_POLICY_KNOWN 0x3FFFFFFull /* bits 25:0 */
#define TDX_POLICY_DEBUG (1ull << 0)
#define TDX_POLICY_KNOWN 0x3ull

static size_t add(struct igk_policy_issue *out, size_t n, const char *rule, const char *fmt,
                  uint64_t value) IGK_PRINTF(4, 0);

static size_t add(struct igk_policy_issue *out, size_t n, const char *rule, const char *fmt,
                  uint64_t value)
{
    if (n >= IGK_POLICY_MAX_ISSUES)
        return n;
    out[n].rule = rule;
    snprintf(out[n].message, sizeof(out[n].message), fmt, value);
    return n + 1;
}

IGK_PUBLIC size_t igk_policy_check(enum igk_platform_type platform, uint64_t policy,
                                   struct igk_policy_issue out[IGK_POLICY_MAX_ISSUES])
{
    size_t n = 0;

    if (platform == IGK_PLATFORM_SEV_SNP) {
        if (!(policy & SNP_POLICY_RESERVED_ONE))
            n = add(out, n, "snp-policy-reserved",
                    "SEV-SNP policy 0x%" PRIx64 " has bit 17 clear: the bit is reserved and "
                    "must be 1, the firmware refuses SNP_LAUNCH_START (set 0x20000)",
                    policy);
        if (policy & SNP_POLICY_DEBUG)
            n = add(out, n, "snp-policy-debug",
                    "SEV-SNP policy 0x%" PRIx64 " sets DEBUG (bit 19): the host can read and "
                    "write guest memory with the debug commands",
                    policy);
        if (policy & ~SNP_POLICY_KNOWN)
            n = add(out, n, "snp-policy-unknown-bits",
                    "SEV-SNP policy sets reserved bits 0x%" PRIx64
                    " (bits 63:26 are reserved, zero): the firmware refuses the launch",
                    policy & ~SNP_POLICY_KNOWN);
    } else if (platform == IGK_PLATFORM_TDX) {
        if (policy & TDX_POLICY_DEBUG)
            n = add(out, n, "tdx-policy-debug",
                    "TDX policy 0x%" PRIx64 " allows DEBUG (bit 0): the host can read and "
                    "write TD private memory and state",
                    policy);
        if (policy & ~TDX_POLICY_KNOWN)
            n = add(out, n, "tdx-policy-unknown-bits",
                    "TDX policy sets bits 0x%" PRIx64
                    " that IGVM does not define (bits 63:2 are reserved)",
                    policy & ~TDX_POLICY_KNOWN);
    }
    return n;
}

IGK_PUBLIC const char *igk_policy_hex(uint64_t policy, char *buf, size_t size)
{
    if (buf && size)
        snprintf(buf, size, "0x%" PRIx64, policy);
    return buf;
}

IGK_PUBLIC const char *igk_policy_format(enum igk_platform_type platform, uint64_t policy,
                                         char *buf, size_t size)
{
    /* SEV-SNP bits 21-25, named as in the file comment, shown when set. */
    static const char *const snp_high[] = {"cxl_allow", "mem_aes_256_xts", "rapl_dis",
                                           "ciphertext_hiding", "page_swap_disable"};
    uint64_t reserved = 0;
    int n = 0;

    if (!buf || !size)
        return buf;
    /* Bit names: the SEV-SNP and TDX tables of the file comment. */
    if (platform == IGK_PLATFORM_SEV_SNP) {
        n = snprintf(buf, size,
                     "0x%" PRIx64 " (abi %u.%u, smt %s, migrate_ma %s, debug %s, single_socket %s",
                     policy, (unsigned)(policy >> 8) & 0xff, (unsigned)policy & 0xff,
                     (policy >> 16) & 1 ? "allowed" : "off", (policy >> 18) & 1 ? "on" : "off",
                     (policy >> 19) & 1 ? "on" : "off", (policy >> 20) & 1 ? "on" : "off");
        for (unsigned bit = 21; bit <= 25; bit++)
            if ((policy >> bit) & 1 && n >= 0 && (size_t)n < size)
                n += snprintf(buf + n, size - (size_t)n, ", %s on", snp_high[bit - 21]);
        if (!(policy & SNP_POLICY_RESERVED_ONE) && n >= 0 && (size_t)n < size)
            n += snprintf(buf + n, size - (size_t)n, ", bit 17 clear (must be set)");
        reserved = policy & ~SNP_POLICY_KNOWN;
    } else if (platform == IGK_PLATFORM_TDX) {
        n = snprintf(buf, size, "0x%" PRIx64 " (debug %s, sept_ve_disable %s", policy,
                     policy & 1 ? "on" : "off", (policy >> 1) & 1 ? "on" : "off");
        reserved = policy & ~TDX_POLICY_KNOWN;
    } else {
        snprintf(buf, size, "0x%" PRIx64, policy);
        return buf;
    }
    if (reserved && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ", reserved bits 0x%" PRIx64, reserved);
    if (n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ")");
    return buf;
}
