/* SPDX-License-Identifier: MIT */
/* igvmkit extract: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_extract(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'extract' is not implemented yet");
}
