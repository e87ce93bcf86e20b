/* SPDX-License-Identifier: MIT */
/* Model loading for the verbs: see load-model.h. */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/pack.h>

#include "load-model.h"
#include "util.h"

bool cli_is_descriptor(const char *path)
{
    size_t n = strlen(path);

    return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

int cli_pack_descriptor(const char *path, unsigned pack_flags, struct igk_spec **ret_spec,
                        struct igk_pack_result *ret_result, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    int r;

    r = igk_spec_load(path, &spec, err);
    if (r < 0)
        return r;
    r = igk_pack_ex(spec, pack_flags, ret_result, err);
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

int cli_load_model(const char *path, unsigned flags, struct igk_igvm **ret_igvm,
                   struct igk_error *err)
{
    int r;

    if ((flags & CLI_LOAD_DESCRIPTOR) && cli_is_descriptor(path)) {
        struct igk_pack_result result;
        struct igk_spec *spec = NULL;

        /* The model is only measured or inspected: no provenance digests. */
        r = cli_pack_descriptor(path, IGK_PACK_NO_INPUT_DIGESTS, &spec, &result, err);
        if (r < 0)
            return r;
        /* The result owns the model: take it over before releasing the rest. */
        *ret_igvm = result.igvm;
        result.igvm = NULL;
        igk_pack_result_done(&result);
        igk_spec_free(spec);
        return 0;
    }
    if (flags & CLI_LOAD_LEAN)
        r = igk_igvm_read_file_lean(path, NULL, ret_igvm, err);
    else
        r = igk_igvm_read_file(path, NULL, ret_igvm, err);
    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}

int cli_predict_descriptor_rtmr(const char *path, struct igk_rtmr_prediction *ret,
                                bool *ret_have, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    /* Mapped, not copied: a 1 GiB initrd costs no anonymous memory. */
    struct igk_mapped_file kernel = {.fd = -1}, initrd = {.fd = -1};
    int r;

    *ret_have = false;
    r = igk_spec_load(path, &spec, err);
    if (r < 0)
        return r;
    /* TDVF measures kernel, initrd and command line at run time (tdx-measure.md §5). */
    if (!(spec->platforms & (1u << IGK_PLATFORM_TDX)) || spec->firmware_type != IGK_FIRMWARE_OVMF ||
        !spec->kernel.present)
        goto out;
    r = igk_map_file(spec->kernel.open_path, &kernel, err);
    if (r >= 0 && spec->initrd.present)
        r = igk_map_file(spec->initrd.open_path, &initrd, err);
    if (r >= 0) {
        r = igk_tdx_predict_rtmr(kernel.data, kernel.size, initrd.data, initrd.size,
                                 spec->has_cmdline ? spec->cmdline : NULL, spec->memory, ret, err);
        if (r < 0)
            igk_error_set_path(err, spec->kernel.open_path);
        else
            *ret_have = true;
    }
out:
    igk_unmap_file(&kernel);
    igk_unmap_file(&initrd);
    igk_spec_free(spec);
    return r < 0 ? r : 0;
}
