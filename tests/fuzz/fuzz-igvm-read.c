/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IGVM reader (igvm/reader.c, check.c, codec.c),
 * with the writer, the inspect dump and the memory image on what it accepts.
 * Properties: anything the reader accepts serializes, reads back, and
 * serializes again to the same bytes (the writer is a pure function of the
 * model); the lean reader gives the same verdict, message, header number and
 * offset, and its cursor gives back every header of the full model; no input
 * may crash, leak or trip a sanitizer.
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
#include <stdbool.h>
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

/*
 * The lean read of data must agree with the full one (r, m, err); aborts (a
 * finding) otherwise.
 */
static void check_lean(const uint8_t *data, size_t size, const struct igk_read_limits *limits,
                       int r, const struct igk_igvm *m, const struct igk_error *err)
{
    struct igk_header_cursor cursor = {0};
    struct igk_header scratch;
    const struct igk_header *h;
    struct igk_igvm *lean = NULL;
    struct igk_error lean_err;
    size_t number, n = 0;

    if (igk_igvm_read_buffer_lean(data, size, limits, &lean, &lean_err) != r)
        abort();
    if (r < 0) {
        if (strcmp(err->message, lean_err.message) || err->header_index != lean_err.header_index ||
            err->offset != lean_err.offset)
            abort();
        return;
    }
    while ((h = igk_igvm_next_header(lean, &cursor, &scratch, &number))) {
        const struct igk_header *want;
        bool same;

        if (number != n || n >= m->n_headers)
            abort();
        want = &m->headers[n++];
        /* Bodies kept out of line live in each model's own storage. */
        if (h->type == IGK_VHT_PAGE_DATA)
            same = !memcmp(h, want, sizeof(*h));
        else
            same = h->type == want->type && h->file_offset == want->file_offset &&
                   h->data == want->data && h->data_size == want->data_size;
        if (!same)
            abort();
    }
    if (n != m->n_headers)
        abort();
    igk_igvm_free(lean);
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
    int r;

    igk_read_limits_default(&limits);
    limits.max_headers = 1 << 16; /* keep single runs fast */
    r = igk_igvm_read_buffer(data, size, &limits, &m, &err);
    check_lean(data, size, &limits, r, m, &err);
    if (r < 0)
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
