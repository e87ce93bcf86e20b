/* SPDX-License-Identifier: MIT */
/* Model loading for the verbs: see load-model.h. */
#include <string.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/pack.h>

#include "load-model.h"

bool cli_is_descriptor(const char *path)
{
    size_t n = strlen(path);

    return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

int cli_pack_descriptor(const char *path, struct igk_spec **ret_spec,
                        struct igk_pack_result *ret_result, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    int r;

    r = igk_spec_load(path, &spec, err);
    if (r < 0)
        return r;
    r = igk_pack(spec, ret_result, err);
    if (r < 0) {
        /* Packer errors name the input file; fall back to the descriptor. */
        if (!err->path[0])
            igk_error_set_path(err, path);
        igk_spec_free(spec);
        return r;
    }
    *ret_spec = spec;
    return 0;
}

int cli_load_model(const char *path, bool allow_descriptor, struct igk_igvm **ret_igvm,
                   struct igk_error *err)
{
    int r;

    if (allow_descriptor && cli_is_descriptor(path)) {
        struct igk_pack_result result;
        struct igk_spec *spec = NULL;

        r = cli_pack_descriptor(path, &spec, &result, err);
        if (r < 0)
            return r;
        /* The result owns the model: take it over before releasing the rest. */
        *ret_igvm = result.igvm;
        result.igvm = NULL;
        igk_pack_result_done(&result);
        igk_spec_free(spec);
        return 0;
    }
    r = igk_igvm_read_file(path, NULL, ret_igvm, err);
    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}
