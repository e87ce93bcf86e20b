/* SPDX-License-Identifier: MIT */
/* Streaming JSON writer: see json.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

void igk_json_init(struct igk_json *j, bool pretty)
{
    memset(j, 0, sizeof(*j));
    j->pretty = pretty;
    j->first[0] = true;
}

static void put(struct igk_json *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 256;
        char *nb;
        while (cap < j->len + n + 1)
            cap *= 2;
        nb = realloc(j->buf, cap);
        if (!nb) {
            j->failed = true;
            return;
        }
        j->buf = nb;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(struct igk_json *j, const char *s)
{
    put(j, s, strlen(s));
}

static void newline(struct igk_json *j)
{
    if (!j->pretty)
        return;
    put(j, "\n", 1);
    for (int i = 0; i < j->depth; i++)
        put(j, "  ", 2);
}

/* Separator and indentation before a value or a key. */
static void begin_value(struct igk_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            put(j, ",", 1);
        newline(j);
    } else if (!j->first[0]) {
        j->failed = true; /* two top-level values */
    }
    j->first[j->depth] = false;
}

static void open_(struct igk_json *j, const char *c)
{
    begin_value(j);
    puts_(j, c);
    if (j->depth + 1 >= IGK_JSON_MAX_DEPTH) {
        j->failed = true;
        return;
    }
    j->depth++;
    j->first[j->depth] = true;
}

static void close_(struct igk_json *j, const char *c)
{
    bool empty;

    if (j->depth <= 0 || j->after_key) {
        j->failed = true;
        return;
    }
    empty = j->first[j->depth];
    j->depth--;
    if (!empty)
        newline(j);
    puts_(j, c);
}

void igk_json_begin_object(struct igk_json *j)
{
    open_(j, "{");
}

void igk_json_end_object(struct igk_json *j)
{
    close_(j, "}");
}

void igk_json_begin_array(struct igk_json *j)
{
    open_(j, "[");
}

void igk_json_end_array(struct igk_json *j)
{
    close_(j, "]");
}

static void quoted(struct igk_json *j, const char *s, size_t n)
{
    put(j, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"':
            puts_(j, "\\\"");
            break;
        case '\\':
            puts_(j, "\\\\");
            break;
        case '\n':
            puts_(j, "\\n");
            break;
        case '\r':
            puts_(j, "\\r");
            break;
        case '\t':
            puts_(j, "\\t");
            break;
        case '\b':
            puts_(j, "\\b");
            break;
        case '\f':
            puts_(j, "\\f");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(esc, sizeof(esc), "\\u%04x", c);
                puts_(j, esc);
            } else {
                put(j, (const char *)&c, 1);
            }
        }
    }
    put(j, "\"", 1);
}

void igk_json_key(struct igk_json *j, const char *key)
{
    if (j->after_key || j->depth == 0) {
        j->failed = true;
        return;
    }
    begin_value(j);
    quoted(j, key, strlen(key));
    puts_(j, j->pretty ? ": " : ":");
    j->after_key = true;
}

void igk_json_string_n(struct igk_json *j, const char *s, size_t n)
{
    begin_value(j);
    quoted(j, s, n);
}

void igk_json_string(struct igk_json *j, const char *s)
{
    igk_json_string_n(j, s, strlen(s));
}

void igk_json_uint(struct igk_json *j, uint64_t v)
{
    char b[32];

    begin_value(j);
    snprintf(b, sizeof(b), "%" PRIu64, v);
    puts_(j, b);
}

void igk_json_int(struct igk_json *j, int64_t v)
{
    char b[32];

    begin_value(j);
    snprintf(b, sizeof(b), "%" PRId64, v);
    puts_(j, b);
}

void igk_json_bool(struct igk_json *j, bool v)
{
    begin_value(j);
    puts_(j, v ? "true" : "false");
}

void igk_json_null(struct igk_json *j)
{
    begin_value(j);
    puts_(j, "null");
}

void igk_json_hex(struct igk_json *j, const uint8_t *bytes, size_t n)
{
    char *hex = malloc(2 * n + 1);

    if (!hex) {
        j->failed = true;
        return;
    }
    igk_hex_encode(bytes, n, hex);
    igk_json_string(j, hex);
    free(hex);
}

void igk_json_hex_u64(struct igk_json *j, uint64_t v)
{
    char b[32];

    snprintf(b, sizeof(b), "0x%" PRIx64, v);
    igk_json_string(j, b);
}

int igk_json_finish(struct igk_json *j, char **ret_text, size_t *ret_len)
{
    if (j->depth != 0 || j->after_key || j->first[0])
        j->failed = true;
    put(j, "\n", 1);
    if (j->failed) {
        igk_json_discard(j);
        return -1;
    }
    *ret_text = j->buf;
    *ret_len = j->len;
    j->buf = NULL;
    j->len = j->cap = 0;
    return 0;
}

void igk_json_discard(struct igk_json *j)
{
    free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}
