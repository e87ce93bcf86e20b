/* SPDX-License-Identifier: MIT */
/* igvmkit inspect: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_inspect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'inspect' is not implemented yet");
}
