/* SPDX-License-Identifier: MIT */
/*
 * igvmkit eventlog: print a TD event log (the ACPI CCEL area) event by
 * event, with the RTMR0..3 values it replays to.  Exit 0, 3 for a
 * malformed log (one line naming the byte offset), 6 for I/O errors.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/attest.h>

#include "cli.h"
#include "json.h"
#include "options.h"
#include "util.h"

enum { OPT_CCEL = 1, OPT_JSON };

static const struct cli_option options[] = {
    {"ccel-table", 0, "T", 0, OPT_CCEL,
     "the guest's ACPI CCEL table: read only the log area length\n"
     "it states (LAML) from FILE"},
    {"json", 'j', NULL, 0, OPT_JSON, "print the events and registers as JSON"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "eventlog",
    .usage = "FILE [OPTIONS]",
    .about = "Decode a TD event log (TCG crypto-agile format, as in the ACPI CCEL area) and\n"
             "replay it into RTMR0..RTMR3.",
    .options = options,
    .exits = {"", NULL, NULL, "malformed event log or CCEL table", NULL, NULL, ""},
};

static const char *const mr_names[] = {"MRTD", "RTMR0", "RTMR1", "RTMR2", "RTMR3"};

int cli_load_event_log(const char *path, const char *ccel_table, uint8_t **ret_buf,
                       struct igk_event_log *log, struct igk_error *err)
{
    uint8_t *buf = NULL, *table = NULL;
    size_t len = 0, table_len = 0;
    int r;

    *ret_buf = NULL;
    if (ccel_table) {
        uint64_t laml = 0;

        r = igk_read_file(ccel_table, &table, &table_len, err);
        if (r == 0)
            r = igk_ccel_table_parse(table, table_len, &laml, NULL, err);
        free(table);
        if (r < 0) {
            igk_error_set_path(err, ccel_table);
            return r;
        }
        r = igk_read_file(path, &buf, &len, err);
        if (r == 0 && laml > len)
            r = igk_error_set(err, IGK_E_INVALID,
                              "the CCEL table states a log area of %llu bytes, the file has %zu",
                              (unsigned long long)laml, len);
        if (r < 0) {
            free(buf);
            igk_error_set_path(err, path);
            return r;
        }
        len = (size_t)laml;
    } else {
        r = igk_read_file(path, &buf, &len, err);
        if (r < 0) {
            igk_error_set_path(err, path);
            return r;
        }
    }
    r = igk_event_log_parse(buf, len, log, err);
    if (r < 0) {
        free(buf);
        igk_error_set_path(err, path);
        return r;
    }
    *ret_buf = buf;
    return 0;
}

static int print_json(const char *path, const struct igk_event_log *log)
{
    struct igk_json j;
    char *text, desc[1024];
    size_t len;
    int r;

    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "file");
    igk_json_string(&j, path);
    igk_json_key(&j, "length");
    igk_json_uint(&j, log->length);
    igk_json_key(&j, "algorithms");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < log->n_algs; i++) {
        igk_json_begin_object(&j);
        igk_json_key(&j, "id");
        igk_json_uint(&j, log->alg_ids[i]);
        igk_json_key(&j, "size");
        igk_json_uint(&j, log->alg_sizes[i]);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_key(&j, "events");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < log->n_events; i++) {
        const struct igk_event *ev = &log->events[i];
        const char *name = igk_event_type_name(ev->type);

        igk_json_begin_object(&j);
        igk_json_key(&j, "index");
        igk_json_uint(&j, i);
        igk_json_key(&j, "offset");
        igk_json_uint(&j, ev->offset);
        igk_json_key(&j, "mr_index");
        igk_json_uint(&j, ev->mr_index);
        igk_json_key(&j, "mr");
        igk_json_string(&j, mr_names[ev->mr_index]);
        igk_json_key(&j, "type");
        igk_json_uint(&j, ev->type);
        igk_json_key(&j, "type_name");
        if (name)
            igk_json_string(&j, name);
        else
            igk_json_null(&j);
        igk_json_key(&j, "sha384");
        igk_json_hex(&j, ev->sha384, 48);
        igk_json_key(&j, "data_size");
        igk_json_uint(&j, ev->data_len);
        igk_json_key(&j, "data");
        igk_json_string(&j, igk_event_describe(ev, desc, sizeof(desc)));
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_key(&j, "rtmr");
    igk_json_begin_array(&j);
    for (int i = 0; i < 4; i++) {
        igk_json_begin_object(&j);
        igk_json_key(&j, "register");
        igk_json_string(&j, mr_names[i + 1]);
        igk_json_key(&j, "events");
        igk_json_uint(&j, log->rtmr_events[i]);
        igk_json_key(&j, "value");
        igk_json_hex(&j, log->rtmr[i], 48);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_end_object(&j);
    if (igk_json_finish(&j, &text, &len) < 0)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    r = cli_write_stdout(text, len);
    free(text);
    return r;
}

static void print_text(const char *path, const struct igk_event_log *log)
{
    char desc[1024], hex[97];

    printf("%s: %zu events in %zu bytes\n", path, log->n_events, log->length);
    for (size_t i = 0; i < log->n_events; i++) {
        const struct igk_event *ev = &log->events[i];
        const char *name = igk_event_type_name(ev->type);

        igk_hex_encode(ev->sha384, 48, hex);
        if (name)
            printf("%3zu %-5s %s %s\n", i, mr_names[ev->mr_index], name, hex);
        else
            printf("%3zu %-5s 0x%08x %s\n", i, mr_names[ev->mr_index], ev->type, hex);
        printf("          %s\n", igk_event_describe(ev, desc, sizeof(desc)));
    }
    printf("\n");
    for (int i = 0; i < 4; i++) {
        igk_hex_encode(log->rtmr[i], 48, hex);
        printf("%s %s (%zu events)\n", mr_names[i + 1], hex, log->rtmr_events[i]);
    }
}

int verb_eventlog(int argc, char **argv)
{
    const char *ccel = NULL, *path;
    struct igk_event_log log;
    struct igk_error err;
    bool json = false;
    uint8_t *buf;
    struct cli_parser p;
    int c, r;

    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        switch (c) {
        case CLI_STOP:
            return p.status;
        case OPT_CCEL:
            ccel = p.value;
            break;
        case OPT_JSON:
            json = true;
            break;
        }
    }
    if (p.n_operands != 1)
        return cli_usage("eventlog", p.n_operands ? "too many arguments" : "no event log file");
    path = p.operands[0];
    igk_error_clear(&err);
    if (cli_load_event_log(path, ccel, &buf, &log, &err) < 0)
        return cli_fail(&err);
    if (json) {
        r = print_json(path, &log);
    } else {
        print_text(path, &log);
        r = cli_write_stdout("", 0);
    }
    igk_event_log_free(&log);
    free(buf);
    return r;
}
