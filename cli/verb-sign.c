/* SPDX-License-Identifier: MIT */
/* igvmkit sign: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_sign(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'sign' is not implemented yet");
}
