/* SPDX-License-Identifier: MIT */
/* igvmkit pack: placeholder until the verb lands (exit 5, unsupported). */
#include "cli.h"

int verb_pack(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error(IGK_EXIT_UNSUPPORTED, "'pack' is not implemented yet");
}
