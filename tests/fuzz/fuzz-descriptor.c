/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the descriptor loader: any byte string must load or
 * fail with IGK_E_INVALID carrying a line and column, and a loaded spec must
 * satisfy the invariants the packer relies on.  Input files are not opened.
 */
#include <stdint.h>
#include <stdlib.h>

#include <igvmkit/descriptor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_spec *spec = NULL;
    struct igk_error err;
    int r;

    igk_error_clear(&err);
    r = igk_spec_load_buffer((const char *)data, size, "fuzz.yaml", "fuzz", false, &spec, &err);
    if (r == 0) {
        if (spec->version != 1 || spec->vcpus < 1 || spec->vcpus > 512 || !spec->platforms)
            abort();
        if (spec->memory % 4096 || spec->memory < (16u << 20))
            abort();
        if (spec->firmware_type != IGK_FIRMWARE_NONE && !spec->firmware.present)
            abort();
        if (spec->firmware_type == IGK_FIRMWARE_NONE && !spec->kernel.present)
            abort();
        igk_spec_free(spec);
    } else if (r == IGK_E_INVALID && (!err.line || !err.column)) {
        abort();
    } else if (r != IGK_E_INVALID && r != IGK_E_INTERNAL) {
        abort();
    }
    return 0;
}
