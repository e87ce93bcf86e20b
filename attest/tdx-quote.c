/* SPDX-License-Identifier: MIT */
/*
 * TDX quote versions 4 and 5: header, TD report body (TDX 1.0 or 1.5) and
 * the ECDSA signature data, decoded by the quote's own lengths (layout in
 * <igvmkit/attest.h>, after Intel's TDX DCAP Quoting Library API,
 * appendix "TD Quote Format").
 */
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

/* Header. */
#define H_VERSION 0
#define H_ATT_KEY_TYPE 2
#define H_TEE_TYPE 4
#define H_QE_VENDOR_ID 12
/* Version 5: the body is described before it. */
#define V5_BODY_TYPE 48
#define V5_BODY_SIZE 50
#define V5_BODY 54
/* TD report body, from its start. */
#define B_TEE_TCB_SVN 0
#define B_MR_SEAM 16
#define B_MR_SIGNER_SEAM 64
#define B_SEAM_ATTRIBUTES 112
#define B_TD_ATTRIBUTES 120
#define B_XFAM 128
#define B_MR_TD 136
#define B_MR_CONFIG_ID 184
#define B_MR_OWNER 232
#define B_MR_OWNER_CONFIG 280
#define B_RTMR0 328
#define B_REPORT_DATA 520
#define B_TEE_TCB_SVN2 584
#define B_MR_SERVICE_TD 600
_Static_assert(B_REPORT_DATA + 64 == IGK_TDX_BODY10_SIZE, "REPORTDATA ends the TDX 1.0 body");
_Static_assert(B_MR_SERVICE_TD + 48 == IGK_TDX_BODY15_SIZE, "MRSERVICETD ends the TDX 1.5 body");
_Static_assert(B_RTMR0 + 4 * 48 == B_REPORT_DATA, "four RTMRs before REPORTDATA");

/* Body types of quote version 5 (1 is an SGX enclave report). */
#define BODY_TYPE_SGX 1
#define BODY_TYPE_TDX10 2
#define BODY_TYPE_TDX15 3

/* Certification data types (DCAP API, "Certification Data"). */
#define CERT_TYPE_PCK_CHAIN 5
#define CERT_TYPE_QE_REPORT 6

static int truncated(struct igk_error *err, size_t offset, size_t len, const char *what)
{
    return igk_error_set(err, IGK_E_INVALID,
                         "TDX quote truncated at byte %zu: %s runs past the end (%zu bytes)",
                         offset, what, len);
}

int igk_tdx_quote_parse(const uint8_t *b, size_t len, struct igk_tdx_quote *q,
                        struct igk_error *err)
{
    const uint8_t *body;
    size_t off;

    memset(q, 0, sizeof(*q));
    if (len > IGK_TDX_QUOTE_MAX_SIZE)
        return igk_error_set(err, IGK_E_INVALID,
                             "%zu bytes is more than a TDX quote can be (limit %u bytes)", len,
                             IGK_TDX_QUOTE_MAX_SIZE);
    if (len < 8)
        return truncated(err, 0, len, "the 48-byte quote header");
    q->version = igk_le16(b + H_VERSION);
    q->attestation_key_type = igk_le16(b + H_ATT_KEY_TYPE);
    q->tee_type = igk_le32(b + H_TEE_TYPE);
    if (q->version == 3 || q->tee_type == IGK_SGX_TEE_TYPE)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "this is an SGX quote (version %u, TEE type 0x%x), not a TDX quote; "
                             "igvmkit verifies TDX quotes only",
                             q->version, q->tee_type);
    if (q->tee_type != IGK_TDX_TEE_TYPE)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "quote TEE type 0x%x is not TDX (0x81); igvmkit verifies TDX quotes "
                             "only",
                             q->tee_type);
    if (q->version != 4 && q->version != 5)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "unsupported TDX quote version %u (igvmkit reads versions 4 and 5)",
                             q->version);
    if (len < IGK_TDX_QUOTE_HEADER_SIZE)
        return truncated(err, 0, len, "the 48-byte quote header");
    memcpy(q->qe_vendor_id, b + H_QE_VENDOR_ID, 16);

    if (q->version == 4) {
        q->body_type = BODY_TYPE_TDX10;
        q->body_size = IGK_TDX_BODY10_SIZE;
        q->body_offset = IGK_TDX_QUOTE_HEADER_SIZE;
    } else {
        if (len < V5_BODY)
            return truncated(err, V5_BODY_TYPE, len, "the body type and size");
        q->body_type = igk_le16(b + V5_BODY_TYPE);
        q->body_size = igk_le32(b + V5_BODY_SIZE);
        q->body_offset = V5_BODY;
        if (q->body_type == BODY_TYPE_SGX)
            return igk_error_set(err, IGK_E_UNSUPPORTED,
                                 "quote version 5 body type 1 is an SGX enclave report, not a TD "
                                 "report");
        if (q->body_type != BODY_TYPE_TDX10 && q->body_type != BODY_TYPE_TDX15)
            return igk_error_set(err, IGK_E_UNSUPPORTED,
                                 "unknown TDX quote body type %u (known: 2 = TDX 1.0, 3 = TDX 1.5)",
                                 q->body_type);
        uint32_t want = q->body_type == BODY_TYPE_TDX10 ? IGK_TDX_BODY10_SIZE : IGK_TDX_BODY15_SIZE;
        if (q->body_size != want) {
            return igk_error_set(err, IGK_E_INVALID,
                                 "TDX quote body type %u is %u bytes, but the quote says %u "
                                 "(byte %u)",
                                 q->body_type, want, q->body_size, V5_BODY_SIZE);
        }
    }
    if (len - q->body_offset < q->body_size)
        return truncated(err, q->body_offset, len, "the TD report body");
    q->signed_len = q->body_offset + q->body_size;
    if (len - q->signed_len < 4)
        return truncated(err, q->signed_len, len, "the signature data length");
    q->signature_data_len = igk_le32(b + q->signed_len);
    off = q->signed_len + 4;
    if (len - off < q->signature_data_len)
        return truncated(err, off, len, "the signature data");
    q->quote_len = off + q->signature_data_len;
    q->trailing_len = len - q->quote_len;

    body = b + q->body_offset;
    memcpy(q->tee_tcb_svn, body + B_TEE_TCB_SVN, 16);
    memcpy(q->mr_seam, body + B_MR_SEAM, 48);
    memcpy(q->mr_signer_seam, body + B_MR_SIGNER_SEAM, 48);
    q->seam_attributes = igk_le64(body + B_SEAM_ATTRIBUTES);
    q->td_attributes = igk_le64(body + B_TD_ATTRIBUTES);
    q->xfam = igk_le64(body + B_XFAM);
    memcpy(q->mr_td, body + B_MR_TD, 48);
    memcpy(q->mr_config_id, body + B_MR_CONFIG_ID, 48);
    memcpy(q->mr_owner, body + B_MR_OWNER, 48);
    memcpy(q->mr_owner_config, body + B_MR_OWNER_CONFIG, 48);
    for (int i = 0; i < 4; i++)
        memcpy(q->rtmr[i], body + B_RTMR0 + 48 * i, 48);
    memcpy(q->report_data, body + B_REPORT_DATA, 64);
    if (q->body_type == BODY_TYPE_TDX15) {
        memcpy(q->tee_tcb_svn2, body + B_TEE_TCB_SVN2, 16);
        memcpy(q->mr_service_td, body + B_MR_SERVICE_TD, 48);
    }
    return 0;
}

int igk_tdx_quote_signature_parse(const uint8_t *b, const struct igk_tdx_quote *q,
                                  struct igk_tdx_quote_signature *s, struct igk_error *err)
{
    size_t off = q->signed_len + 4, end = q->quote_len;
    uint16_t type;
    uint32_t size;

    memset(s, 0, sizeof(*s));
    if (q->attestation_key_type != IGK_TDX_ATTESTATION_KEY_ECDSA_P256)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "attestation key type %u is not ECDSA-256 with P-256 (2)",
                             q->attestation_key_type);
    /* signature (64), attestation key (64), certification data type + size (6) */
    if (end - off < 64 + 64 + 6)
        return truncated(err, off, end, "the quote signature and attestation key");
    memcpy(s->signature, b + off, 64);
    memcpy(s->attestation_key, b + off + 64, 64);
    off += 128;
    type = igk_le16(b + off);
    size = igk_le32(b + off + 2);
    if (type != CERT_TYPE_QE_REPORT)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "quote certification data type %u at byte %zu is not 6 (QE report "
                             "certification data)",
                             type, off);
    off += 6;
    if (end - off < size)
        return truncated(err, off, end, "the QE report certification data");
    end = off + size; /* nested fields stay inside the declared size */
    if (end - off < IGK_TDX_QE_REPORT_SIZE + 64 + 2)
        return truncated(err, off, end, "the QE report and its signature");
    s->qe_report = b + off;
    memcpy(s->qe_report_signature, b + off + IGK_TDX_QE_REPORT_SIZE, 64);
    off += IGK_TDX_QE_REPORT_SIZE + 64;
    s->qe_auth_data_len = igk_le16(b + off);
    off += 2;
    if (end - off < s->qe_auth_data_len)
        return truncated(err, off, end, "the QE authentication data");
    s->qe_auth_data = b + off;
    off += s->qe_auth_data_len;
    if (end - off < 6)
        return truncated(err, off, end, "the PCK certification data header");
    type = igk_le16(b + off);
    size = igk_le32(b + off + 2);
    if (type != CERT_TYPE_PCK_CHAIN)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "PCK certification data type %u at byte %zu is not 5 (PEM "
                             "certificate chain); igvmkit does not fetch PCK certificates",
                             type, off);
    off += 6;
    if (end - off < size)
        return truncated(err, off, end, "the PCK certificate chain");
    s->pck_chain = b + off;
    s->pck_chain_len = size;
    return 0;
}
