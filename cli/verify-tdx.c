/* SPDX-License-Identifier: MIT */
/*
 * igvmkit verify --tdx-quote: options, and the order of the rows.  The
 * quote is authenticated first (PCK chain to the pinned root, QE report,
 * attestation key, collateral), then compared with what FILE predicts
 * (MRTD, RTMR1/RTMR2, TD_DEBUG against the file's TDX policy), the values
 * given on the command line, and an event log replayed against the quote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <igvmkit/measure.h>

#include "cli.h"
#include "json.h"
#include "load-model.h"
#include "util.h"
#include "verify-tdx.h"

/* RFC 3339 in UTC: 2023-06-15T00:00:00Z (or a date, 2023-06-15, midnight UTC). */
static bool parse_time(const char *s, int64_t *ret)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof(tm));
    end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (end && (!strcmp(end, "Z") || !strcmp(end, "z") || !strcmp(end, "+00:00"))) {
        *ret = (int64_t)timegm(&tm);
        return true;
    }
    memset(&tm, 0, sizeof(tm));
    end = strptime(s, "%Y-%m-%d", &tm);
    if (end && !*end) {
        *ret = (int64_t)timegm(&tm);
        return true;
    }
    return false;
}

/* Hex of up to n bytes, zero padded (REPORTDATA) or exactly n (MR*). */
static bool parse_hex(const char *s, uint8_t *out, size_t n, bool pad)
{
    size_t len;
    char buf[2 * 64 + 1];

    if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
        s += 2;
    len = strlen(s);
    if (len == 0 || len % 2 || len > 2 * n || (!pad && len != 2 * n))
        return false;
    memset(buf, '0', 2 * n);
    memcpy(buf, s, len);
    buf[2 * n] = 0;
    return igk_hex_decode(buf, out, n) == 0;
}

int cli_tdx_option(struct cli_tdx_args *a, const char *name, const char *v)
{
    if (!strcmp(name, "event-log")) {
        a->event_log = v;
    } else if (!strcmp(name, "ccel-table")) {
        a->ccel_table = v;
    } else if (!strcmp(name, "tdx-collateral")) {
        a->collateral = v;
    } else if (!strcmp(name, "no-signature")) {
        a->no_signature = true;
    } else if (!strcmp(name, "at")) {
        if (!parse_time(v, &a->at))
            return cli_usage("verify",
                             "--at: '%s' is not an RFC 3339 UTC time "
                             "(like 2023-06-15T00:00:00Z)",
                             v);
        a->has_at = true;
    } else if (!strcmp(name, "report-data")) {
        if (!parse_hex(v, a->report_data, 64, true))
            return cli_usage("verify",
                             "--report-data: expected up to 128 hex digits (64 "
                             "bytes, zero padded), got '%s'",
                             v);
        a->has_report_data = true;
    } else {
        uint8_t *out = !strcmp(name, "mrconfigid") ? a->mr_config_id
                       : !strcmp(name, "mrowner")  ? a->mr_owner
                                                   : a->mr_owner_config;
        if (!parse_hex(v, out, 48, false))
            return cli_usage("verify", "--%s: expected 96 hex digits (48 bytes), got '%s'", name,
                             v);
        if (out == a->mr_config_id)
            a->has_mr_config_id = true;
        else if (out == a->mr_owner)
            a->has_mr_owner = true;
        else
            a->has_mr_owner_config = true;
    }
    return 0;
}

bool cli_tdx_args_given(const struct cli_tdx_args *a)
{
    return a->event_log || a->ccel_table || a->collateral || a->no_signature || a->has_at ||
           a->has_mr_config_id || a->has_mr_owner || a->has_mr_owner_config || a->has_report_data;
}

void cli_tdx_args_done(struct cli_tdx_args *a)
{
    if (a->have_log)
        igk_event_log_free(&a->log);
    free(a->log_buf);
    a->log_buf = NULL;
    a->have_log = false;
}

static int read_input(const char *path, uint8_t **data, size_t *len, struct igk_error *err)
{
    int r = igk_read_file(path, data, len, err);

    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}

static int predict_from_kernel(const struct cli_tdx_request *req, struct igk_rtmr_prediction *p,
                               struct igk_error *err)
{
    uint8_t *kernel = NULL, *initrd = NULL;
    size_t klen = 0, ilen = 0;
    int r;

    r = read_input(req->kernel, &kernel, &klen, err);
    if (r == 0 && req->initrd)
        r = read_input(req->initrd, &initrd, &ilen, err);
    if (r == 0)
        r = igk_tdx_predict_rtmr(kernel, klen, initrd, ilen, req->cmdline, req->memory, p, err);
    free(kernel);
    free(initrd);
    return r;
}

/* The quote's own fields, shown when there is no file to compare with. */
static void show_fields(const struct igk_tdx_quote *q, struct igk_verify_table *t)
{
    static const char *const rtmr[] = {"RTMR0", "RTMR1", "RTMR2", "RTMR3"};
    char hex[129];

    igk_hex_encode(q->mr_td, 48, hex);
    igk_verify_add_text(t, "MRTD", "(reported)", hex, true);
    for (int i = 0; i < 4; i++) {
        igk_hex_encode(q->rtmr[i], 48, hex);
        igk_verify_add_text(t, rtmr[i], "(reported)", hex, true);
    }
    snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)q->td_attributes);
    igk_verify_add_text(t, "TD_ATTRIBUTES", "(reported)", hex, true);
    snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)q->xfam);
    igk_verify_add_text(t, "XFAM", "(reported)", hex, true);
    igk_hex_encode(q->mr_seam, 48, hex);
    igk_verify_add_text(t, "MRSEAM", "(reported)", hex, true);
    igk_hex_encode(q->tee_tcb_svn, 16, hex);
    igk_verify_add_text(t, "TEE_TCB_SVN", "(reported)", hex, true);
    if (q->body_type == 3) {
        igk_hex_encode(q->tee_tcb_svn2, 16, hex);
        igk_verify_add_text(t, "TEE_TCB_SVN2", "(reported)", hex, true);
        igk_hex_encode(q->mr_service_td, 48, hex);
        igk_verify_add_text(t, "MRSERVICETD", "(reported)", hex, true);
    }
}

int cli_verify_tdx(const struct cli_tdx_request *req, struct cli_tdx_args *a,
                   struct igk_verify_table *t, unsigned *version, struct igk_error *err)
{
    struct igk_tdx_auth_options auth = {
        .skip_signature = a->no_signature, .has_time = a->has_at, .time = a->at};
    struct igk_tdx_collateral coll;
    struct igk_rtmr_prediction pred;
    struct igk_tdx_expected e;
    struct igk_tdx_quote q;
    bool have_coll = false, have_pred = false;
    char *measured = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    int r;

    memset(&e, 0, sizeof(e));
    r = read_input(req->quote_path, &buf, &len, err);
    if (r < 0)
        return r;
    r = igk_tdx_quote_parse(buf, len, &q, err);
    if (r < 0) {
        igk_error_set_path(err, req->quote_path);
        goto out;
    }
    *version = q.version;
    a->trailing = q.trailing_len;

    /* Everything that can fail on input is read before any row is made. */
    if (a->collateral) {
        r = igk_tdx_collateral_load(a->collateral, &coll, err);
        if (r < 0)
            goto out;
        have_coll = true;
        auth.collateral = &coll;
    }
    if (a->event_log) {
        r = cli_load_event_log(a->event_log, a->ccel_table, &a->log_buf, &a->log, err);
        if (r < 0)
            goto out;
        a->have_log = true;
    }
    if (req->igvm) {
        struct igk_measure_options mo = {.loader = req->loader};
        struct igk_measurement m;

        r = igk_measure(req->igvm, IGK_PLATFORM_TDX, &mo, &m, err);
        if (r < 0)
            goto out;
        e.has_mr_td = true;
        memcpy(e.mr_td, m.digest, 48);
        e.has_policy = m.has_policy;
        e.policy = m.policy;
        if (req->kernel) {
            r = predict_from_kernel(req, &pred, err);
            if (r < 0)
                goto out;
            have_pred = true;
            measured = igk_tdx_measured_cmdline(req->cmdline, req->initrd != NULL);
        } else if (req->input && cli_is_descriptor(req->input)) {
            struct igk_spec *spec = NULL;

            r = cli_predict_descriptor_rtmr(req->input, &pred, &have_pred, err);
            if (r < 0)
                goto out;
            /* The command line text, to name it when its event differs. */
            if (have_pred && igk_spec_load(req->input, &spec, NULL) == 0) {
                measured = igk_tdx_measured_cmdline(spec->has_cmdline ? spec->cmdline : NULL,
                                                    spec->initrd.present);
                igk_spec_free(spec);
            }
        }
        if (have_pred) {
            e.has_rtmr = true;
            memcpy(e.rtmr1, pred.rtmr1.value, 48);
            memcpy(e.rtmr2, pred.rtmr2.value, 48);
            e.prediction = &pred;
            e.measured_cmdline = measured;
        }
    }
    e.has_mr_config_id = a->has_mr_config_id;
    memcpy(e.mr_config_id, a->mr_config_id, 48);
    e.has_mr_owner = a->has_mr_owner;
    memcpy(e.mr_owner, a->mr_owner, 48);
    e.has_mr_owner_config = a->has_mr_owner_config;
    memcpy(e.mr_owner_config, a->mr_owner_config, 48);
    e.has_report_data = a->has_report_data;
    memcpy(e.report_data, a->report_data, 64);

    /* Authenticity first: the rows read from the root down. */
    r = igk_tdx_quote_authenticate(buf, &q, &auth, t, err);
    if (r < 0) {
        igk_error_set_path(err, req->quote_path);
        goto out;
    }
    if (!req->igvm)
        show_fields(&q, t);
    igk_tdx_compare(&e, &q, t);
    if (a->have_log)
        igk_tdx_compare_event_log(&e, &a->log, &q, t);
    if (q.trailing_len) {
        char text[64];
        snprintf(text, sizeof(text), "%zu bytes after the quote, ignored", q.trailing_len);
        igk_verify_row_inform(t, igk_verify_add_text(t, "TRAILING_BYTES", "(not signed)", text,
                                                     true));
    }
    r = 0;
out:
    if (have_coll)
        igk_tdx_collateral_free(&coll);
    free(measured);
    free(buf);
    return r;
}

int cli_tdx_print_notes(const struct cli_tdx_args *a, bool wide)
{
    char desc[256], hex[97];
    size_t n = 0;

    if (!a->have_log)
        return IGK_EXIT_OK;
    for (size_t i = 0; i < a->log.n_events; i++)
        n += a->log.events[i].mr_index == 4;
    printf("RTMR3 events (runtime, for a policy to check): %zu\n", n);
    for (size_t i = 0; i < a->log.n_events; i++) {
        const struct igk_event *ev = &a->log.events[i];
        const char *name = igk_event_type_name(ev->type);

        if (ev->mr_index != 4)
            continue;
        igk_hex_encode(ev->sha384, 48, hex);
        igk_event_describe(ev, desc, sizeof(desc));
        if (wide) {
            printf("  #%zu %s %s %s\n", i, name ? name : "EV_?", hex, desc);
        } else {
            /* Within 100 columns: the digest's ends, the description cut to fit. */
            int used = printf("  #%zu %s %.16s..%.8s ", i, name ? name : "EV_?", hex, hex + 88);
            int room = 100 - used;

            if ((int)strlen(desc) <= room)
                printf("%s\n", desc);
            else
                printf("%.*s...\n", room > 3 ? room - 3 : 0, desc);
        }
    }
    return cli_write_stdout("", 0);
}

void cli_tdx_json_events(const struct cli_tdx_args *a, struct igk_json *j)
{
    char desc[256];

    if (!a->have_log)
        return;
    /* The same fields as an event of `igvmkit eventlog --json`. */
    igk_json_key(j, "rtmr3_events");
    igk_json_begin_array(j);
    for (size_t i = 0; i < a->log.n_events; i++) {
        const struct igk_event *ev = &a->log.events[i];
        const char *name = igk_event_type_name(ev->type);

        if (ev->mr_index != 4)
            continue;
        igk_json_begin_object(j);
        igk_json_key(j, "index");
        igk_json_uint(j, i);
        igk_json_key(j, "offset");
        igk_json_uint(j, ev->offset);
        igk_json_key(j, "mr_index");
        igk_json_uint(j, ev->mr_index);
        igk_json_key(j, "mr");
        igk_json_string(j, "RTMR3");
        igk_json_key(j, "type");
        igk_json_uint(j, ev->type);
        igk_json_key(j, "type_name");
        if (name)
            igk_json_string(j, name);
        else
            igk_json_null(j);
        igk_json_key(j, "sha384");
        igk_json_hex(j, ev->sha384, 48);
        igk_json_key(j, "data_size");
        igk_json_uint(j, ev->data_len);
        igk_json_key(j, "data");
        igk_json_string(j, igk_event_describe(ev, desc, sizeof(desc)));
        igk_json_end_object(j);
    }
    igk_json_end_array(j);
}
