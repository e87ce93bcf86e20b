/* SPDX-License-Identifier: MIT */
/*
 * Deterministic CBOR encoder (RFC 8949 §4.2.1 core deterministic encoding):
 * shortest heads (§4.2.1 "preferred serialization" of arguments), definite
 * lengths, and map keys checked to be in bytewise order of their encodings.
 */
#include <stdlib.h>
#include <string.h>

#include "cbor.h"

/* Major types (RFC 8949 §3.1). */
enum {
    CBOR_UINT = 0,
    CBOR_NEGINT = 1,
    CBOR_BYTES = 2,
    CBOR_TEXT = 3,
    CBOR_ARRAY = 4,
    CBOR_MAP = 5,
    CBOR_TAG = 6,
    CBOR_SIMPLE = 7,
};

void igk_cbor_init(struct igk_cbor *c)
{
    memset(c, 0, sizeof(*c));
}

static void put(struct igk_cbor *c, const void *data, size_t n)
{
    if (c->failed || n == 0)
        return;
    if (n > SIZE_MAX - c->len) {
        c->failed = true;
        return;
    }
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->len + n) {
            if (cap > SIZE_MAX / 2) {
                c->failed = true;
                return;
            }
            cap *= 2;
        }
        uint8_t *buf = realloc(c->buf, cap);
        if (!buf) {
            c->failed = true;
            return;
        }
        c->buf = buf;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
}

/* The initial byte plus the argument in its shortest form (§3, §4.2.1). */
static void put_head(struct igk_cbor *c, unsigned major, uint64_t arg)
{
    uint8_t head[9];
    size_t n;

    if (arg < 24) {
        head[0] = (uint8_t)(major << 5 | arg);
        n = 1;
    } else if (arg <= UINT8_MAX) {
        head[0] = (uint8_t)(major << 5 | 24);
        n = 2;
    } else if (arg <= UINT16_MAX) {
        head[0] = (uint8_t)(major << 5 | 25);
        n = 3;
    } else if (arg <= UINT32_MAX) {
        head[0] = (uint8_t)(major << 5 | 26);
        n = 5;
    } else {
        head[0] = (uint8_t)(major << 5 | 27);
        n = 9;
    }
    /* The argument follows in network (big-endian) byte order. */
    for (size_t i = 1; i < n; i++)
        head[i] = (uint8_t)(arg >> (8 * (n - 1 - i)));
    put(c, head, n);
}

static bool is_key_position(const struct igk_cbor_level *lvl)
{
    return lvl->is_map && lvl->remaining % 2 == 0;
}

/* Called at the first byte of every data item (a tag prefix included). */
static void item_begin(struct igk_cbor *c)
{
    if (c->in_tag) {
        c->in_tag = false; /* the tag already began this item */
        return;
    }
    if (c->top_done) {
        c->failed = true; /* a document is one data item */
        return;
    }
    if (c->depth > 0 && is_key_position(&c->level[c->depth - 1]))
        c->level[c->depth - 1].cur_key_start = c->len;
}

/* Keys sort by their encodings, bytewise (§4.2.1); equal keys are duplicates. */
static void check_key_order(struct igk_cbor *c, struct igk_cbor_level *lvl)
{
    size_t start = lvl->cur_key_start, len = c->len - lvl->cur_key_start;

    if (c->failed)
        return;
    if (lvl->have_key) {
        size_t common = lvl->key_len < len ? lvl->key_len : len;
        int cmp = memcmp(c->buf + lvl->key_start, c->buf + start, common);
        if (cmp > 0 || (cmp == 0 && lvl->key_len >= len)) {
            c->failed = true;
            return;
        }
    }
    lvl->have_key = true;
    lvl->key_start = start;
    lvl->key_len = len;
}

/* Called when a data item is complete; closes containers that become full. */
static void item_end(struct igk_cbor *c)
{
    for (;;) {
        if (c->depth == 0) {
            c->top_done = true;
            return;
        }
        struct igk_cbor_level *lvl = &c->level[c->depth - 1];
        if (is_key_position(lvl))
            check_key_order(c, lvl);
        lvl->remaining--;
        if (lvl->remaining > 0)
            return;
        c->depth--; /* the container itself is now a complete item */
    }
}

void igk_cbor_uint(struct igk_cbor *c, uint64_t v)
{
    item_begin(c);
    put_head(c, CBOR_UINT, v);
    item_end(c);
}

void igk_cbor_int(struct igk_cbor *c, int64_t v)
{
    item_begin(c);
    if (v >= 0)
        put_head(c, CBOR_UINT, (uint64_t)v);
    else
        put_head(c, CBOR_NEGINT, (uint64_t)(-(v + 1))); /* -1 - n, no overflow at INT64_MIN */
    item_end(c);
}

void igk_cbor_bytes(struct igk_cbor *c, const void *data, size_t n)
{
    item_begin(c);
    put_head(c, CBOR_BYTES, n);
    put(c, data, n);
    item_end(c);
}

void igk_cbor_text_n(struct igk_cbor *c, const char *s, size_t n)
{
    item_begin(c);
    put_head(c, CBOR_TEXT, n);
    put(c, s, n);
    item_end(c);
}

void igk_cbor_text(struct igk_cbor *c, const char *s)
{
    igk_cbor_text_n(c, s, strlen(s));
}

static void begin_container(struct igk_cbor *c, unsigned major, uint64_t n, uint64_t items)
{
    item_begin(c);
    put_head(c, major, n);
    if (items == 0) {
        item_end(c);
        return;
    }
    if (c->depth >= IGK_CBOR_MAX_DEPTH) {
        c->failed = true;
        return;
    }
    struct igk_cbor_level *lvl = &c->level[c->depth++];
    memset(lvl, 0, sizeof(*lvl));
    lvl->remaining = items;
    lvl->is_map = major == CBOR_MAP;
}

void igk_cbor_array(struct igk_cbor *c, uint64_t n)
{
    begin_container(c, CBOR_ARRAY, n, n);
}

void igk_cbor_map(struct igk_cbor *c, uint64_t pairs)
{
    if (pairs > UINT64_MAX / 2) {
        c->failed = true;
        return;
    }
    begin_container(c, CBOR_MAP, pairs, 2 * pairs);
}

void igk_cbor_tag(struct igk_cbor *c, uint64_t tag)
{
    item_begin(c);
    put_head(c, CBOR_TAG, tag);
    c->in_tag = true;
}

void igk_cbor_bool(struct igk_cbor *c, bool v)
{
    item_begin(c);
    put_head(c, CBOR_SIMPLE, v ? 21 : 20);
    item_end(c);
}

void igk_cbor_null(struct igk_cbor *c)
{
    item_begin(c);
    put_head(c, CBOR_SIMPLE, 22);
    item_end(c);
}

int igk_cbor_finish(struct igk_cbor *c, uint8_t **ret_data, size_t *ret_len)
{
    if (c->failed || !c->top_done || c->depth != 0 || c->in_tag) {
        igk_cbor_discard(c);
        return -1;
    }
    *ret_data = c->buf;
    *ret_len = c->len;
    c->buf = NULL;
    c->len = c->cap = 0;
    return 0;
}

void igk_cbor_discard(struct igk_cbor *c)
{
    free(c->buf);
    c->buf = NULL;
    c->len = c->cap = 0;
}
