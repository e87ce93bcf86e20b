/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the loader lint (lint/lint*.c) on every model the
 * IGVM reader accepts: the rules index headers, VMSA bytes and ID block
 * bodies of arbitrary files, for each loader.  Every finding must name a
 * header that exists.
 *
 *   ../configure CC=clang --enable-fuzzing --enable-asan --enable-ubsan
 *   make tests/fuzz/fuzz-lint
 *   ./tests/fuzz/fuzz-lint -max_total_time=30 ../tests/fuzz/corpus/lint
 */
#include <stdint.h>
#include <stdlib.h>

#include <igvmkit/igvm.h>

#include <igvmkit/lint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct igk_read_limits limits;
    struct igk_lint_report r;
    struct igk_igvm *m = NULL;
    struct igk_error err;

    igk_read_limits_default(&limits);
    limits.max_headers = 1 << 16;
    if (igk_igvm_read_buffer(data, size, &limits, &m, &err) < 0)
        return 0;
    for (int l = 0; l < IGK_LINT_LOADER_MAX; l++) {
        if (igk_lint(m, (enum igk_lint_loader)l, &r, &err) < 0)
            abort();
        for (size_t i = 0; i < r.n_findings; i++)
            if (r.findings[i].header_index != IGK_NO_INDEX &&
                r.findings[i].header_index >= m->n_headers)
                abort();
        igk_lint_report_done(&r);
    }
    igk_igvm_free(m);
    return 0;
}
