/* SPDX-License-Identifier: MIT */
/*
 * The deterministic JSON writer (igvm/json.h): escaping per RFC 8259,
 * nesting, pretty and compact layouts as exact strings, and the sticky
 * errors for unbalanced documents.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

/* Finishes j and compares the text with want (NULL: finish must fail). */
static void check(struct igk_json *j, const char *want, const char *name)
{
    char *text = NULL;
    size_t len = 0;
    int r = igk_json_finish(j, &text, &len);

    if (!want) {
        is_int(r, -1, "%s: finish fails", name);
        ok(text == NULL, "%s: nothing handed over", name);
        return;
    }
    is_int(r, 0, "%s: finish", name);
    is_str(text, want, "%s: text", name);
    is_int((long long)len, (long long)strlen(want), "%s: length", name);
    free(text);
}

static void test_escaping(void)
{
    struct igk_json j;

    igk_json_init(&j, false);
    igk_json_string(&j, "say \"hi\"\\ now");
    check(&j, "\"say \\\"hi\\\"\\\\ now\"\n", "quotes and backslash");

    igk_json_init(&j, false);
    igk_json_string(&j, "a\nb\rc\td\be\ff");
    check(&j, "\"a\\nb\\rc\\td\\be\\ff\"\n", "short escapes");

    igk_json_init(&j, false);
    igk_json_string_n(&j, "\x01\x1f\x7f" "\0z", 5);
    check(&j, "\"\\u0001\\u001f\\u007f\\u0000z\"\n", "control characters as \\u00XX");

    igk_json_init(&j, false);
    igk_json_string(&j, "caf\xc3\xa9 /");
    check(&j, "\"caf\xc3\xa9 /\"\n", "UTF-8 and slash pass through");

    igk_json_init(&j, false);
    igk_json_begin_object(&j);
    igk_json_key(&j, "k\"ey");
    igk_json_null(&j);
    igk_json_end_object(&j);
    check(&j, "{\"k\\\"ey\":null}\n", "keys are escaped too");
}

static void build_nested(struct igk_json *j)
{
    static const uint8_t bytes[] = {0x00, 0xab, 0xff};

    igk_json_begin_object(j);
    igk_json_key(j, "n");
    igk_json_uint(j, 18446744073709551615ull);
    igk_json_key(j, "i");
    igk_json_int(j, -42);
    igk_json_key(j, "list");
    igk_json_begin_array(j);
    igk_json_bool(j, true);
    igk_json_bool(j, false);
    igk_json_begin_object(j);
    igk_json_end_object(j);
    igk_json_begin_array(j);
    igk_json_end_array(j);
    igk_json_end_array(j);
    igk_json_key(j, "obj");
    igk_json_begin_object(j);
    igk_json_key(j, "hex");
    igk_json_hex(j, bytes, sizeof(bytes));
    igk_json_key(j, "addr");
    igk_json_hex_u64(j, 0xfffff000);
    igk_json_end_object(j);
    igk_json_end_object(j);
}

static void test_layouts(void)
{
    struct igk_json j;

    igk_json_init(&j, false);
    build_nested(&j);
    check(&j,
          "{\"n\":18446744073709551615,\"i\":-42,\"list\":[true,false,{},[]],"
          "\"obj\":{\"hex\":\"00abff\",\"addr\":\"0xfffff000\"}}\n",
          "compact nesting");

    igk_json_init(&j, true);
    build_nested(&j);
    check(&j,
          "{\n"
          "  \"n\": 18446744073709551615,\n"
          "  \"i\": -42,\n"
          "  \"list\": [\n"
          "    true,\n"
          "    false,\n"
          "    {},\n"
          "    []\n"
          "  ],\n"
          "  \"obj\": {\n"
          "    \"hex\": \"00abff\",\n"
          "    \"addr\": \"0xfffff000\"\n"
          "  }\n"
          "}\n",
          "pretty nesting");

    igk_json_init(&j, true);
    igk_json_begin_array(&j);
    igk_json_end_array(&j);
    check(&j, "[]\n", "pretty empty array");
}

static void test_errors(void)
{
    struct igk_json j;

    igk_json_init(&j, false);
    igk_json_begin_object(&j);
    check(&j, NULL, "unclosed object");

    igk_json_init(&j, false);
    igk_json_begin_object(&j);
    igk_json_key(&j, "a");
    igk_json_end_object(&j);
    check(&j, NULL, "key without value");

    igk_json_init(&j, false);
    igk_json_end_array(&j);
    check(&j, NULL, "close without open");

    igk_json_init(&j, false);
    igk_json_uint(&j, 1);
    igk_json_uint(&j, 2);
    check(&j, NULL, "two top-level values");

    igk_json_init(&j, false);
    igk_json_begin_array(&j);
    igk_json_key(&j, "x");
    igk_json_end_array(&j);
    check(&j, NULL, "key without value inside an array");

    igk_json_init(&j, false);
    check(&j, NULL, "empty document");

    igk_json_init(&j, false);
    for (int i = 0; i < IGK_JSON_MAX_DEPTH + 1; i++)
        igk_json_begin_array(&j);
    for (int i = 0; i < IGK_JSON_MAX_DEPTH + 1; i++)
        igk_json_end_array(&j);
    check(&j, NULL, "nesting deeper than IGK_JSON_MAX_DEPTH");
}

int main(void)
{
    test_escaping();
    test_layouts();
    test_errors();
    return tap_done();
}
