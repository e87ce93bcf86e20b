/* SPDX-License-Identifier: MIT */
/* igvmkit export: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'export' is not implemented yet");
}
