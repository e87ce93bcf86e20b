/* SPDX-License-Identifier: MIT */
/*
 * igvmkit lint: check an IGVM file against one loader's rules (<igvmkit/lint.h>).
 * One line per finding, compiler style:
 *   FILE: header #N (TYPE): error: message [rule-id]
 * Exit 4 when there is any error; warnings alone exit 0.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "cli.h"
#include "json.h"
#include <igvmkit/lint.h>
#include "load-model.h"
#include "options.h"

enum { OPT_LOADER = 1, OPT_JSON };

static const struct cli_option options[] = {
    {"loader", 'l', "L", 0, OPT_LOADER, "qemu (default), cloud-hypervisor or openvmm"},
    {"json", 'j', NULL, 0, OPT_JSON, "print the findings as JSON"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "lint",
    .usage = "FILE [OPTIONS]",
    .about = "Check an IGVM file (or descriptor) against what a loader accepts: header types\n"
             "it has no handler for, platforms it cannot use, VMSA placement and fields\n"
             "(QEMU), platform order (cloud-hypervisor), ID blocks, and features it ignores.",
    .options = options,
    .exits = {"no errors (warnings alone)", NULL, NULL, "invalid file", "a finding of severity error",
              "", ""},
};

static int print_json(const char *path, const struct igk_igvm *igvm,
                      const struct igk_lint_report *r)
{
    struct igk_json j;
    char *text;
    size_t len;
    int rc;

    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "schema");
    igk_json_uint(&j, 1);
    igk_json_key(&j, "file");
    igk_json_string(&j, path);
    igk_json_key(&j, "loader");
    igk_json_string(&j, igk_lint_loader_name(r->loader));
    igk_json_key(&j, "errors");
    igk_json_uint(&j, r->n_errors);
    igk_json_key(&j, "warnings");
    igk_json_uint(&j, r->n_warnings);
    igk_json_key(&j, "findings");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct igk_lint_finding *f = &r->findings[i];

        igk_json_begin_object(&j);
        igk_json_key(&j, "severity");
        igk_json_string(&j, igk_lint_severity_name(f->severity));
        igk_json_key(&j, "index");
        if (f->header_index == IGK_NO_INDEX)
            igk_json_null(&j);
        else
            igk_json_uint(&j, f->header_index);
        igk_json_key(&j, "header_type");
        if (f->header_index == IGK_NO_INDEX)
            igk_json_null(&j);
        else
            igk_json_string(&j, igk_header_type_name(igvm->headers[f->header_index].type));
        igk_json_key(&j, "rule");
        igk_json_string(&j, f->rule);
        igk_json_key(&j, "message");
        igk_json_string(&j, f->message);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_end_object(&j);
    if (igk_json_finish(&j, &text, &len) < 0)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    rc = cli_write_stdout(text, len);
    free(text);
    return rc;
}

static int print_text(const char *path, const struct igk_igvm *igvm,
                      const struct igk_lint_report *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct igk_lint_finding *f = &r->findings[i];

        if (f->header_index == IGK_NO_INDEX)
            printf("%s: %s: %s [%s]\n", path, igk_lint_severity_name(f->severity), f->message,
                   f->rule);
        else
            printf("%s: header #%u (%s): %s: %s [%s]\n", path, f->header_index,
                   igk_header_type_name(igvm->headers[f->header_index].type),
                   igk_lint_severity_name(f->severity), f->message, f->rule);
    }
    printf("%s: %zu error%s, %zu warning%s for %s\n", path, r->n_errors,
           r->n_errors == 1 ? "" : "s", r->n_warnings, r->n_warnings == 1 ? "" : "s",
           igk_lint_loader_name(r->loader));
    return cli_write_stdout("", 0);
}

int verb_lint(int argc, char **argv)
{
    enum igk_lint_loader loader = IGK_LINT_QEMU;
    struct igk_lint_report report;
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    bool json = false;
    struct cli_parser p;
    const char *path;
    int c, r;

    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        switch (c) {
        case CLI_STOP:
            return p.status;
        case OPT_LOADER:
            if ((r = cli_parse_lint_loader("lint", "--loader", p.value, 7, &loader)) != 0)
                return r;
            break;
        case OPT_JSON:
            json = true;
            break;
        }
    }
    if ((r = cli_operands(&p, 1, 1, "FILE")) != 0)
        return r;
    path = p.operands[0];

    igk_error_clear(&err);
    r = cli_load_model(path, CLI_LOAD_DESCRIPTOR, &igvm, &err);
    if (r == 0)
        r = igk_lint(igvm, loader, &report, &err);
    if (r < 0) {
        igk_igvm_free(igvm);
        return cli_fail(&err);
    }
    r = json ? print_json(path, igvm, &report) : print_text(path, igvm, &report);
    if (r == IGK_EXIT_OK && report.n_errors)
        r = IGK_EXIT_MISMATCH;
    igk_lint_report_done(&report);
    igk_igvm_free(igvm);
    return r;
}
