/* SPDX-License-Identifier: MIT */
/* igvmkit measure: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_measure(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'measure' is not implemented yet");
}
