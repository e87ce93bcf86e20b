/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the measurement walker and folds: any byte string the
 * reader accepts must measure (or fail cleanly) for every platform and loader
 * profile, the traced measurement must end in the same digest, and a lean
 * model of the same bytes must give the same digest or error.  The
 * input's CRC-32 is fixed up first so that mutations reach the walker instead
 * of stopping at the reader's checksum check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <igvmkit/measure.h>

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

struct last {
    uint8_t running[64];
    size_t len;
};

static int on_step(const struct igk_measure_step *st, void *user, struct igk_error *err)
{
    struct last *l = user;

    (void)err;
    memcpy(l->running, st->running, st->running_len);
    l->len = st->running_len;
    return 0;
}

/* Keeps each input fast: large parameter areas mean millions of steps. */
static bool small_enough(const struct igk_igvm *igvm)
{
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_PARAMETER_AREA && h->u.parameter_area.number_of_bytes > (1u << 20))
            return false;
        if (h->type == IGK_VHT_ERROR_RANGE && h->u.error_range.size_bytes > (1u << 20))
            return false;
    }
    return true;
}

/* Recomputes the fixed header's checksum (docs/igvm-format.md 2.2) in buf. */
static void fix_checksum(uint8_t *buf, size_t size)
{
    uint32_t vho, vhs, fixed;
    uLong crc;

    if (size < 24)
        return;
    fixed = (buf[4] | buf[5] << 8) >= 2 ? 32 : 24;
    vho = (uint32_t)buf[8] | (uint32_t)buf[9] << 8 | (uint32_t)buf[10] << 16 |
          (uint32_t)buf[11] << 24;
    vhs = (uint32_t)buf[12] | (uint32_t)buf[13] << 8 | (uint32_t)buf[14] << 16 |
          (uint32_t)buf[15] << 24;
    if (size < fixed || vho > size || vhs > size - vho)
        return;
    memset(buf + 20, 0, 4);
    crc = crc32(0L, buf, fixed);
    crc = crc32(crc, buf + vho, vhs);
    for (int i = 0; i < 4; i++)
        buf[20 + i] = (uint8_t)(crc >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    static const enum igk_platform_type platforms[] = {
        IGK_PLATFORM_SEV_SNP, IGK_PLATFORM_TDX, IGK_PLATFORM_SEV_ES, IGK_PLATFORM_VSM,
        IGK_PLATFORM_NATIVE,
    };
    struct igk_igvm *igvm = NULL, *lean = NULL;
    struct igk_error err;
    uint8_t *data = malloc(size ? size : 1);

    if (!data)
        return 0;
    memcpy(data, input, size);
    fix_checksum(data, size);
    if (igk_igvm_read_buffer(data, size, NULL, &igvm, &err) < 0) {
        free(data);
        return 0;
    }
    if (!small_enough(igvm)) {
        igk_igvm_free(igvm);
        free(data);
        return 0;
    }
    if (igk_igvm_read_buffer_lean(data, size, NULL, &lean, &err) < 0)
        abort(); /* the full reader accepted it */
    for (size_t p = 0; p < sizeof(platforms) / sizeof(platforms[0]); p++) {
        for (int l = 0; l < IGK_LOADER_MAX; l++) {
            struct igk_measure_options o = {.loader = (enum igk_loader)l, .vcpus = l ? 0 : 3};
            struct igk_measurement m, t, lm;
            struct last last = {.len = 0};
            struct igk_error full_err, lean_err;
            int r1, r2, r3;

            igk_error_clear(&full_err);
            igk_error_clear(&lean_err);
            r1 = igk_measure(igvm, platforms[p], &o, &m, &full_err);
            r2 = igk_measure_trace(igvm, platforms[p], &o, on_step, &last, &t, &err);
            /* A lean model (PAGE_DATA left in the file) measures the same. */
            r3 = igk_measure(lean, platforms[p], &o, &lm, &lean_err);

            if (r1 != r2 || r1 != r3)
                abort();
            if (r1 == 0 && (memcmp(m.digest, t.digest, m.digest_len) ||
                            memcmp(m.digest, lm.digest, m.digest_len) ||
                            (last.len && memcmp(last.running, m.digest, m.digest_len))))
                abort();
            if (r1 < 0 && (strcmp(full_err.message, lean_err.message) ||
                           full_err.header_index != lean_err.header_index))
                abort();
        }
    }
    igk_igvm_free(lean);
    igk_igvm_free(igvm);
    free(data);
    return 0;
}
