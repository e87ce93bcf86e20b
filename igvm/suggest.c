/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean" for verbs, options and descriptor keys (util.h).  The
 * distance is Damerau-Levenshtein restricted to adjacent transpositions
 * ("optimal string alignment"), which counts the usual typos -- one letter
 * dropped, added, changed, or two swapped -- as one edit each.
 */
#include <stdint.h>
#include <string.h>

#include "util.h"

/* Names longer than this are never suggested: they are not typed by hand. */
#define IGK_SUGGEST_MAX_LEN 64

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t igk_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    /* Three rows of the dynamic-programming table: i-2, i-1 and i. */
    size_t rows[3][IGK_SUGGEST_MAX_LEN + 1];

    if (la > IGK_SUGGEST_MAX_LEN || lb > IGK_SUGGEST_MAX_LEN)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        /* Row i lives in rows[i % 3], so row i-2 is rows[(i + 1) % 3]. */
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3], *two_up = rows[(i + 1) % 3];

        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;

            cur[j] = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                two_up[j - 2] + 1 < cur[j])
                cur[j] = two_up[j - 2] + 1;
        }
    }
    return rows[la % 3][lb];
}

const char *igk_closest_name(const char *word, const char *const *names, size_t count)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    size_t len = strlen(word);
    /* One edit for short words, two from five letters, three from nine. */
    size_t limit = len < 5 ? 1 : len < 9 ? 2 : 3;

    for (size_t i = 0; i < count; i++) {
        size_t d;

        if (!names[i])
            continue;
        d = igk_edit_distance(word, names[i]);
        if (d < best_distance) {
            best_distance = d;
            best = names[i];
        }
    }
    return best_distance <= limit ? best : NULL;
}
