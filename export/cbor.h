/* SPDX-License-Identifier: MIT */
/*
 * A small CBOR encoder (internal) for the CoRIM export.  It only emits, and
 * what it emits follows RFC 8949 §4.2.1 "core deterministic encoding":
 *   - every integer, length and tag number in its shortest form;
 *   - definite lengths only (the caller states the item count of an array
 *     or map up front, which keeps the encoder free of back-patching);
 *   - map keys must be written in bytewise order of their encodings; the
 *     writer does not sort, but it checks the order of integer and text keys
 *     it sees at each map level and fails (sticky error) when the caller
 *     breaks it, so a wrong order is a test failure rather than a silent
 *     non-canonical document.
 * Errors (allocation failure, wrong item counts, unordered keys) are sticky
 * and reported once by igk_cbor_finish().
 *
 *   struct igk_cbor c;
 *   igk_cbor_init(&c);
 *   igk_cbor_map(&c, 1);
 *   igk_cbor_uint(&c, 0); igk_cbor_text(&c, "id");
 *   uint8_t *out; size_t len;
 *   if (igk_cbor_finish(&c, &out, &len) == 0) ... free(out);
 */
#ifndef IGK_CBOR_H
#define IGK_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IGK_CBOR_MAX_DEPTH 32

struct igk_cbor_level {
    uint64_t remaining; /* data items still owed to this array or map */
    bool is_map;
    bool have_key;      /* map: a previous key was recorded          */
    size_t key_start;   /* map: offset of the previous key's encoding */
    size_t key_len;
    size_t cur_key_start; /* map: offset where the key being written began */
};

struct igk_cbor {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
    bool top_done; /* the single top-level item is complete */
    bool in_tag;   /* a tag was written; its item has begun     */
    int depth;
    struct igk_cbor_level level[IGK_CBOR_MAX_DEPTH];
};

void igk_cbor_init(struct igk_cbor *c);
void igk_cbor_uint(struct igk_cbor *c, uint64_t v);
/* Negative values use major type 1 (-1 - n); non-negative ones major type 0. */
void igk_cbor_int(struct igk_cbor *c, int64_t v);
void igk_cbor_bytes(struct igk_cbor *c, const void *data, size_t n);
void igk_cbor_text(struct igk_cbor *c, const char *s);
void igk_cbor_text_n(struct igk_cbor *c, const char *s, size_t n);
/* Starts an array of n items / a map of n key-value pairs (2n items). */
void igk_cbor_array(struct igk_cbor *c, uint64_t n);
void igk_cbor_map(struct igk_cbor *c, uint64_t pairs);
/* A tag applies to the one data item that follows it. */
void igk_cbor_tag(struct igk_cbor *c, uint64_t tag);
void igk_cbor_bool(struct igk_cbor *c, bool v);
void igk_cbor_null(struct igk_cbor *c);

/*
 * Ends the document and hands over the bytes (malloc()ed).  Returns 0, or -1
 * after any error or when arrays/maps are left incomplete; on -1 nothing is
 * handed over and the buffer is freed.
 */
int igk_cbor_finish(struct igk_cbor *c, uint8_t **ret_data, size_t *ret_len);
void igk_cbor_discard(struct igk_cbor *c);

#endif /* IGK_CBOR_H */
