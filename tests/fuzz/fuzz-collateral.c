/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the signed PCS documents of TDX collateral
 * (attest/tdx-signed-json.c): tcbInfo.json and a QE identity come from a
 * directory the user names and are untrusted until Intel's signature over
 * their signed member verifies.  Every input is split as both kinds of
 * document; nothing may crash or trip a sanitizer, and a split that succeeds
 * must point inside the input at one whole JSON object.
 *
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-collateral
 *   ./tests/fuzz/fuzz-collateral -max_total_time=30 ../tests/fuzz/corpus/collateral
 */
#include <stdint.h>
#include <stdlib.h>

#include "tdx-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void split(const uint8_t *data, size_t size, const char *member)
{
    struct igk_tdx_signed_json sj;
    int r = igk_tdx_signed_json(data, size, member, &sj);

    if (r == IGK_TDX_SIGNED_MALFORMED)
        return;
    if (!sj.body || sj.body < data || sj.body_len < 2 || sj.body + sj.body_len > data + size ||
        sj.body[0] != '{' || sj.body[sj.body_len - 1] != '}')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    split(data, size, "tcbInfo");
    split(data, size, "enclaveIdentity");
    return 0;
}
