/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the attestation evidence parsers (attest/report-*.c):
 * SEV-SNP reports and TDX quotes come from the guest or a network peer and
 * are untrusted.  Every input goes through both parsers and the comparison
 * tables; nothing may crash or trip a sanitizer.  A decoded report must
 * round-trip its fields from the documented offsets.
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
        if (memcmp(q.mr_td, data + 184, 48) || memcmp(q.rtmr[3], data + 520, 48))
            abort();
        te.has_rtmr = true;
        igk_tdx_compare(&te, &q, &t);
    }
    return 0;
}
