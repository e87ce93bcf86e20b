/* SPDX-License-Identifier: MIT */
/*
 * The rows of a verification (see <igvmkit/attest.h>): every check is a row
 * with a result, and the verdict is negative unless every row that bears on
 * authenticity or identity matched or was waived by name.  A table that
 * overflows fails closed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <igvmkit/attest.h>
#include "util.h"

static struct igk_verify_row *add_row(struct igk_verify_table *t, const char *field,
                                      enum igk_verify_status status)
{
    struct igk_verify_row *row;

    if (t->n_rows >= IGK_VERIFY_MAX_ROWS) {
        t->overflow = true;
        return NULL;
    }
    row = &t->rows[t->n_rows++];
    memset(row, 0, sizeof(*row));
    row->field = field;
    row->status = status;
    row->required = true;
    row->match = status == IGK_VERIFY_MATCH;
    if (status == IGK_VERIFY_MISMATCH)
        t->n_mismatches++;
    else if (status == IGK_VERIFY_NOT_CHECKED)
        t->n_unchecked++;
    return row;
}

const char *igk_verify_status_name(enum igk_verify_status status)
{
    switch (status) {
    case IGK_VERIFY_MATCH:
        return "match";
    case IGK_VERIFY_MISMATCH:
        return "mismatch";
    case IGK_VERIFY_NOT_CHECKED:
        return "not checked";
    }
    return "unknown";
}

static bool row_fails(const struct igk_verify_row *row)
{
    if (!row->required || row->status == IGK_VERIFY_MATCH)
        return false;
    return !(row->status == IGK_VERIFY_NOT_CHECKED && row->waived);
}

const struct igk_verify_row *igk_verify_first_failure(const struct igk_verify_table *t)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (row_fails(&t->rows[i]))
            return &t->rows[i];
    return NULL;
}

bool igk_verify_passed(const struct igk_verify_table *t)
{
    return !t->overflow && !igk_verify_first_failure(t);
}

struct igk_verify_row *igk_verify_add_bytes(struct igk_verify_table *t, const char *field,
                                            const uint8_t *expected, const uint8_t *actual,
                                            size_t len)
{
    bool same = !memcmp(expected, actual, len);
    struct igk_verify_row *row = add_row(t, field, same ? IGK_VERIFY_MATCH : IGK_VERIFY_MISMATCH);

    if (!row)
        return NULL;
    if (2 * len < sizeof(row->expected)) {
        igk_hex_encode(expected, len, row->expected);
        igk_hex_encode(actual, len, row->actual);
    }
    return row;
}

struct igk_verify_row *igk_verify_add_u64(struct igk_verify_table *t, const char *field,
                                          uint64_t expected, uint64_t actual, bool hex)
{
    struct igk_verify_row *row =
        add_row(t, field, expected == actual ? IGK_VERIFY_MATCH : IGK_VERIFY_MISMATCH);

    if (!row)
        return NULL;
    snprintf(row->expected, sizeof(row->expected), hex ? "0x%llx" : "%llu",
             (unsigned long long)expected);
    snprintf(row->actual, sizeof(row->actual), hex ? "0x%llx" : "%llu", (unsigned long long)actual);
    return row;
}

struct igk_verify_row *igk_verify_add_text(struct igk_verify_table *t, const char *field,
                                           const char *expected, const char *actual, bool match)
{
    struct igk_verify_row *row = add_row(t, field, match ? IGK_VERIFY_MATCH : IGK_VERIFY_MISMATCH);

    if (!row)
        return NULL;
    snprintf(row->expected, sizeof(row->expected), "%s", expected);
    snprintf(row->actual, sizeof(row->actual), "%s", actual);
    return row;
}

struct igk_verify_row *igk_verify_add_not_checked(struct igk_verify_table *t, const char *field,
                                                  bool waived, const char *fmt, ...)
{
    struct igk_verify_row *row = add_row(t, field, IGK_VERIFY_NOT_CHECKED);
    va_list ap;

    if (!row)
        return NULL;
    row->waived = waived;
    if (waived)
        t->n_unchecked--;
    va_start(ap, fmt);
    vsnprintf(row->reason, sizeof(row->reason), fmt, ap);
    va_end(ap);
    return row;
}

void igk_verify_row_reason(struct igk_verify_row *row, const char *fmt, ...)
{
    va_list ap;

    if (!row)
        return;
    va_start(ap, fmt);
    vsnprintf(row->reason, sizeof(row->reason), fmt, ap);
    va_end(ap);
}

void igk_verify_row_inform(struct igk_verify_table *t, struct igk_verify_row *row)
{
    if (!row || !row->required)
        return;
    row->required = false;
    if (row->status == IGK_VERIFY_NOT_CHECKED && !row->waived)
        t->n_unchecked--;
}

void igk_verify_add_note(struct igk_verify_table *t, const char *fmt, ...)
{
    va_list ap;

    if (t->n_notes >= IGK_VERIFY_MAX_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(t->notes[t->n_notes++], sizeof(t->notes[0]), fmt, ap);
    va_end(ap);
}
