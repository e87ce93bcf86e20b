/* SPDX-License-Identifier: MIT */
/* igvmkit lint: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_lint(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'lint' is not implemented yet");
}
