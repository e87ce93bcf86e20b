/* SPDX-License-Identifier: MIT */
/* Placeholder until the measure module lands. */
#include "cli.h"
#include "measure-report.h"

int cli_measure_report(const struct igk_igvm *igvm, const char *name,
                       const struct cli_measure_request *request)
{
    (void)igvm;
    (void)request;
    return cli_error(IGK_EXIT_UNSUPPORTED, "%s: measurement is not implemented yet", name);
}
