/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for TD event logs (attest/eventlog*.c): the log comes
 * from the guest and is untrusted.  Every input goes through the parser, the
 * replay, every event's decoding, the comparison with a quote and a
 * prediction, and the CCEL table parser; nothing may crash or trip a
 * sanitizer, and a parsed log must be consistent with its bytes.
 *
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-eventlog
 *   ./tests/fuzz/fuzz-eventlog -max_total_time=30 ../tests/fuzz/corpus/eventlog
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_rtmr_prediction pred;
    struct igk_tdx_expected e;
    struct igk_verify_table t;
    struct igk_event_log log;
    struct igk_tdx_quote q;
    struct igk_error err;
    uint64_t laml, lasa;
    char desc[512];
    size_t total = 0;

    igk_ccel_table_parse(data, size, &laml, &lasa, &err);
    if (igk_event_log_parse(data, size, &log, &err) < 0)
        return 0;
    if (log.length > size)
        abort();
    for (size_t i = 0; i < log.n_events; i++) {
        const struct igk_event *ev = &log.events[i];
        if (ev->mr_index > 4 || ev->offset >= log.length || ev->data < data ||
            ev->data + ev->data_len > data + log.length ||
            igk_le32(data + ev->offset) != ev->mr_index)
            abort();
        if (strlen(igk_event_describe(ev, desc, sizeof(desc))) >= sizeof(desc))
            abort();
        igk_event_describe(ev, desc, 7); /* truncation at any size */
        igk_event_type_name(ev->type);
        if (ev->mr_index)
            total++;
    }
    if (total != log.rtmr_events[0] + log.rtmr_events[1] + log.rtmr_events[2] + log.rtmr_events[3])
        abort();
    memset(&q, 0, sizeof(q));
    memset(&e, 0, sizeof(e));
    memset(&t, 0, sizeof(t));
    memset(&pred, 0, sizeof(pred));
    pred.rtmr1.n_events = 2;
    pred.rtmr1.events[0].description = "kernel image";
    pred.rtmr1.events[1].description = "separator";
    pred.rtmr2.n_events = 1;
    pred.rtmr2.events[0].description = "kernel command line (UTF-16LE)";
    e.prediction = &pred;
    e.measured_cmdline = "console=ttyS0";
    igk_tdx_compare_event_log(&e, &log, &q, &t);
    igk_event_log_free(&log);
    return 0;
}
