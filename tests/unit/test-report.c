/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the evidence decoders (attest/report-*.c): every field of
 * the SEV-SNP report and the TDX quote v4 read from its documented offset,
 * the VCEK signature over bytes 0..0x29F, size / version / TEE type
 * refusals with their messages, and the comparison table.
 */
#include <string.h>

#include <openssl/evp.h>

#include "idblock.h"
#include "le.h"
#include <igvmkit/attest.h>
#include "sign-private.h"
#include "tap.h"

/* Fills n bytes at off with off-derived values, so any misplaced read shows. */
static void stamp(uint8_t *b, size_t off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[off + i] = (uint8_t)(off + 3 * i + 1);
}

static void test_snp_fields(void)
{
    static uint8_t b[0x4A0];
    struct igk_snp_report r;
    struct igk_error err;

    memset(b, 0, sizeof(b));
    igk_put_le32(b + 0x00, 3);
    igk_put_le32(b + 0x04, 0x11223344);
    igk_put_le64(b + 0x08, 0x30000);
    stamp(b, 0x10, 16);
    stamp(b, 0x20, 16);
    igk_put_le32(b + 0x30, 2);
    igk_put_le32(b + 0x34, 1);
    igk_put_le64(b + 0x38, 0x0102030405060708ull);
    stamp(b, 0x50, 64);
    stamp(b, 0x90, 48);
    stamp(b, 0xC0, 32);
    stamp(b, 0xE0, 48);
    stamp(b, 0x110, 48);
    stamp(b, 0x140, 32);
    igk_put_le64(b + 0x180, 0x1112131415161718ull);
    stamp(b, 0x1A0, 64);
    stamp(b, 0x2A0, 72);
    stamp(b, 0x2E8, 72);

    igk_error_clear(&err);
    is_int(igk_snp_report_parse(b, sizeof(b), &r, &err), 0, "SNP report v3 parses");
    ok(r.version == 3 && r.guest_svn == 0x11223344 && r.policy == 0x30000 && r.vmpl == 2 &&
           r.signature_algo == 1 && r.current_tcb == 0x0102030405060708ull &&
           r.reported_tcb == 0x1112131415161718ull,
       "integers at 0x00, 0x04, 0x08, 0x30, 0x34, 0x38, 0x180");
    ok(!memcmp(r.family_id, b + 0x10, 16) && !memcmp(r.image_id, b + 0x20, 16) &&
           !memcmp(r.report_data, b + 0x50, 64),
       "FAMILY_ID @0x10, IMAGE_ID @0x20, REPORT_DATA @0x50");
    ok(!memcmp(r.measurement, b + 0x90, 48) && !memcmp(r.host_data, b + 0xC0, 32) &&
           !memcmp(r.id_key_digest, b + 0xE0, 48) && !memcmp(r.author_key_digest, b + 0x110, 48),
       "MEASUREMENT @0x90, HOST_DATA @0xC0, ID_KEY_DIGEST @0xE0, AUTHOR_KEY_DIGEST @0x110");
    ok(!memcmp(r.report_id, b + 0x140, 32) && !memcmp(r.chip_id, b + 0x1A0, 64),
       "REPORT_ID @0x140, CHIP_ID @0x1A0");
    ok(!memcmp(r.signature.r, b + 0x2A0, 72) && !memcmp(r.signature.s, b + 0x2E8, 72),
       "signature r @0x2A0, s @0x2E8");

    is_int(igk_snp_report_parse(b, sizeof(b) - 1, &r, &err), IGK_E_INVALID, "0x49f bytes refused");
    is_str(err.message, "an SEV-SNP attestation report is 1184 (0x4a0) bytes; this one has 1183",
           "size message");
    for (uint32_t v = 0; v < 8; v++) {
        igk_put_le32(b, v);
        int rc = igk_snp_report_parse(b, sizeof(b), &r, &err);
        is_int(rc, v >= 2 && v <= 5 ? 0 : IGK_E_INVALID, "report version %u %s", v,
               v >= 2 && v <= 5 ? "accepted" : "refused");
    }
    igk_put_le32(b, 7);
    igk_snp_report_parse(b, sizeof(b), &r, &err);
    is_str(err.message, "unsupported SEV-SNP attestation report version 7 (known: 2 to 5)",
           "version message");
}

static void test_snp_signature(void)
{
    static uint8_t b[0x4A0];
    struct igk_snp_signature sig;
    struct igk_error err;
    EVP_PKEY *vcek = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");

    memset(b, 0, sizeof(b));
    igk_put_le32(b, 2);
    igk_put_le32(b + 0x34, 1);
    stamp(b, 0x90, 48);
    igk_idblock_sign(vcek, b, 0x2A0, &sig, &err);
    memcpy(b + 0x2A0, sig.r, 72);
    memcpy(b + 0x2E8, sig.s, 72);
    igk_error_clear(&err);
    is_int(igk_snp_report_verify(b, sizeof(b), vcek, &err), 0, "VCEK signature verifies");
    is_int(igk_snp_report_verify(b, sizeof(b), other, &err), IGK_E_MISMATCH,
           "another key does not verify");
    is_str(err.message, "the report signature does not verify with the key", "mismatch message");
    b[0x400] ^= 1; /* past the signature fields: not covered, still valid */
    is_int(igk_snp_report_verify(b, sizeof(b), vcek, &err), 0, "bytes after r and s are not signed");
    b[0x29F] ^= 1; /* last signed byte */
    is_int(igk_snp_report_verify(b, sizeof(b), vcek, &err), IGK_E_MISMATCH,
           "byte 0x29f is covered by the signature");
    b[0x29F] ^= 1;
    igk_put_le32(b + 0x34, 0);
    is_int(igk_snp_report_verify(b, sizeof(b), vcek, &err), IGK_E_INVALID,
           "signature algorithm 0 refused");
    EVP_PKEY_free(vcek);
    EVP_PKEY_free(other);
}

static void test_table(void)
{
    struct igk_snp_expected e;
    struct igk_snp_report r;
    struct igk_verify_table t;

    memset(&e, 0, sizeof(e));
    memset(&r, 0, sizeof(r));
    memset(&t, 0, sizeof(t));
    e.has_file = true;
    e.has_policy = true;
    e.policy = r.policy = 0x30000;
    e.guest_svn = 1;
    r.guest_svn = 2;
    e.measurement[0] = r.measurement[0] = 0xab;
    igk_snp_compare(&e, &r, IGK_AMD_MILAN, &t);
    is_int((long long)t.n_rows, 8, "8 rows without host data, report data, VMPL, minimum TCB");
    is_int((long long)t.n_mismatches, 1, "one mismatch");
    ok(!strcmp(t.rows[5].field, "GUEST_SVN") && !t.rows[5].match &&
           t.rows[5].status == IGK_VERIFY_MISMATCH && !strcmp(t.rows[5].expected, "1") &&
           !strcmp(t.rows[5].actual, "2"),
       "GUEST_SVN row: expected 1, actual 2, mismatch");
    ok(!strcmp(t.rows[2].field, "POLICY_DEBUG") && t.rows[2].match &&
           !strcmp(t.rows[2].expected, "disallowed"),
       "POLICY_DEBUG row: debugging disallowed, as expected");
    ok(!igk_verify_passed(&t), "a mismatch fails the verdict");
    ok(!strcmp(t.rows[1].expected, "0x30000") && t.rows[1].match, "POLICY row in hex");
    is_str(t.rows[0].expected,
           "ab0000000000000000000000000000000000000000000000000000000000000000000000000000000000"
           "000000000000",
           "MEASUREMENT row in lower-case hex");
}

int main(void)
{
    test_snp_fields();
    test_snp_signature();
    test_table();
    return tap_done();
}
