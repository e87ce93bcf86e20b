/* SPDX-License-Identifier: MIT */
/* TDX quote version 4: header and TD report body decoding (see report.h). */
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

/* Header. */
#define Q_VERSION 0
#define Q_ATT_KEY_TYPE 2
#define Q_TEE_TYPE 4
/* TD report body, from the start of the quote. */
#define Q_TEE_TCB_SVN 48
#define Q_MR_SEAM 64
#define Q_MR_SIGNER_SEAM 112
#define Q_SEAM_ATTRIBUTES 160
#define Q_TD_ATTRIBUTES 168
#define Q_XFAM 176
#define Q_MR_TD 184
#define Q_MR_CONFIG_ID 232
#define Q_MR_OWNER 280
#define Q_MR_OWNER_CONFIG 328
#define Q_RTMR0 376
#define Q_REPORT_DATA 568
#define Q_SIG_LEN 632
_Static_assert(Q_REPORT_DATA + 64 == IGK_TDX_QUOTE_HEADER_SIZE + IGK_TDX_TD_REPORT_SIZE,
               "the TD report body is 584 bytes after the 48-byte header");
_Static_assert(Q_RTMR0 + 4 * 48 == Q_REPORT_DATA, "four RTMRs before REPORTDATA");

int igk_tdx_quote_parse(const uint8_t *b, size_t len, struct igk_tdx_quote *q,
                        struct igk_error *err)
{
    uint64_t want;

    memset(q, 0, sizeof(*q));
    if (len < IGK_TDX_QUOTE_MIN_SIZE)
        return igk_error_set(err, IGK_E_INVALID,
                             "a TDX quote v4 has at least %u bytes (48-byte header, 584-byte TD "
                             "report, signature length); this one has %zu",
                             IGK_TDX_QUOTE_MIN_SIZE, len);
    q->version = igk_le16(b + Q_VERSION);
    if (q->version != 4)
        return igk_error_set(err, IGK_E_INVALID,
                             "unsupported TDX quote version %u (this tool reads version 4)",
                             q->version);
    q->tee_type = igk_le32(b + Q_TEE_TYPE);
    if (q->tee_type != IGK_TDX_TEE_TYPE)
        return igk_error_set(err, IGK_E_INVALID, "quote TEE type 0x%x is not TDX (0x81)",
                             q->tee_type);
    q->signature_data_len = igk_le32(b + Q_SIG_LEN);
    want = (uint64_t)IGK_TDX_QUOTE_MIN_SIZE + q->signature_data_len; /* cannot overflow u64 */
    if (want != len)
        return igk_error_set(err, IGK_E_INVALID,
                             "TDX quote is %zu bytes but its signature length says %llu", len,
                             (unsigned long long)want);
    q->attestation_key_type = igk_le16(b + Q_ATT_KEY_TYPE);
    memcpy(q->tee_tcb_svn, b + Q_TEE_TCB_SVN, 16);
    memcpy(q->mr_seam, b + Q_MR_SEAM, 48);
    memcpy(q->mr_signer_seam, b + Q_MR_SIGNER_SEAM, 48);
    q->seam_attributes = igk_le64(b + Q_SEAM_ATTRIBUTES);
    q->td_attributes = igk_le64(b + Q_TD_ATTRIBUTES);
    q->xfam = igk_le64(b + Q_XFAM);
    memcpy(q->mr_td, b + Q_MR_TD, 48);
    memcpy(q->mr_config_id, b + Q_MR_CONFIG_ID, 48);
    memcpy(q->mr_owner, b + Q_MR_OWNER, 48);
    memcpy(q->mr_owner_config, b + Q_MR_OWNER_CONFIG, 48);
    for (int i = 0; i < 4; i++)
        memcpy(q->rtmr[i], b + Q_RTMR0 + 48 * i, 48);
    memcpy(q->report_data, b + Q_REPORT_DATA, 64);
    return 0;
}
