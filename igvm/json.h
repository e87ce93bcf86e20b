/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer (internal).  Output is deterministic: keys
 * appear in the order they are written, numbers are integers, strings are
 * escaped per RFC 8259 (control characters as \u00XX, non-ASCII bytes passed
 * through as UTF-8).  Errors (allocation failure, unbalanced nesting) are
 * sticky and reported once by igk_json_finish().
 *
 *   struct igk_json j;
 *   igk_json_init(&j, true);
 *   igk_json_begin_object(&j);
 *   igk_json_key(&j, "digest"); igk_json_hex(&j, d, 48);
 *   igk_json_end_object(&j);
 *   char *text; size_t len;
 *   if (igk_json_finish(&j, &text, &len) == 0) ... free(text);
 */
#ifndef IGK_JSON_H
#define IGK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IGK_JSON_MAX_DEPTH 32

struct igk_json {
    char *buf;
    size_t len, cap;
    bool pretty;
    bool failed;
    int depth;
    bool first[IGK_JSON_MAX_DEPTH]; /* no member written yet at this depth */
    bool after_key;                 /* a key was written, value pending   */
};

void igk_json_init(struct igk_json *j, bool pretty);
void igk_json_begin_object(struct igk_json *j);
void igk_json_end_object(struct igk_json *j);
void igk_json_begin_array(struct igk_json *j);
void igk_json_end_array(struct igk_json *j);
void igk_json_key(struct igk_json *j, const char *key);
void igk_json_string(struct igk_json *j, const char *s);
void igk_json_string_n(struct igk_json *j, const char *s, size_t n);
void igk_json_uint(struct igk_json *j, uint64_t v);
void igk_json_int(struct igk_json *j, int64_t v);
void igk_json_bool(struct igk_json *j, bool v);
void igk_json_null(struct igk_json *j);
/* Lower-case hex string of n bytes. */
void igk_json_hex(struct igk_json *j, const uint8_t *bytes, size_t n);
/* "0x..." string of an integer (for addresses and masks). */
void igk_json_hex_u64(struct igk_json *j, uint64_t v);

/*
 * Ends the document (adds a final newline) and hands over the text
 * (malloc()ed, NUL terminated).  Returns 0, or -1 after any error, in which
 * case nothing is handed over and the buffer is freed.
 */
int igk_json_finish(struct igk_json *j, char **ret_text, size_t *ret_len);
/* Frees the buffer of an unfinished writer. */
void igk_json_discard(struct igk_json *j);

#endif /* IGK_JSON_H */
