/* SPDX-License-Identifier: MIT */
/*
 * Trustee RVPS "sample" message (docs/exports.md §2).  The sample extractor
 * base64-decodes "payload" and reads it as a JSON object of name -> list of
 * accepted values; the names are the ones the default CPU policy passes to
 * query_reference_value() (attestation-service ear_default_policy_cpu.rego).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "export-private.h"

static void name_values(struct igk_json *j, const char *name, const uint8_t *digest, size_t len)
{
    igk_json_key(j, name);
    igk_json_begin_array(j);
    igk_json_hex(j, digest, len);
    igk_json_end_array(j);
}

/* The payload object; returns how many names it holds. */
static unsigned write_payload(struct igk_json *j, const struct igk_export_input *in)
{
    unsigned n = 0;

    igk_json_begin_object(j);
    for (size_t i = 0; i < in->n_measurements; i++) {
        const struct igk_measurement *m = &in->measurements[i];
        if (m->platform == IGK_PLATFORM_SEV_SNP) {
            name_values(j, "snp_launch_measurement", m->digest, m->digest_len);
            n++;
        } else if (m->platform == IGK_PLATFORM_TDX) {
            name_values(j, "mr_td", m->digest, m->digest_len);
            n++;
        }
    }
    if (in->has_rtmr) {
        name_values(j, "rtmr_1", in->rtmr.rtmr1.value, IGK_RTMR_DIGEST_LEN);
        name_values(j, "rtmr_2", in->rtmr.rtmr2.value, IGK_RTMR_DIGEST_LEN);
        /* The policy also matches the kernel's and the command line's own
         * event digests in the UEFI event log. */
        if (in->rtmr.rtmr1.n_events > 0)
            name_values(j, "tdvfkernel", in->rtmr.rtmr1.events[0].digest, IGK_RTMR_DIGEST_LEN);
        if (in->rtmr.rtmr2.n_events > 0 &&
            !strcmp(in->rtmr.rtmr2.events[0].description, "kernel command line (UTF-16LE)"))
            name_values(j, "tdvfkernelparams", in->rtmr.rtmr2.events[0].digest,
                        IGK_RTMR_DIGEST_LEN);
        n += 2;
    }
    igk_json_end_object(j);
    return n;
}

int igk_export_rvps(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                    struct igk_error *err)
{
    struct igk_json payload, msg;
    char *payload_text = NULL, *b64 = NULL, *text = NULL;
    size_t payload_len, len;
    int r;

    igk_json_init(&payload, false);
    if (write_payload(&payload, in) == 0) {
        igk_json_discard(&payload);
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "no SEV-SNP or TDX measurement to export as RVPS reference values");
    }
    if (igk_json_finish(&payload, &payload_text, &payload_len) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "cannot build the RVPS payload");
    if (payload_len > 0 && payload_text[payload_len - 1] == '\n')
        payload_len--; /* the writer's final newline is not part of the payload */
    if (payload_len > (size_t)INT32_MAX / 2) {
        r = igk_error_set(err, IGK_E_INTERNAL, "RVPS payload too large");
        goto out;
    }
    b64 = malloc(4 * ((payload_len + 2) / 3) + 1);
    if (!b64) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    /* Standard alphabet with padding, no line breaks: what base64 STANDARD decodes. */
    EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)payload_text, (int)payload_len);

    igk_json_init(&msg, true);
    igk_json_begin_object(&msg);
    igk_json_key(&msg, "version");
    igk_json_string(&msg, "0.1.0");
    igk_json_key(&msg, "type");
    igk_json_string(&msg, "sample");
    igk_json_key(&msg, "payload");
    igk_json_string(&msg, b64);
    igk_json_end_object(&msg);
    if (igk_json_finish(&msg, &text, &len) < 0) {
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot build the RVPS message");
        goto out;
    }
    *ret_data = (uint8_t *)text;
    *ret_len = len;
    r = 0;
out:
    free(b64);
    free(payload_text);
    return r;
}
