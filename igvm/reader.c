/* SPDX-License-Identifier: MIT */
/* IGVM reader: placeholder, replaced by the format layer. */
#include <igvmkit/igvm.h>

IGK_PUBLIC int igk_igvm_read_file(const char *path, const struct igk_read_limits *limits,
                                  struct igk_igvm **ret_igvm, struct igk_error *err)
{
    (void)path;
    (void)limits;
    *ret_igvm = NULL;
    return igk_error_set(err, IGK_E_UNSUPPORTED, "reader not implemented yet");
}
