/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IGVM reader (igvm/reader.c, check.c, codec.c),
 * with the writer, the inspect dump and the memory image on what it accepts.
 * Property: anything the reader accepts serializes, reads back, and
 * serializes again to the same bytes (the writer is a pure function of the
 * model); no input may crash, leak or trip a sanitizer.
 *
 * Build (clang only):
 *   mkdir build-fuzz && cd build-fuzz
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-igvm-read
 * Short run (what .ci/run does, 30 s):
 *   cp -r ../tests/fuzz/corpus/igvm corpus
 *   ./tests/fuzz/fuzz-igvm-read -max_total_time=30 corpus
 * Longer run (an hour on all cores, larger inputs):
 *   ./tests/fuzz/fuzz-igvm-read -max_total_time=3600 -jobs=$(nproc) \
 *       -workers=$(nproc) -max_len=65536 corpus
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Serializes a model that must serialize; aborts (a finding) otherwise. */
static uint8_t *must_write(const struct igk_igvm *m, size_t *len)
{
    struct igk_error err;
    uint8_t *out = NULL;

    if (igk_igvm_write_buffer(m, &out, len, &err) < 0)
        abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_read_limits limits;
    struct igk_igvm *m = NULL, *back = NULL;
    struct igk_error err;
    struct igk_dump_options opt = {0};
    struct igk_memory_image *img = NULL;
    uint8_t *out1, *out2;
    size_t len1, len2;
    char *text = NULL;
    size_t text_len;

    igk_read_limits_default(&limits);
    limits.max_headers = 1 << 16; /* keep single runs fast */
    if (igk_igvm_read_buffer(data, size, &limits, &m, &err) < 0)
        return 0;

    out1 = must_write(m, &len1);
    if (igk_igvm_read_buffer(out1, len1, &limits, &back, &err) < 0)
        abort(); /* the writer produced a file the reader rejects */
    out2 = must_write(back, &len2);
    if (len1 != len2 || memcmp(out1, out2, len1))
        abort(); /* not deterministic */

    for (int json = 0; json < 2; json++) {
        opt.json = json;
        if (igk_igvm_dump(m, &opt, &text, &text_len, &err) == 0)
            free(text);
    }
    for (size_t i = 0; i < m->n_headers; i++) {
        if (m->headers[i].type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        if (igk_igvm_memory_image(m, m->headers[i].u.platform.compatibility_mask, &img,
                                  &err) == 0)
            igk_memory_image_free(img);
    }
    free(out1);
    free(out2);
    igk_igvm_free(back);
    igk_igvm_free(m);
    return 0;
}
