/* SPDX-License-Identifier: MIT */
/*
 * Every public release function takes NULL and a zeroed, never-filled
 * object, as libigvmkit(3) promises ("Ownership"): callers can release on
 * every error path without tracking what was filled.  A crash fails the test.
 */
#include <string.h>

#include <igvmkit/attest.h>
#include <igvmkit/descriptor.h>
#include <igvmkit/igvm.h>
#include <igvmkit/lint.h>
#include <igvmkit/pack.h>

#include "tap.h"

int main(void)
{
    struct igk_lint_report report;
    struct igk_cert_list certs;
    struct igk_tdx_collateral collateral;
    struct igk_event_log log;
    struct igk_pack_result packed;

    igk_igvm_free(NULL);
    igk_spec_free(NULL);
    igk_pack_result_done(NULL);
    igk_memory_image_free(NULL);
    igk_lint_report_done(NULL);
    igk_cert_list_free(NULL);
    igk_tdx_collateral_free(NULL);
    igk_event_log_free(NULL);
    ok(1, "every release function takes NULL");

    memset(&report, 0, sizeof(report));
    memset(&certs, 0, sizeof(certs));
    memset(&collateral, 0, sizeof(collateral));
    memset(&log, 0, sizeof(log));
    memset(&packed, 0, sizeof(packed));
    igk_lint_report_done(&report);
    igk_cert_list_free(&certs);
    igk_tdx_collateral_free(&collateral);
    igk_event_log_free(&log);
    igk_pack_result_done(&packed);
    ok(1, "every release function takes a zeroed object");
    return tap_done();
}
