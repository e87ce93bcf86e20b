/* SPDX-License-Identifier: MIT */
/* igvmkit verify: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'verify' is not implemented yet");
}
