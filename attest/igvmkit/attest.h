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
 * REPORT_ID @0x140, REPORT_ID_MA @0x160, REPORTED_TCB @0x180, CPUID family,
 * model, stepping @0x188..0x18A (version 3+), CHIP_ID @0x1A0, COMMITTED_TCB
 * @0x1E0, LAUNCH_TCB @0x1F0, SIGNATURE @0x2A0 (r, s: 72-byte little endian).  The VCEK signs
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
#include <openssl/x509.h>

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
#define IGK_SNP_SIGNATURE_ALGO_ECDSA_P384 1u /* SIGNATURE_ALGO: ECDSA P-384 with SHA-384 */
#define IGK_SNP_SIGNING_KEY_VCEK 0u /* SIGNING_KEY values (report flags bits 4:2) */
#define IGK_SNP_SIGNING_KEY_VLEK 1u
#define IGK_SNP_SIGNING_KEY_NONE 7u
#define IGK_SNP_POLICY_DEBUG (1ull << 19) /* guest policy: debugging allowed */

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
    uint32_t flags;          /* @0x48: AUTHOR_KEY_EN bit 0, MASK_CHIP_KEY bit 1, SIGNING_KEY bits 4:2 */
    unsigned signing_key;    /* IGK_SNP_SIGNING_KEY_* */
    bool mask_chip_key;      /* the firmware did not sign the report (signature zero) */
    uint8_t report_data[64];
    uint8_t measurement[48];
    uint8_t host_data[32];
    uint8_t id_key_digest[48];
    uint8_t author_key_digest[48];
    uint8_t report_id[32];
    uint64_t reported_tcb;
    uint8_t cpuid_family;    /* @0x188, report version 3+: CPUID_FAM_ID */
    uint8_t cpuid_model;     /* @0x189: CPUID_MOD_ID */
    uint8_t cpuid_stepping;  /* @0x18A: CPUID_STEP */
    uint8_t chip_id[64];
    uint64_t committed_tcb;  /* @0x1E0 */
    uint64_t launch_tcb;     /* @0x1F0 */
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

/* ---- verification rows ---------------------------------------------------
 *
 * Every check `verify` makes is a row: what was expected, what the evidence
 * shows, and one of three results.  A row marked `required` bears on the
 * authenticity of the evidence or the identity of the guest; the verdict
 * (igk_verify_passed) is positive only when every required row matched, or
 * was skipped because the user opted out of that check by name (`waived`,
 * the reason says which option).  Rows that are not required inform and never
 * decide.  SEV-SNP and TDX evidence use the same rows; IGK_VERIFY_SCHEMA
 * versions their JSON form (igvmkit(1), verify).
 */
#define IGK_VERIFY_SCHEMA 2
#define IGK_VERIFY_MAX_ROWS 48
#define IGK_VERIFY_MAX_NOTES 6

enum igk_verify_status {
    IGK_VERIFY_MATCH = 0,
    IGK_VERIFY_MISMATCH,
    IGK_VERIFY_NOT_CHECKED,
};

struct igk_verify_row {
    const char *field;  /* "MEASUREMENT", "REPORT_SIGNATURE", ... (static) */
    char expected[132]; /* lower-case hex, a number, or words */
    char actual[132];
    char reason[256];   /* why a row mismatched or was not checked ("" if matched) */
    enum igk_verify_status status;
    bool required;      /* bears on authenticity or identity */
    bool waived;        /* not checked because the user asked so (reason names the option) */
    bool match;         /* status == IGK_VERIFY_MATCH */
};

struct igk_verify_table {
    struct igk_verify_row rows[IGK_VERIFY_MAX_ROWS];
    size_t n_rows;
    size_t n_mismatches;  /* rows with IGK_VERIFY_MISMATCH */
    size_t n_unchecked;   /* required rows not checked and not waived */
    bool overflow;        /* a row did not fit: the verdict is negative */
    char notes[IGK_VERIFY_MAX_NOTES][400]; /* facts for the reader (what to fetch, ...) */
    size_t n_notes;
};

/* "match", "mismatch", "not checked". */
IGK_PUBLIC const char *igk_verify_status_name(enum igk_verify_status status);

/* True when every required row matched or was waived, and nothing overflowed. */
IGK_PUBLIC bool igk_verify_passed(const struct igk_verify_table *t);

/* The first required row that failed (mismatch, or not checked and not waived); NULL if none. */
IGK_PUBLIC const struct igk_verify_row *igk_verify_first_failure(const struct igk_verify_table *t);

/*
 * Row builders.  All rows they add are required; they return the row (NULL
 * when the table is full, which makes the verdict negative) so the caller can
 * add a reason or mark it informational with igk_verify_row_inform().
 */
IGK_PUBLIC struct igk_verify_row *igk_verify_add_bytes(struct igk_verify_table *t, const char *field,
                                                       const uint8_t *expected, const uint8_t *actual,
                                                       size_t len);
IGK_PUBLIC struct igk_verify_row *igk_verify_add_u64(struct igk_verify_table *t, const char *field,
                                                     uint64_t expected, uint64_t actual, bool hex);
IGK_PUBLIC struct igk_verify_row *igk_verify_add_text(struct igk_verify_table *t, const char *field,
                                                      const char *expected, const char *actual,
                                                      bool match);
/* A row whose check could not be made; waived when the user opted out by name. */
IGK_PUBLIC struct igk_verify_row *igk_verify_add_not_checked(struct igk_verify_table *t,
                                                             const char *field, bool waived,
                                                             const char *fmt, ...)
    IGK_PRINTF(4, 5);
/* Sets the row's reason (printf format); row may be NULL. */
IGK_PUBLIC void igk_verify_row_reason(struct igk_verify_row *row, const char *fmt, ...)
    IGK_PRINTF(2, 3);
/* Makes a row informational: shown, never deciding the verdict; row may be NULL. */
IGK_PUBLIC void igk_verify_row_inform(struct igk_verify_table *t, struct igk_verify_row *row);
/* Adds a note (dropped when IGK_VERIFY_MAX_NOTES are there). */
IGK_PUBLIC void igk_verify_add_note(struct igk_verify_table *t, const char *fmt, ...)
    IGK_PRINTF(2, 3);

/* ---- time ---- */

/*
 * Parses an RFC 3339 date-time ("2025-06-01T12:00:00Z", "...+02:00",
 * fractions of a second ignored) into seconds since the epoch; IGK_E_USAGE
 * naming what is wrong.  igk_time_format writes "2025-06-01T12:00:00Z".
 */
IGK_PUBLIC int igk_time_parse_rfc3339(const char *text, int64_t *ret, struct igk_error *err);
IGK_PUBLIC void igk_time_format(int64_t t, char out[32]);

/* ---- SEV-SNP chain of trust (attest/snp-chain.c, attest/amd-certs.c) -------
 *
 * An SNP report is signed by a VCEK (a key unique to one chip and one TCB) or
 * a VLEK (a key AMD issues to a cloud provider), whose certificate is signed
 * with RSA-PSS/SHA-384 by the ASK (VCEK) or the ASVK (VLEK) of the product
 * line, which is signed by the self-signed ARK of that line (AMD 57230,
 * "VCEK Certificate and KDS Interface Specification").  igvmkit carries the
 * ARK, ASK and ASVK of Milan, Genoa and Turin and pins each ARK by the
 * SHA-256 of its DER form; docs/snp-trust.md lists the fingerprints.
 */
enum igk_amd_product {
    IGK_AMD_PRODUCT_UNKNOWN = 0,
    IGK_AMD_MILAN,
    IGK_AMD_GENOA,
    IGK_AMD_TURIN,
};

enum igk_amd_cert_role { IGK_AMD_ARK, IGK_AMD_ASK, IGK_AMD_ASVK };

/* "Milan", "Genoa", "Turin", "unknown". */
IGK_PUBLIC const char *igk_amd_product_name(enum igk_amd_product product);
/* From a name as AMD writes it in certificates: "Milan", "Milan-B0", "SEV-Milan", "ARK-Genoa". */
IGK_PUBLIC enum igk_amd_product igk_amd_product_from_name(const char *name);
/*
 * The product line of the CPU that made a report, from CPUID_FAM_ID and
 * CPUID_MOD_ID (report version 3 and later): family 19h models 00h-0Fh
 * Milan, 10h-1Fh and A0h-AFh Genoa; family 1Ah models 00h-1Fh Turin.
 * IGK_AMD_PRODUCT_UNKNOWN for a version 2 report or another CPU.
 */
IGK_PUBLIC enum igk_amd_product igk_snp_report_product(const struct igk_snp_report *r);

/* AMD's certificate (PEM text) and the pinned ARK fingerprint; NULL for an unknown product. */
IGK_PUBLIC const char *igk_amd_cert_pem(enum igk_amd_product product, enum igk_amd_cert_role role);
IGK_PUBLIC const uint8_t *igk_amd_ark_sha256(enum igk_amd_product product);

/*
 * TCB_VERSION (AMD SEV-SNP firmware ABI, "TCB_VERSION Structure"): on Milan
 * and Genoa bytes 0, 1, 6, 7 are the boot loader, TEE, SNP and microcode
 * SVNs; on Turin (family 1Ah) bytes 0, 1, 2, 3, 7 are FMC, boot loader, TEE,
 * SNP and microcode.  Bytes counted from the least significant.
 */
struct igk_snp_tcb {
    bool has_fmc; /* Turin */
    uint8_t fmc, bootloader, tee, snp, microcode;
};
IGK_PUBLIC void igk_snp_tcb_decode(uint64_t tcb, enum igk_amd_product product,
                                   struct igk_snp_tcb *ret);
/* "bl=3 tee=0 snp=8 ucode=115" (with "fmc=1 " first on Turin). */
IGK_PUBLIC void igk_snp_tcb_format(const struct igk_snp_tcb *tcb, char *out, size_t size);
/* Parses "bl=3,tee=0,snp=8,ucode=115[,fmc=1]" (any order, all four needed); IGK_E_USAGE. */
IGK_PUBLIC int igk_snp_tcb_parse(const char *text, struct igk_snp_tcb *ret, struct igk_error *err);

/* Certificates of one file, in file order. */
#define IGK_CERT_FILE_MAX (256u * 1024u) /* larger certificate files are refused unread */
#define IGK_CERT_LIST_MAX 8u
struct igk_cert_list {
    X509 *certs[IGK_CERT_LIST_MAX];
    size_t n;
};

/*
 * Reads one DER certificate, or every certificate of a PEM file (in any
 * order).  IGK_E_INVALID when the bytes are neither, when a PEM block is
 * broken, or when there are more than IGK_CERT_LIST_MAX certificates.
 */
IGK_PUBLIC int igk_cert_list_parse(const uint8_t *buf, size_t len, struct igk_cert_list *ret,
                                   struct igk_error *err);
IGK_PUBLIC void igk_cert_list_free(struct igk_cert_list *list);

struct igk_snp_trust_options {
    const struct igk_cert_list *vcek;  /* --vcek: VCEK/VLEK, maybe with ASK/ASVK/ARK; NULL if none */
    const struct igk_cert_list *chain; /* --cert-chain: intermediates that take precedence; NULL */
    int64_t at;                        /* validity is checked at this time (seconds since 1970) */
    bool no_signature;                 /* the user opted out of authenticity checks */
};

/*
 * Authenticates a report (the raw bytes and their decoding) to AMD's root
 * and adds a row for every link: REPORT_SIGNATURE, SIGNING_KEY,
 * VCEK_SIGNED_BY_ASK (or VLEK_SIGNED_BY_ASVK), ASK_SIGNED_BY_ARK (or
 * ASVK_SIGNED_BY_ARK), ARK_SELF_SIGNED, ARK_PINNED, PRODUCT, CHIP_ID,
 * REPORTED_TCB and a validity row per certificate.  Mismatches are rows, not
 * errors.  Without a VCEK the rows say "not checked" (waived with
 * no_signature) and a note names the certificate to fetch from AMD's KDS.
 * Errors: IGK_E_INVALID when the VCEK file has no leaf certificate or its key
 * is not ECDSA P-384 (the message names the check; the caller adds the path).
 */
IGK_PUBLIC int igk_snp_authenticate(const uint8_t *report, size_t len,
                                    const struct igk_snp_report *r,
                                    const struct igk_snp_trust_options *o,
                                    struct igk_verify_table *t, struct igk_error *err);

/*
 * What an SNP report must contain: the values a launch of the file predicts
 * (has_file) and the values the verifier asks for on the command line.
 */
struct igk_snp_expected {
    bool has_file;           /* MEASUREMENT, POLICY, ids, digests and the debug bit */
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
    bool has_report_data;    /* the verifier's nonce, zero padded to 64 bytes */
    uint8_t report_data[64];
    bool has_vmpl;
    uint32_t vmpl;
    bool has_min_tcb;        /* every component of REPORTED_TCB at least this */
    struct igk_snp_tcb min_tcb;
};

/* Measures the file's SEV-SNP platform with the loader profile and reads
 * its policy and ID block (has_file set).  Errors as igk_measure(). */
IGK_PUBLIC int igk_snp_expected_from_igvm(const struct igk_igvm *igvm, enum igk_loader loader,
                                          struct igk_snp_expected *ret, struct igk_error *err);

/*
 * Rows, each only when its expected value is known: MEASUREMENT, POLICY (when
 * the file has one), POLICY_DEBUG (debugging allowed by the report's policy
 * only if the file's policy allows it), FAMILY_ID, IMAGE_ID, GUEST_SVN,
 * ID_KEY_DIGEST, AUTHOR_KEY_DIGEST (with a file); HOST_DATA, REPORT_DATA,
 * VMPL, MIN_TCB (when given).  product picks the TCB layout for MIN_TCB.
 */
IGK_PUBLIC void igk_snp_compare(const struct igk_snp_expected *e, const struct igk_snp_report *r,
                                enum igk_amd_product product, struct igk_verify_table *t);

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
