/* SPDX-License-Identifier: MIT */
/*
 * The measurement document (docs/exports.md §1: file digests, one entry per
 * platform, lower-case hex, fixed key order) and the in-toto Statement v1
 * that carries it as its predicate (docs/exports.md §4).  The document has
 * the keys of 'igvmkit measure --json' (cli/measure-report.c), so both print
 * the same bytes for the same file; it adds "tdx_rtmr" when RTMRs were
 * predicted.  (The two writers are duplicates until the report calls
 * igk_export_write_document().)
 */
#include <stdlib.h>
#include <string.h>

#include "export-private.h"

/* Policy bits decoded (SNP: ABI 15.8 policy; TDX: IGVM TDX policy bits). */
static void write_policy_fields(struct igk_json *j, enum igk_platform_type p, uint64_t policy)
{
    igk_json_key(j, "policy_fields");
    igk_json_begin_object(j);
    if (p == IGK_PLATFORM_SEV_SNP) {
        igk_json_key(j, "abi_minor");
        igk_json_uint(j, policy & 0xff);
        igk_json_key(j, "abi_major");
        igk_json_uint(j, (policy >> 8) & 0xff);
        igk_json_key(j, "smt");
        igk_json_bool(j, (policy >> 16) & 1);
        igk_json_key(j, "migrate_ma");
        igk_json_bool(j, (policy >> 18) & 1);
        igk_json_key(j, "debug");
        igk_json_bool(j, (policy >> 19) & 1);
        igk_json_key(j, "single_socket");
        igk_json_bool(j, (policy >> 20) & 1);
    } else if (p == IGK_PLATFORM_TDX) {
        igk_json_key(j, "debug");
        igk_json_bool(j, policy & 1);
        igk_json_key(j, "sept_ve_disable");
        igk_json_bool(j, (policy >> 1) & 1);
    }
    igk_json_end_object(j);
}

static void bool_or_null(struct igk_json *j, const char *key, bool known, bool value)
{
    igk_json_key(j, key);
    if (known)
        igk_json_bool(j, value);
    else
        igk_json_null(j);
}

/* Same keys and order as 'igvmkit measure --json' (cli/measure-report.c). */
static void write_measurement(struct igk_json *j, const struct igk_measurement *m)
{
    bool present = m->idblock != IGK_IDBLOCK_ABSENT;

    igk_json_begin_object(j);
    igk_json_key(j, "name");
    igk_json_string(j, igk_platform_name(m->platform));
    igk_json_key(j, "digest");
    igk_json_hex(j, m->digest, m->digest_len);
    igk_json_key(j, "algorithm");
    igk_json_string(j, m->algorithm);
    igk_json_key(j, "loader");
    igk_json_string(j, igk_loader_name(m->loader));
    igk_json_key(j, "vcpus");
    igk_json_uint(j, m->vcpus);
    igk_json_key(j, "vmsa_count");
    igk_json_uint(j, m->vmsa_count);
    igk_json_key(j, "vcpus_replicated");
    igk_json_bool(j, m->vcpus_replicated);
    /* Only when the chain started from a published firmware digest (firmware.digest). */
    if (m->has_firmware_digest) {
        igk_json_key(j, "firmware_digest");
        igk_json_hex(j, m->firmware_digest, sizeof(m->firmware_digest));
    }
    igk_json_key(j, "policy");
    if (m->has_policy) {
        igk_json_hex_u64(j, m->policy);
        write_policy_fields(j, m->platform, m->policy);
    } else {
        igk_json_null(j);
        igk_json_key(j, "policy_fields");
        igk_json_null(j);
    }
    igk_json_key(j, "id_block");
    igk_json_begin_object(j);
    igk_json_key(j, "present");
    igk_json_bool(j, present);
    bool_or_null(j, "ld_match", present, m->idblock_ld_match);
    bool_or_null(j, "id_signature", present, m->idblock_id_sig_ok);
    bool_or_null(j, "author_signature", present && m->idblock_author_present,
                 m->idblock_author_sig_ok);
    igk_json_end_object(j);
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
    /* Version of this document's layout: raised when a key changes meaning or goes away. */
    igk_json_key(j, "schema");
    igk_json_uint(j, 1);
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
        /* TDX run-time registers for an OVMF direct boot (<igvmkit/measure.h>). */
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
    if (in->n_launch) {
        /* The commands that launch the file, as `igvmkit launch --json` lists them. */
        igk_json_key(j, "launch");
        igk_json_begin_array(j);
        for (size_t i = 0; i < in->n_launch && i < IGK_PLATFORM_MAX; i++) {
            const struct igk_export_launch *l = &in->launch[i];

            igk_json_begin_object(j);
            igk_json_key(j, "loader");
            igk_json_string(j, l->loader);
            igk_json_key(j, "platform");
            igk_json_string(j, l->platform);
            igk_json_key(j, "from_igvm");
            igk_json_bool(j, l->from_igvm);
            igk_json_key(j, "argv");
            igk_json_begin_array(j);
            for (size_t k = 0; k < l->argc && k < IGK_EXPORT_MAX_LAUNCH_ARGS; k++)
                igk_json_string(j, l->argv[k]);
            igk_json_end_array(j);
            igk_json_key(j, "notes");
            igk_json_begin_array(j);
            for (size_t k = 0; k < l->n_notes && k < IGK_EXPORT_MAX_LAUNCH_NOTES; k++)
                igk_json_string(j, l->notes[k]);
            igk_json_end_array(j);
            igk_json_end_object(j);
        }
        igk_json_end_array(j);
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
    igk_json_string(&j, in->subject);
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
