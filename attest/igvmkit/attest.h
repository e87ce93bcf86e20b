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
 * TDX quotes, TD event logs and their authentication: see the TDX section
 * at the end of this header.
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


/* ======================================================================
 * TDX: quotes, their authentication, TD event logs
 * ======================================================================
 *
 * Quote layout (Intel TDX DCAP Quoting Library API, appendix "TD Quote
 * Format", quote versions 4 and 5):
 *   header, 48 bytes: version u16 @0, attestation key type u16 @2
 *     (2 = ECDSA-256 with P-256), TEE type u32 @4 (0x81 TDX, 0 SGX),
 *     QE vendor id @12, user data @28;
 *   v4: the TDX 1.0 TD report body, 584 bytes, @48;
 *   v5: body type u16 @48 (2 = TDX 1.0 body, 3 = TDX 1.5 body), body size
 *     u32 @50, the body @54 (584 or 648 bytes);
 *   then the signature data length u32 and the signature data.
 * TD report body offsets (from its start; Intel TDX Module ABI, TDREPORT
 * and TDINFO): TEE_TCB_SVN @0, MRSEAM @16, MRSIGNERSEAM @64,
 * SEAMATTRIBUTES @112, TDATTRIBUTES @120, XFAM @128, MRTD @136,
 * MRCONFIGID @184, MROWNER @232, MROWNERCONFIG @280, RTMR0..3 @328..,
 * REPORTDATA @520; the TDX 1.5 body adds TEE_TCB_SVN2 @584 and
 * MRSERVICETD @600.
 * Signature data (ECDSA-256): quote signature r||s (64, big endian), the
 * attestation public key x||y (64), certification data: type u16, size
 * u32, data.  Type 6 (QE report certification data) holds the QE's SGX
 * REPORT body (384 bytes), its signature by the PCK key (64), the QE
 * authentication data (u16 size + bytes) and a nested certification data
 * entry, of type 5 for a PEM chain PCK certificate, PCK CA, root CA.
 *
 * Bytes after the signature data (quote buffers are often padded) are
 * ignored and counted in trailing_len.
 */

#define IGK_TDX_QUOTE_HEADER_SIZE 48u
#define IGK_TDX_BODY10_SIZE 584u /* TDX 1.0 TD report body */
#define IGK_TDX_BODY15_SIZE 648u /* TDX 1.5: + TEE_TCB_SVN2, MRSERVICETD */
#define IGK_TDX_QUOTE_MAX_SIZE (1u << 20) /* larger input is refused unread */
#define IGK_TDX_TEE_TYPE 0x81u
#define IGK_SGX_TEE_TYPE 0x00u
#define IGK_TDX_ATTESTATION_KEY_ECDSA_P256 2u
#define IGK_TDX_TD_ATTRIBUTES_DEBUG 0x1ull /* TUD.DEBUG, TDATTRIBUTES bit 0 */
#define IGK_TDX_QE_REPORT_SIZE 384u

struct igk_tdx_quote {
    uint16_t version;           /* 4 or 5                               */
    uint16_t attestation_key_type;
    uint32_t tee_type;
    uint16_t body_type;         /* 2 (TDX 1.0) or 3 (TDX 1.5); v4: 2    */
    uint32_t body_size;         /* 584 or 648                           */
    uint8_t qe_vendor_id[16];
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
    uint8_t tee_tcb_svn2[16];   /* body type 3 only, else zero          */
    uint8_t mr_service_td[48];  /* body type 3 only, else zero          */
    size_t body_offset;         /* where the body starts (48 or 54)     */
    size_t signed_len;          /* header (+ type, size) + body          */
    uint32_t signature_data_len;
    size_t quote_len;           /* signed_len + 4 + signature_data_len   */
    size_t trailing_len;        /* bytes after the quote, ignored        */
};

/*
 * Decodes a quote's header and body by its own lengths.  IGK_E_INVALID
 * for a quote shorter than its lengths say (naming the byte offset) or
 * longer than IGK_TDX_QUOTE_MAX_SIZE; IGK_E_UNSUPPORTED for an SGX quote
 * (TEE type 0, or version 3), another TEE type, a version other than 4
 * and 5 or an unknown v5 body type.
 */
IGK_PUBLIC int igk_tdx_quote_parse(const uint8_t *buf, size_t len, struct igk_tdx_quote *ret,
                                   struct igk_error *err);

/* The signature data of a parsed quote; pointers point into the quote buffer. */
struct igk_tdx_quote_signature {
    uint8_t signature[64];         /* r || s, big endian                    */
    uint8_t attestation_key[64];   /* P-256 x || y                          */
    const uint8_t *qe_report;      /* 384-byte SGX REPORT body of the QE    */
    uint8_t qe_report_signature[64];
    const uint8_t *qe_auth_data;
    uint16_t qe_auth_data_len;
    const uint8_t *pck_chain;      /* PEM: PCK, PCK CA, root (type 5)       */
    uint32_t pck_chain_len;
};

/*
 * Decodes the signature data: IGK_E_INVALID when a length inside runs past
 * it (with the byte offset in the quote), IGK_E_UNSUPPORTED for an
 * attestation key type other than ECDSA-256/P-256 or certification data
 * other than type 6 holding type 5.
 */
IGK_PUBLIC int igk_tdx_quote_signature_parse(const uint8_t *buf, const struct igk_tdx_quote *q,
                                             struct igk_tdx_quote_signature *ret,
                                             struct igk_error *err);

/* The Intel SGX Root CA igvmkit trusts (PEM), and its pinned SHA-256
 * fingerprint (of the DER certificate).  See attest/intel-root.c. */
IGK_PUBLIC const char *igk_intel_sgx_root_ca_pem(void);
IGK_PUBLIC const uint8_t *igk_intel_sgx_root_ca_sha256(void);

/*
 * Collateral from Intel's provisioning certification service, read from a
 * directory (none of it fetched): pckcrl.der or pckcrl.pem (the CRL of the
 * PCK CA that issued the PCK certificate), tcbInfo.json (TDX TCB info, the
 * body PCS returns) and qeIdentity.json or enclaveIdentity.json (TD QE
 * identity).  Each file is optional; at least one must exist.  Files are at
 * most IGK_TDX_COLLATERAL_MAX_SIZE bytes.
 */
#define IGK_TDX_COLLATERAL_MAX_SIZE (1u << 20)

struct igk_tdx_collateral {
    uint8_t *pck_crl;
    size_t pck_crl_len;
    uint8_t *tcb_info;
    size_t tcb_info_len;
    uint8_t *qe_identity;
    size_t qe_identity_len;
};

IGK_PUBLIC int igk_tdx_collateral_load(const char *dir, struct igk_tdx_collateral *ret,
                                       struct igk_error *err);
IGK_PUBLIC void igk_tdx_collateral_free(struct igk_tdx_collateral *c);

/* A time for certificate and CRL validity: now, or a given time. */
struct igk_tdx_auth_options {
    bool skip_signature;                        /* --no-signature: no rows but one */
    const struct igk_tdx_collateral *collateral; /* NULL: TCB status not checked  */
    bool has_time;
    int64_t time;                               /* seconds since 1970 (UTC)       */
};

/*
 * Authenticates a parsed quote and adds a row per link, from the root down:
 *   PCK_CHAIN        the PEM chain PCK <- PCK CA <- root, the root being the
 *                    pinned Intel SGX Root CA, every certificate valid at the
 *                    time;
 *   QE_REPORT_SIG    the QE report signed by the PCK certificate's key;
 *   QE_REPORT_DATA   QE REPORTDATA[0..32] = SHA-256(attestation key || QE
 *                    authentication data), bytes 32..64 zero;
 *   QUOTE_SIGNATURE  header + body signed by the attestation key;
 *   PCK_CRL          with collateral holding a CRL: the CRL is signed by
 *                    the PCK CA, current at the time, and does not list the
 *                    PCK certificate;
 *   QE_IDENTITY      with collateral holding QE identity: MRSIGNER,
 *                    ISVPRODID, MISCSELECT and ATTRIBUTES (masked) of the QE
 *                    report, and the TCB status of its ISVSVN;
 *   TCB_STATUS       "not checked (no collateral)", or the status of the
 *                    first TCB level of the TCB info that the PCK
 *                    certificate's SGX TCB and the quote's TEE_TCB_SVN reach
 *                    (Intel's TDX TCB evaluation); a mismatch for an FMSPC
 *                    other than the PCK certificate's, for "Revoked" or when
 *                    no level is reached.  The TCB info and QE identity
 *                    signatures are not checked (PCS serves the signing chain
 *                    in an HTTP header, which the files do not hold): the
 *                    row says so.
 * Returns 0 (the rows hold the verdict), IGK_E_INVALID /
 * IGK_E_UNSUPPORTED as igk_tdx_quote_signature_parse() and for malformed
 * collateral, IGK_E_INTERNAL.
 */
IGK_PUBLIC int igk_tdx_quote_authenticate(const uint8_t *buf, const struct igk_tdx_quote *q,
                                          const struct igk_tdx_auth_options *options,
                                          struct igk_verify_table *t, struct igk_error *err);

/* ---- TD event logs (CCEL) ---- */

/*
 * The TCG crypto-agile event log a TD's firmware leaves in the ACPI CCEL
 * area (TCG PC Client Platform Firmware Profile, section 10: the first
 * record is a TCG_PCClientPCREvent holding the "Spec ID Event03" structure
 * listing the digest algorithms and their sizes; then TCG_PCR_EVENT2
 * records: MR index u32, event type u32, digest count u32, count x
 * (algorithm u16, digest), event size u32, event data).  MR index 0 is
 * MRTD, 1..4 are RTMR0..3 (UEFI CC measurement protocol for TDX).  The log
 * ends at the end of the area or at the first record whose first 8 bytes
 * are all 0x00 or all 0xFF (an unused area).
 *
 * Limits: the log is at most IGK_EVENTLOG_MAX_SIZE bytes, holds at most
 * IGK_EVENTLOG_MAX_EVENTS events and the spec ID event at most
 * IGK_EVENTLOG_MAX_ALGS algorithms; every event needs a SHA-384 digest.
 */
#define IGK_EVENTLOG_MAX_SIZE (16u << 20)
#define IGK_EVENTLOG_MAX_EVENTS 100000u
#define IGK_EVENTLOG_MAX_ALGS 8u
#define IGK_TPM_ALG_SHA384 0x000Cu

struct igk_event {
    uint32_t mr_index;          /* 0 MRTD, 1..4 RTMR0..3                 */
    uint32_t type;              /* EV_*                                  */
    uint8_t sha384[48];
    const uint8_t *data;        /* event data, inside the log buffer     */
    uint32_t data_len;
    size_t offset;              /* where the record starts in the log    */
};

struct igk_event_log {
    size_t n_events;
    struct igk_event *events;   /* malloc()ed                            */
    size_t n_algs;
    uint16_t alg_ids[IGK_EVENTLOG_MAX_ALGS];
    uint16_t alg_sizes[IGK_EVENTLOG_MAX_ALGS];
    size_t length;              /* bytes read, up to the end marker       */
    uint8_t rtmr[4][48];        /* RTMR0..3 replayed from the events      */
    size_t rtmr_events[4];      /* events replayed into each              */
};

/*
 * Parses a log (buf must outlive the result) and replays it.
 * IGK_E_INVALID with the byte offset in the message for a
 * record truncated or running past the end, a digest count or size past
 * the end, an algorithm the spec ID event does not list, a digest without
 * SHA-384, an MR index above 4 or a missing spec ID event.
 */
IGK_PUBLIC int igk_event_log_parse(const uint8_t *buf, size_t len, struct igk_event_log *ret,
                                   struct igk_error *err);
IGK_PUBLIC void igk_event_log_free(struct igk_event_log *log);

/*
 * The log area length an ACPI CCEL table states (TDX guest-host
 * communication interface / ACPI 6.5 "CC Event Log ACPI Table": signature
 * "CCEL", LAML u64 @40, LASA u64 @48).  IGK_E_INVALID for a table that is
 * not a CCEL table, has a bad checksum or is shorter than 56 bytes.
 */
IGK_PUBLIC int igk_ccel_table_parse(const uint8_t *buf, size_t len, uint64_t *ret_length,
                                    uint64_t *ret_address, struct igk_error *err);

/* Name of an event type ("EV_EFI_ACTION", ...), or NULL when unknown. */
IGK_PUBLIC const char *igk_event_type_name(uint32_t type);

/*
 * A one-line decoding of an event's data into out (truncated to size):
 * EV_EFI_VARIABLE_* with the variable's GUID and name, firmware blobs and
 * handoff tables with their description, address and length, GPT headers,
 * PE image loads with their file path, EV_EVENT_TAG with the Linux initrd
 * and load options tags, EV_IPL and EV_*ACTION text, separators, platform
 * configuration flags; other data as hex (at most 64 bytes shown, then the
 * size).  Returns out.
 */
IGK_PUBLIC const char *igk_event_describe(const struct igk_event *event, char *out, size_t size);

/* ---- TDX verification against expected values ---- */

struct igk_tdx_expected {
    bool has_mr_td;
    uint8_t mr_td[48];
    bool has_rtmr;              /* RTMR1/RTMR2 predicted (OVMF direct boot) */
    uint8_t rtmr1[48];
    uint8_t rtmr2[48];
    const struct igk_rtmr_prediction *prediction; /* events, for the log */
    const char *measured_cmdline; /* text the prediction measured, or NULL */
    bool has_policy;            /* the file's TDX guest policy             */
    uint64_t policy;            /* bit 0: debug allowed                    */
    bool has_mr_config_id, has_mr_owner, has_mr_owner_config, has_report_data;
    uint8_t mr_config_id[48];
    uint8_t mr_owner[48];
    uint8_t mr_owner_config[48];
    uint8_t report_data[64];
};

/* Rows: MRTD, RTMR1, RTMR2 (when predicted), TD_DEBUG, MRCONFIGID, MROWNER,
 * MROWNERCONFIG, REPORTDATA (when given). */
IGK_PUBLIC void igk_tdx_compare(const struct igk_tdx_expected *e, const struct igk_tdx_quote *q,
                                struct igk_verify_table *t);

/*
 * Event log against the quote: rows RTMR0..RTMR3 (log), the replayed
 * register against the quote's, naming the events replayed; with a
 * prediction, rows RTMR1 events and RTMR2 events comparing the predicted
 * events with the logged ones of that register in order, naming the first
 * that differs (its index, type and what was predicted there) or a
 * missing or extra one.
 */
IGK_PUBLIC void igk_tdx_compare_event_log(const struct igk_tdx_expected *e,
                                          const struct igk_event_log *log,
                                          const struct igk_tdx_quote *q,
                                          struct igk_verify_table *t);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_ATTEST_H */
