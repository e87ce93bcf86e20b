/* SPDX-License-Identifier: MIT */
/* Model loading for the verbs: see load-model.h. */
#include <string.h>

#include "load-model.h"

bool cli_is_descriptor(const char *path)
{
    size_t n = strlen(path);

    return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

int cli_load_model(const char *path, bool allow_descriptor, struct igk_igvm **ret_igvm,
                   struct igk_error *err)
{
    int r;

    (void)allow_descriptor; /* descriptors: wired up by the packer */
    r = igk_igvm_read_file(path, NULL, ret_igvm, err);
    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}
