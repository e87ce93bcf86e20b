/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/attest.h> -- attestation evidence against an IGVM file: the SEV-SNP
 * ATTESTATION_REPORT and the TDX quote (version 4), decoded field by field
 * from untrusted bytes, and a field-by-field comparison with the values the
 * file predicts.
 *
 * SNP report layout (AMD SEV-SNP firmware ABI, "ATTESTATION_REPORT",
 * 0x4A0 bytes; offsets cross-checked with virtee/sev and AMD's sev-guest
 * headers): VERSION @0x00, GUEST_SVN @0x04, POLICY @0x08, FAMILY_ID @0x10,
 * IMAGE_ID @0x20, VMPL @0x30, SIGNATURE_ALGO @0x34, CURRENT_TCB @0x38,
 * PLATFORM_INFO @0x40, flags @0x48, REPORT_DATA @0x50, MEASUREMENT @0x90,
 * HOST_DATA @0xC0, ID_KEY_DIGEST @0xE0, AUTHOR_KEY_DIGEST @0x110,
 * REPORT_ID @0x140, REPORT_ID_MA @0x160, REPORTED_TCB @0x180, CHIP_ID
 * @0x1A0, SIGNATURE @0x2A0 (r, s: 72-byte little endian).  The VCEK signs
 * bytes 0..0x29F with ECDSA P-384 / SHA-384.
 *
 * TDX quote v4 (Intel DCAP): a 48-byte header (version u16 @0, attestation
 * key type u16 @2, TEE type u32 @4 = 0x81 for TDX, QE vendor id @12, user
 * data @28), the 584-byte TD report body (TEE_TCB_SVN @48, MRSEAM @64,
 * MRSIGNERSEAM @112, SEAMATTRIBUTES @160, TDATTRIBUTES @168, XFAM @176,
 * MRTD @184, MRCONFIGID @232, MROWNER @280, MROWNERCONFIG @328, RTMR0..3
 * @376/424/472/520, REPORTDATA @568), then u32 signature data length @632
 * and the signature data.
 */
#ifndef IGVMKIT_ATTEST_H
#define IGVMKIT_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IGK_SNP_REPORT_SIZE 0x4A0u
#define IGK_SNP_REPORT_SIGNED_SIZE 0x2A0u /* bytes covered by the signature */
#define IGK_SNP_REPORT_MIN_VERSION 2u
#define IGK_SNP_REPORT_MAX_VERSION 5u

struct igk_snp_report {
    uint32_t version;
    uint32_t guest_svn;
    uint64_t policy;
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t vmpl;
    uint32_t signature_algo; /* 1 = ECDSA P-384 with SHA-384 */
    uint64_t current_tcb;
    uint64_t platform_info;
    uint8_t report_data[64];
    uint8_t measurement[48];
    uint8_t host_data[32];
    uint8_t id_key_digest[48];
    uint8_t author_key_digest[48];
    uint8_t report_id[32];
    uint64_t reported_tcb;
    uint8_t chip_id[64];
    struct igk_snp_signature signature;
};

/* Decodes a report: IGK_E_INVALID for a wrong size or a version outside 2..5. */
IGK_PUBLIC int igk_snp_report_parse(const uint8_t *buf, size_t len, struct igk_snp_report *ret,
                         struct igk_error *err);

/*
 * Verifies the report signature (bytes 0..0x29F) with key (the VCEK's public
 * key).  0 when valid, IGK_E_MISMATCH when not, IGK_E_INVALID when the
 * report's algorithm is not ECDSA P-384/SHA-384.
 */
IGK_PUBLIC int igk_snp_report_verify(const uint8_t *buf, size_t len, EVP_PKEY *key, struct igk_error *err);

#define IGK_TDX_QUOTE_HEADER_SIZE 48u
#define IGK_TDX_TD_REPORT_SIZE 584u
#define IGK_TDX_QUOTE_MIN_SIZE (IGK_TDX_QUOTE_HEADER_SIZE + IGK_TDX_TD_REPORT_SIZE + 4u)
#define IGK_TDX_TEE_TYPE 0x81u

struct igk_tdx_quote {
    uint16_t version;
    uint16_t attestation_key_type;
    uint32_t tee_type;
    uint8_t tee_tcb_svn[16];
    uint8_t mr_seam[48];
    uint8_t mr_signer_seam[48];
    uint64_t seam_attributes;
    uint64_t td_attributes;
    uint64_t xfam;
    uint8_t mr_td[48];
    uint8_t mr_config_id[48];
    uint8_t mr_owner[48];
    uint8_t mr_owner_config[48];
    uint8_t rtmr[4][48];
    uint8_t report_data[64];
    uint32_t signature_data_len;
};

/* Decodes a v4 quote: IGK_E_INVALID for a wrong size, version or TEE type. */
IGK_PUBLIC int igk_tdx_quote_parse(const uint8_t *buf, size_t len, struct igk_tdx_quote *ret,
                        struct igk_error *err);

/* ---- comparison table ---- */

#define IGK_VERIFY_MAX_ROWS 16

struct igk_verify_row {
    const char *field;   /* "MEASUREMENT", ... (static) */
    char expected[132];  /* lower-case hex, or a number, or a word */
    char actual[132];
    bool match;
};

struct igk_verify_table {
    struct igk_verify_row rows[IGK_VERIFY_MAX_ROWS];
    size_t n_rows;
    size_t n_mismatches;
};

IGK_PUBLIC void igk_verify_add_bytes(struct igk_verify_table *t, const char *field, const uint8_t *expected,
                          const uint8_t *actual, size_t len);
IGK_PUBLIC void igk_verify_add_u64(struct igk_verify_table *t, const char *field, uint64_t expected,
                        uint64_t actual, bool hex);
IGK_PUBLIC void igk_verify_add_text(struct igk_verify_table *t, const char *field, const char *expected,
                         const char *actual, bool match);

/* What an SNP report of a launch of this file must contain. */
struct igk_snp_expected {
    uint8_t measurement[48];
    bool has_policy;
    uint64_t policy;
    bool has_id_block;       /* otherwise ids, SVN and key digests are zero */
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t guest_svn;
    uint8_t id_key_digest[48];
    uint8_t author_key_digest[48];
    bool has_host_data;
    uint8_t host_data[32];
};

/* Measures the file's SEV-SNP platform with the loader profile and reads
 * its policy and ID block.  Errors as igk_measure(). */
IGK_PUBLIC int igk_snp_expected_from_igvm(const struct igk_igvm *igvm, enum igk_loader loader,
                               struct igk_snp_expected *ret, struct igk_error *err);

/* Rows: MEASUREMENT, POLICY (when the file has one), FAMILY_ID, IMAGE_ID,
 * GUEST_SVN, ID_KEY_DIGEST, AUTHOR_KEY_DIGEST, HOST_DATA (when given). */
IGK_PUBLIC void igk_snp_compare(const struct igk_snp_expected *e, const struct igk_snp_report *r,
                     struct igk_verify_table *t);

struct igk_tdx_expected {
    uint8_t mr_td[48];
    bool has_rtmr;           /* RTMR1/RTMR2 predicted (OVMF direct boot) */
    uint8_t rtmr1[48];
    uint8_t rtmr2[48];
};

/* Rows: MRTD, and RTMR1, RTMR2 when predicted. */
IGK_PUBLIC void igk_tdx_compare(const struct igk_tdx_expected *e, const struct igk_tdx_quote *q,
                     struct igk_verify_table *t);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_ATTEST_H */
