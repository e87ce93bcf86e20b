/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the attestation evidence parsers (attest/report-*.c,
 * attest/tdx-*.c): SEV-SNP reports and TDX quotes come from the guest or a
 * network peer and are untrusted.  Every input goes through both parsers,
 * the TDX signature data parser and authentication (PCK chain, signatures)
 * and the comparison tables; nothing may crash or trip a sanitizer.  A
 * decoded report or quote must round-trip its fields from the documented
 * offsets and lengths.
 *
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-evidence
 *   ./tests/fuzz/fuzz-evidence -max_total_time=30 ../tests/fuzz/corpus/evidence
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_snp_expected se;
    struct igk_tdx_expected te;
    struct igk_verify_table t;
    struct igk_snp_report r;
    struct igk_tdx_quote q;
    struct igk_error err;

    memset(&se, 0, sizeof(se));
    memset(&te, 0, sizeof(te));
    memset(&t, 0, sizeof(t));
    if (igk_snp_report_parse(data, size, &r, &err) == 0) {
        if (r.version != igk_le32(data) || memcmp(r.measurement, data + 0x90, 48) ||
            memcmp(r.signature.s, data + 0x2E8, 72))
            abort();
        se.has_file = se.has_policy = se.has_host_data = se.has_report_data = true;
        se.has_vmpl = se.has_min_tcb = true;
        igk_snp_compare(&se, &r, igk_snp_report_product(&r), &t);
    }
    memset(&t, 0, sizeof(t));
    if (igk_tdx_quote_parse(data, size, &q, &err) == 0) {
        struct igk_tdx_quote_signature s;

        if (q.quote_len + q.trailing_len != size || q.signed_len + 4 > q.quote_len ||
            memcmp(q.mr_td, data + q.body_offset + 136, 48) ||
            memcmp(q.rtmr[3], data + q.body_offset + 472, 48))
            abort();
        te.has_rtmr = te.has_mr_td = te.has_report_data = true;
        igk_tdx_compare(&te, &q, &t);
        if (igk_tdx_quote_signature_parse(data, &q, &s, &err) == 0) {
            if (s.qe_report < data || s.qe_report + IGK_TDX_QE_REPORT_SIZE > data + q.quote_len ||
                s.pck_chain + s.pck_chain_len > data + q.quote_len)
                abort();
            memset(&t, 0, sizeof(t));
            igk_tdx_quote_authenticate(data, &q, NULL, &t, &err);
        }
    }
    return 0;
}
