/* SPDX-License-Identifier: MIT */
/*
 * TDX evidence against expected values: the quote's registers and
 * configuration fields, and an event log against the quote and against
 * the RTMR1/RTMR2 events a direct-boot prediction expects (see
 * <igvmkit/attest.h>).
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/attest.h>
#include "util.h"

void igk_tdx_compare(const struct igk_tdx_expected *e, const struct igk_tdx_quote *q,
                     struct igk_verify_table *t)
{
    bool debug = q->td_attributes & IGK_TDX_TD_ATTRIBUTES_DEBUG;

    if (e->has_mr_td)
        igk_verify_add_bytes(t, "MRTD", e->mr_td, q->mr_td, 48);
    if (e->has_rtmr) {
        igk_verify_add_bytes(t, "RTMR1", e->rtmr1, q->rtmr[1], 48);
        igk_verify_add_bytes(t, "RTMR2", e->rtmr2, q->rtmr[2], 48);
    }
    /* A debug TD's memory and registers are open to the host: only a file
     * whose TDX policy allows debugging (bit 0) may produce one. */
    if (e->has_policy && (e->policy & 1))
        igk_verify_add_text(t, "TD_DEBUG", "allowed (file policy)", debug ? "on" : "off", true);
    else if (e->has_mr_td)
        igk_verify_add_text(t, "TD_DEBUG", "off", debug ? "on (TD_ATTRIBUTES bit 0)" : "off",
                            !debug);
    else
        igk_verify_row_inform(
            t, igk_verify_add_text(t, "TD_DEBUG", "(shown)",
                                   debug ? "on: a debug TD, the host can read its memory" : "off",
                                   true));
    if (e->has_mr_config_id)
        igk_verify_add_bytes(t, "MRCONFIGID", e->mr_config_id, q->mr_config_id, 48);
    if (e->has_mr_owner)
        igk_verify_add_bytes(t, "MROWNER", e->mr_owner, q->mr_owner, 48);
    if (e->has_mr_owner_config)
        igk_verify_add_bytes(t, "MROWNERCONFIG", e->mr_owner_config, q->mr_owner_config, 48);
    if (e->has_report_data)
        igk_verify_add_bytes(t, "REPORTDATA", e->report_data, q->report_data, 64);
}

static void event_label(const struct igk_event *ev, size_t index, char *out, size_t size)
{
    char data[80];
    const char *name = igk_event_type_name(ev->type);

    snprintf(out, size, "#%zu %s %s", index, name ? name : "EV_?",
             igk_event_describe(ev, data, sizeof(data)));
}

/* Logged events of register rtmr (0..3), in order, against the predicted ones. */
static void compare_events(const struct igk_tdx_expected *e, const struct igk_event_log *log,
                           unsigned rtmr, const struct igk_rtmr_log *pred,
                           struct igk_verify_table *t)
{
    static const char *const fields[] = {"RTMR0 events", "RTMR1 events", "RTMR2 events",
                                         "RTMR3 events"};
    char expected[132], actual[132];
    size_t k = 0, index = 0;

    for (size_t i = 0; i < log->n_events; i++) {
        const struct igk_event *ev = &log->events[i];
        if (ev->mr_index != rtmr + 1)
            continue;
        index++;
        if (k == pred->n_events) {
            snprintf(expected, sizeof(expected), "%u events", pred->n_events);
            event_label(ev, i, actual, sizeof(actual));
            igk_verify_add_text(t, fields[rtmr], expected, actual, false);
            return;
        }
        if (memcmp(ev->sha384, pred->events[k].digest, 48)) {
            const char *what = pred->events[k].description;
            char hex[97];

            igk_hex_encode(pred->events[k].digest, 48, hex);
            if (e->measured_cmdline && strstr(what, "command line"))
                snprintf(expected, sizeof(expected), "event %zu %s '%s'", index, what,
                         e->measured_cmdline);
            else
                snprintf(expected, sizeof(expected), "event %zu %s %.16s..", index, what, hex);
            igk_hex_encode(ev->sha384, 48, hex);
            char label[100];
            event_label(ev, i, label, sizeof(label));
            snprintf(actual, sizeof(actual), "differs: %.16s.. %s", hex, label);
            igk_verify_add_text(t, fields[rtmr], expected, actual, false);
            return;
        }
        k++;
    }
    snprintf(expected, sizeof(expected), "%u events as predicted", pred->n_events);
    if (k < pred->n_events) {
        snprintf(actual, sizeof(actual), "event %zu %s missing (log has %zu)", k + 1,
                 pred->events[k].description, index);
        igk_verify_add_text(t, fields[rtmr], expected, actual, false);
        return;
    }
    snprintf(actual, sizeof(actual), "%zu events, all as predicted", index);
    igk_verify_add_text(t, fields[rtmr], expected, actual, true);
}

void igk_tdx_compare_event_log(const struct igk_tdx_expected *e, const struct igk_event_log *log,
                               const struct igk_tdx_quote *q, struct igk_verify_table *t)
{
    static const char *const fields[] = {"RTMR0 (log)", "RTMR1 (log)", "RTMR2 (log)",
                                         "RTMR3 (log)"};

    for (unsigned i = 0; i < 4; i++) {
        char exp[132], act[132], hex[97];
        bool match = !memcmp(log->rtmr[i], q->rtmr[i], 48);

        igk_hex_encode(log->rtmr[i], 48, hex);
        snprintf(exp, sizeof(exp), "%s (%zu events replayed)", hex, log->rtmr_events[i]);
        igk_hex_encode(q->rtmr[i], 48, hex);
        snprintf(act, sizeof(act), "%s (quote)", hex);
        igk_verify_add_text(t, fields[i], exp, act, match);
    }
    if (e && e->prediction) {
        compare_events(e, log, 1, &e->prediction->rtmr1, t);
        compare_events(e, log, 2, &e->prediction->rtmr2, t);
    }
}
