/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the bzImage setup-header parser: any byte string must
 * parse or fail cleanly, and a successful parse must describe a kernel that
 * lies inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "bzimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_bzimage bz;
    struct igk_error err;

    if (igk_bzimage_parse(data, size, &bz, &err) == 0) {
        if (bz.kernel < data || bz.kernel + bz.kernel_size != data + size || bz.kernel_size == 0)
            abort();
        if (bz.protocol < IGK_BZ_MIN_PROTOCOL || !(bz.xloadflags & IGK_BZ_XLF_KERNEL_64))
            abort();
    }
    return 0;
}
