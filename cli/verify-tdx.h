/* SPDX-License-Identifier: MIT */
/*
 * The TDX side of 'igvmkit verify' (cli/verify-tdx.c): its options, and the
 * rows of a quote checked alone or against a file, a kernel and an event
 * log.  The checks themselves are library calls (<igvmkit/attest.h>).
 */
#ifndef IGK_CLI_VERIFY_TDX_H
#define IGK_CLI_VERIFY_TDX_H

#include <stdbool.h>
#include <stdint.h>

#include <igvmkit/attest.h>

struct cli_tdx_args {
    const char *event_log, *ccel_table, *collateral;
    bool no_signature;
    bool has_at;
    int64_t at;
    bool has_mr_config_id, has_mr_owner, has_mr_owner_config, has_report_data;
    uint8_t mr_config_id[48], mr_owner[48], mr_owner_config[48], report_data[64];
    /* Kept for the notes printed after the table. */
    struct igk_event_log log;
    uint8_t *log_buf;
    size_t trailing;
    bool have_log;
};

/* One TDX option of verify (name without "--"); 0 or a usage error printed. */
int cli_tdx_option(struct cli_tdx_args *a, const char *name, const char *value);
bool cli_tdx_args_given(const struct cli_tdx_args *a);
void cli_tdx_args_done(struct cli_tdx_args *a);

struct cli_tdx_request {
    const char *quote_path;
    const char *input;           /* FILE, or NULL for the quote alone */
    const struct igk_igvm *igvm; /* NULL with input                   */
    enum igk_loader loader;
    const char *kernel, *initrd, *cmdline;
    uint64_t memory;
    bool json;
};

/* Fills t with every TDX row; errors (malformed input) as values. */
int cli_verify_tdx(const struct cli_tdx_request *req, struct cli_tdx_args *a,
                   struct igk_verify_table *t, unsigned *version, struct igk_error *err);

/* After the table: RTMR3 events of the log (digests in full when wide). */
int cli_tdx_print_notes(const struct cli_tdx_args *a, bool wide);

/* The RTMR3 events as the JSON member "rtmr3_events" (nothing without a log). */
struct igk_json;
void cli_tdx_json_events(const struct cli_tdx_args *a, struct igk_json *j);

#endif /* IGK_CLI_VERIFY_TDX_H */
