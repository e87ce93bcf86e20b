/* SPDX-License-Identifier: MIT */
/* SEV-SNP attestation report: decoding and VCEK signature check (see <igvmkit/attest.h>). */
#include <string.h>

#include "idblock.h"
#include "le.h"
#include <igvmkit/attest.h>
#include "sign-private.h"

/* Field offsets in ATTESTATION_REPORT (AMD SEV-SNP firmware ABI, table "ATTESTATION_REPORT
 * Structure"; <igvmkit/attest.h>). */
#define R_VERSION 0x000
#define R_GUEST_SVN 0x004
#define R_POLICY 0x008
#define R_FAMILY_ID 0x010
#define R_IMAGE_ID 0x020
#define R_VMPL 0x030
#define R_SIGNATURE_ALGO 0x034
#define R_CURRENT_TCB 0x038
#define R_PLATFORM_INFO 0x040
#define R_FLAGS 0x048
#define R_REPORT_DATA 0x050
#define R_MEASUREMENT 0x090
#define R_HOST_DATA 0x0C0
#define R_ID_KEY_DIGEST 0x0E0
#define R_AUTHOR_KEY_DIGEST 0x110
#define R_REPORT_ID 0x140
#define R_REPORTED_TCB 0x180
#define R_CPUID_FAM_ID 0x188
#define R_CPUID_MOD_ID 0x189
#define R_CPUID_STEP 0x18A
#define R_CHIP_ID 0x1A0
#define R_COMMITTED_TCB 0x1E0
#define R_LAUNCH_TCB 0x1F0
#define R_SIGNATURE 0x2A0
_Static_assert(R_SIGNATURE == IGK_SNP_REPORT_SIGNED_SIZE, "signature follows the signed part");
_Static_assert(R_SIGNATURE + 0x200 == IGK_SNP_REPORT_SIZE, "0x200-byte signature ends the report");
_Static_assert(R_CHIP_ID + 64 <= R_SIGNATURE, "chip id before the signature");

int igk_snp_report_parse(const uint8_t *b, size_t len, struct igk_snp_report *r,
                         struct igk_error *err)
{
    memset(r, 0, sizeof(*r));
    if (len != IGK_SNP_REPORT_SIZE)
        return igk_error_set(err, IGK_E_INVALID,
                             "an SEV-SNP attestation report is %u (0x%x) bytes; this one has %zu",
                             IGK_SNP_REPORT_SIZE, IGK_SNP_REPORT_SIZE, len);
    r->version = igk_le32(b + R_VERSION);
    if (r->version < IGK_SNP_REPORT_MIN_VERSION || r->version > IGK_SNP_REPORT_MAX_VERSION)
        return igk_error_set(err, IGK_E_INVALID,
                             "unsupported SEV-SNP attestation report version %u (known: %u to %u)",
                             r->version, IGK_SNP_REPORT_MIN_VERSION, IGK_SNP_REPORT_MAX_VERSION);
    r->guest_svn = igk_le32(b + R_GUEST_SVN);
    r->policy = igk_le64(b + R_POLICY);
    memcpy(r->family_id, b + R_FAMILY_ID, 16);
    memcpy(r->image_id, b + R_IMAGE_ID, 16);
    r->vmpl = igk_le32(b + R_VMPL);
    r->signature_algo = igk_le32(b + R_SIGNATURE_ALGO);
    r->current_tcb = igk_le64(b + R_CURRENT_TCB);
    r->platform_info = igk_le64(b + R_PLATFORM_INFO);
    r->flags = igk_le32(b + R_FLAGS);
    r->signing_key = (r->flags >> 2) & 7;
    r->mask_chip_key = r->flags & 2;
    memcpy(r->report_data, b + R_REPORT_DATA, 64);
    memcpy(r->measurement, b + R_MEASUREMENT, 48);
    memcpy(r->host_data, b + R_HOST_DATA, 32);
    memcpy(r->id_key_digest, b + R_ID_KEY_DIGEST, 48);
    memcpy(r->author_key_digest, b + R_AUTHOR_KEY_DIGEST, 48);
    memcpy(r->report_id, b + R_REPORT_ID, 32);
    r->reported_tcb = igk_le64(b + R_REPORTED_TCB);
    if (r->version >= 3) { /* reserved (zero) before version 3 */
        r->cpuid_family = b[R_CPUID_FAM_ID];
        r->cpuid_model = b[R_CPUID_MOD_ID];
        r->cpuid_stepping = b[R_CPUID_STEP];
    }
    memcpy(r->chip_id, b + R_CHIP_ID, 64);
    r->committed_tcb = igk_le64(b + R_COMMITTED_TCB);
    r->launch_tcb = igk_le64(b + R_LAUNCH_TCB);
    memcpy(r->signature.r, b + R_SIGNATURE, IGK_SNP_ECC_FIELD);
    memcpy(r->signature.s, b + R_SIGNATURE + IGK_SNP_ECC_FIELD, IGK_SNP_ECC_FIELD);
    return 0;
}

int igk_snp_report_verify(const uint8_t *buf, size_t len, EVP_PKEY *key, struct igk_error *err)
{
    struct igk_snp_report r;
    int rc;

    rc = igk_snp_report_parse(buf, len, &r, err);
    if (rc < 0)
        return rc;
    if (r.signature_algo != IGK_SNP_ALGO_ECDSA_P384_SHA384)
        return igk_error_set(err, IGK_E_INVALID,
                             "report signature algorithm %u is not ECDSA P-384 with SHA-384 (1)",
                             r.signature_algo);
    rc = igk_idblock_verify_pkey(key, buf, IGK_SNP_REPORT_SIGNED_SIZE, &r.signature, err);
    if (rc == IGK_E_MISMATCH)
        igk_error_set(err, rc, "the report signature does not verify with the key");
    return rc;
}
