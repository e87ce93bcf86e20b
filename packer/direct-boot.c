/* SPDX-License-Identifier: MIT */
/*
 * Direct Linux boot (descriptor firmware type "none"): kernel, initrd and
 * command line laid out as measured pages.  Stub until the layout lands.
 */
#include "direct-boot.h"

int igk_pack_direct(const struct igk_spec *spec, struct igk_pack_result *ret,
                    struct igk_error *err)
{
    (void)spec;
    (void)ret;
    return igk_error_set(err, IGK_E_UNSUPPORTED, "direct boot (firmware type none) is not implemented yet");
}
