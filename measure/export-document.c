/* SPDX-License-Identifier: MIT */
/*
 * The measurement document (ecosystem.md §2.7: file digests, one entry per
 * platform, lower-case hex, fixed key order) and the in-toto Statement v1
 * that carries it as its predicate (ecosystem.md §2.4).
 */
#include <stdlib.h>
#include <string.h>

#include "export-private.h"

static const char *idblock_status_name(enum igk_idblock_status status)
{
    switch (status) {
    case IGK_IDBLOCK_ABSENT:
        return "absent";
    case IGK_IDBLOCK_OK:
        return "ok";
    case IGK_IDBLOCK_LD_MISMATCH:
        return "ld-mismatch";
    case IGK_IDBLOCK_BAD_SIGNATURE:
        return "bad-signature";
    }
    return "unknown";
}

static void write_measurement(struct igk_json *j, const struct igk_measurement *m)
{
    igk_json_begin_object(j);
    igk_json_key(j, "platform");
    igk_json_string(j, igk_platform_name(m->platform));
    igk_json_key(j, "loader");
    igk_json_string(j, igk_loader_name(m->loader));
    igk_json_key(j, "algorithm");
    igk_json_string(j, m->algorithm);
    igk_json_key(j, "digest");
    igk_json_hex(j, m->digest, m->digest_len);
    if (m->platform == IGK_PLATFORM_SEV_SNP || m->platform == IGK_PLATFORM_SEV_ES) {
        igk_json_key(j, "vcpus");
        igk_json_uint(j, m->vcpus);
        igk_json_key(j, "vmsa_count");
        igk_json_uint(j, m->vmsa_count);
    }
    if (m->has_policy) {
        igk_json_key(j, "policy");
        igk_json_hex_u64(j, m->policy);
    }
    if (m->platform == IGK_PLATFORM_SEV_SNP) {
        igk_json_key(j, "id_block");
        igk_json_string(j, idblock_status_name(m->idblock));
    }
    igk_json_end_object(j);
}

static void write_rtmr_log(struct igk_json *j, const struct igk_rtmr_log *log)
{
    igk_json_begin_object(j);
    igk_json_key(j, "value");
    igk_json_hex(j, log->value, IGK_RTMR_DIGEST_LEN);
    igk_json_key(j, "events");
    igk_json_begin_array(j);
    for (unsigned i = 0; i < log->n_events; i++) {
        igk_json_begin_object(j);
        igk_json_key(j, "description");
        igk_json_string(j, log->events[i].description);
        igk_json_key(j, "digest");
        igk_json_hex(j, log->events[i].digest, IGK_RTMR_DIGEST_LEN);
        igk_json_end_object(j);
    }
    igk_json_end_array(j);
    igk_json_end_object(j);
}

void igk_export_write_document(struct igk_json *j, const struct igk_export_input *in)
{
    igk_json_begin_object(j);
    igk_json_key(j, "file");
    igk_json_string(j, in->name);
    igk_json_key(j, "size");
    igk_json_uint(j, in->file_size);
    igk_json_key(j, "sha256");
    igk_json_hex(j, in->sha256, sizeof(in->sha256));
    igk_json_key(j, "sha384");
    igk_json_hex(j, in->sha384, sizeof(in->sha384));
    igk_json_key(j, "measurements");
    igk_json_begin_array(j);
    for (size_t i = 0; i < in->n_measurements; i++)
        write_measurement(j, &in->measurements[i]);
    igk_json_end_array(j);
    if (in->has_rtmr) {
        /* TDX run-time registers for an OVMF direct boot (<igvmkit/rtmr.h>). */
        igk_json_key(j, "tdx_rtmr");
        igk_json_begin_object(j);
        igk_json_key(j, "memory");
        igk_json_uint(j, in->rtmr.memory);
        igk_json_key(j, "rtmr1");
        write_rtmr_log(j, &in->rtmr.rtmr1);
        igk_json_key(j, "rtmr2");
        write_rtmr_log(j, &in->rtmr.rtmr2);
        igk_json_end_object(j);
    }
    igk_json_end_object(j);
}

static int finish(struct igk_json *j, uint8_t **ret_data, size_t *ret_len, struct igk_error *err)
{
    char *text;
    size_t len;

    if (igk_json_finish(j, &text, &len) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "cannot build the JSON document");
    *ret_data = (uint8_t *)text;
    *ret_len = len;
    return 0;
}

int igk_export_json(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                    struct igk_error *err)
{
    struct igk_json j;

    igk_json_init(&j, true);
    igk_export_write_document(&j, in);
    return finish(&j, ret_data, ret_len, err);
}

int igk_export_intoto(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                      struct igk_error *err)
{
    struct igk_json j;

    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "_type");
    igk_json_string(&j, "https://in-toto.io/Statement/v1");
    igk_json_key(&j, "subject");
    igk_json_begin_array(&j);
    igk_json_begin_object(&j);
    igk_json_key(&j, "name");
    igk_json_string(&j, in->name);
    igk_json_key(&j, "digest");
    igk_json_begin_object(&j);
    igk_json_key(&j, "sha256");
    igk_json_hex(&j, in->sha256, sizeof(in->sha256));
    igk_json_key(&j, "sha384");
    igk_json_hex(&j, in->sha384, sizeof(in->sha384));
    igk_json_end_object(&j);
    igk_json_end_object(&j);
    igk_json_end_array(&j);
    igk_json_key(&j, "predicateType");
    igk_json_string(&j, IGK_EXPORT_PREDICATE_TYPE);
    igk_json_key(&j, "predicate");
    igk_export_write_document(&j, in);
    igk_json_end_object(&j);
    return finish(&j, ret_data, ret_len, err);
}
