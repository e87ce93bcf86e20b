/* SPDX-License-Identifier: MIT */
/* igvmkit explain: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_explain(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'explain' is not implemented yet");
}
