/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the certificate side of SEV-SNP verification
 * (attest/snp-chain.c): a VCEK file (DER, PEM, PEM bundle) comes from the
 * user or the host and is untrusted.  Every input is read as a certificate
 * file and, when it parses, used as the VCEK file and as the chain file to
 * authenticate a version 2 (Milan layout) and a version 3 Turin report.  No
 * crash, no sanitizer report, and never a positive verdict: the reports carry
 * no valid signature, so nothing the fuzzer writes can make them genuine.
 *
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-cert
 *   ./tests/fuzz/fuzz-cert -max_total_time=30 ../tests/fuzz/corpus/cert
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void authenticate(const uint8_t *report, const struct igk_cert_list *list, bool as_chain)
{
    static struct igk_verify_table t;
    struct igk_snp_trust_options o = {
        .vcek = list, .chain = as_chain ? list : NULL, .at = 1767225600};
    struct igk_snp_report r;
    struct igk_error err;

    memset(&t, 0, sizeof(t));
    if (igk_snp_report_parse(report, IGK_SNP_REPORT_SIZE, &r, &err) < 0)
        abort();
    if (igk_snp_authenticate(report, IGK_SNP_REPORT_SIZE, &r, &o, &t, &err) == 0 &&
        igk_verify_passed(&t))
        abort(); /* an unsigned report was called genuine */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t milan[IGK_SNP_REPORT_SIZE], turin[IGK_SNP_REPORT_SIZE];
    struct igk_cert_list list;
    struct igk_error err;

    igk_put_le32(milan, 2);
    igk_put_le32(milan + 0x34, 1);
    igk_put_le32(turin, 3);
    igk_put_le32(turin + 0x34, 1);
    turin[0x188] = 0x1A; /* CPUID family: Turin */
    turin[0x189] = 0x02;
    if (igk_cert_list_parse(data, size, &list, &err) < 0)
        return 0;
    if (list.n == 0 || list.n > IGK_CERT_LIST_MAX)
        abort();
    authenticate(milan, &list, false);
    authenticate(turin, &list, true);
    igk_cert_list_free(&list);
    return 0;
}
