/* SPDX-License-Identifier: MIT */
/*
 * The deterministic CBOR encoder against the encoding examples of RFC 8949
 * Appendix A, plus the checks that make it refuse non-deterministic output
 * (unordered or duplicate map keys, wrong item counts).
 */
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "tap.h"

/* Finishes c and compares the bytes with want_hex. */
static void check(struct igk_cbor *c, const char *want_hex, const char *name)
{
    uint8_t *out = NULL;
    size_t len = 0;

    if (igk_cbor_finish(c, &out, &len) != 0) {
        ok(false, "%s (finish failed)", name);
        return;
    }
    if (2 * len != strlen(want_hex)) {
        ok(false, "%s", name);
        diag("got %zu bytes, want %zu", len, strlen(want_hex) / 2);
    } else {
        is_hex(out, len, want_hex, "%s", name);
    }
    free(out);
}

static void check_fails(struct igk_cbor *c, const char *name)
{
    uint8_t *out = NULL;
    size_t len = 0;

    is_int(igk_cbor_finish(c, &out, &len), -1, "%s is refused", name);
    ok(out == NULL, "%s hands over nothing", name);
}

static void test_integers(void)
{
    static const struct {
        uint64_t v;
        const char *hex;
    } uints[] = {
        {0, "00"},
        {1, "01"},
        {10, "0a"},
        {23, "17"},
        {24, "1818"},
        {25, "1819"},
        {100, "1864"},
        {255, "18ff"},
        {256, "190100"},
        {1000, "1903e8"},
        {65535, "19ffff"},
        {65536, "1a00010000"},
        {1000000, "1a000f4240"},
        {4294967295u, "1affffffff"},
        {4294967296u, "1b0000000100000000"},
        {1000000000000u, "1b000000e8d4a51000"},
        {UINT64_MAX, "1bffffffffffffffff"},
    };
    static const struct {
        int64_t v;
        const char *hex;
    } ints[] = {
        {-1, "20"},
        {-10, "29"},
        {-24, "37"},
        {-25, "3818"},
        {-100, "3863"},
        {-1000, "3903e7"},
        {7, "07"},
        {INT64_MIN, "3b7fffffffffffffff"},
    };
    struct igk_cbor c;

    for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++) {
        igk_cbor_init(&c);
        igk_cbor_uint(&c, uints[i].v);
        check(&c, uints[i].hex, "uint shortest form");
    }
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        igk_cbor_init(&c);
        igk_cbor_int(&c, ints[i].v);
        check(&c, ints[i].hex, "int shortest form");
    }
}

static void test_strings_and_simple(void)
{
    struct igk_cbor c;
    uint8_t big[256];

    igk_cbor_init(&c);
    igk_cbor_bytes(&c, NULL, 0);
    check(&c, "40", "empty byte string");

    igk_cbor_init(&c);
    igk_cbor_bytes(&c, (const uint8_t[]){1, 2, 3, 4}, 4);
    check(&c, "4401020304", "h'01020304'");

    igk_cbor_init(&c);
    igk_cbor_text(&c, "");
    check(&c, "60", "empty text");

    igk_cbor_init(&c);
    igk_cbor_text(&c, "IETF");
    check(&c, "6449455446", "\"IETF\"");

    igk_cbor_init(&c);
    igk_cbor_text(&c, "\xc3\xbc");
    check(&c, "62c3bc", "UTF-8 text passes through");

    memset(big, 0xab, sizeof(big));
    igk_cbor_init(&c);
    igk_cbor_bytes(&c, big, sizeof(big));
    uint8_t *out = NULL;
    size_t len = 0;
    is_int(igk_cbor_finish(&c, &out, &len), 0, "256-byte string encodes");
    is_int((long long)len, 3 + 256, "256-byte string has a 3-byte head");
    if (out && len >= 3)
        is_hex(out, 3, "590100", "256-byte string head");
    free(out);

    igk_cbor_init(&c);
    igk_cbor_bool(&c, false);
    check(&c, "f4", "false");
    igk_cbor_init(&c);
    igk_cbor_bool(&c, true);
    check(&c, "f5", "true");
    igk_cbor_init(&c);
    igk_cbor_null(&c);
    check(&c, "f6", "null");
}

static void test_containers_and_tags(void)
{
    struct igk_cbor c;

    igk_cbor_init(&c);
    igk_cbor_array(&c, 0);
    check(&c, "80", "[]");

    igk_cbor_init(&c);
    igk_cbor_array(&c, 3);
    igk_cbor_uint(&c, 1);
    igk_cbor_array(&c, 2);
    igk_cbor_uint(&c, 2);
    igk_cbor_uint(&c, 3);
    igk_cbor_array(&c, 2);
    igk_cbor_uint(&c, 4);
    igk_cbor_uint(&c, 5);
    check(&c, "8301820203820405", "[1, [2, 3], [4, 5]]");

    igk_cbor_init(&c);
    igk_cbor_array(&c, 25);
    for (unsigned i = 1; i <= 25; i++)
        igk_cbor_uint(&c, i);
    check(&c, "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
          "25-item array has a 2-byte head");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 0);
    check(&c, "a0", "{}");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 1);
    igk_cbor_uint(&c, 2);
    igk_cbor_uint(&c, 3);
    igk_cbor_uint(&c, 4);
    check(&c, "a201020304", "{1: 2, 3: 4}");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_text(&c, "a");
    igk_cbor_uint(&c, 1);
    igk_cbor_text(&c, "b");
    igk_cbor_array(&c, 2);
    igk_cbor_uint(&c, 2);
    igk_cbor_uint(&c, 3);
    check(&c, "a26161016162820203", "{\"a\": 1, \"b\": [2, 3]}");

    /* Integer keys sort before text keys; 10 (0x0a) before -1 (0x20). */
    igk_cbor_init(&c);
    igk_cbor_map(&c, 3);
    igk_cbor_int(&c, 10);
    igk_cbor_null(&c);
    igk_cbor_int(&c, -1);
    igk_cbor_null(&c);
    igk_cbor_text(&c, "z");
    igk_cbor_null(&c);
    check(&c, "a30af620f6617af6", "{10, -1, \"z\"} is in deterministic key order");

    igk_cbor_init(&c);
    igk_cbor_tag(&c, 1);
    igk_cbor_uint(&c, 1363896240);
    check(&c, "c11a514b67b0", "1(1363896240)");

    igk_cbor_init(&c);
    igk_cbor_tag(&c, 32);
    igk_cbor_text(&c, "http://www.example.com");
    check(&c, "d82076687474703a2f2f7777772e6578616d706c652e636f6d", "32(uri)");

    /* Tag numbers above 255 (CoRIM 501/506) take a 2-byte argument. */
    igk_cbor_init(&c);
    igk_cbor_tag(&c, 501);
    igk_cbor_map(&c, 1);
    igk_cbor_uint(&c, 0);
    igk_cbor_tag(&c, 506);
    igk_cbor_bytes(&c, (const uint8_t[]){0xa0}, 1);
    check(&c, "d901f5a100d901fa41a0", "501({0: 506(h'a0')})");

    /* A tagged key: the tag is part of the key's encoding. */
    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 1);
    igk_cbor_null(&c);
    igk_cbor_tag(&c, 1);
    igk_cbor_uint(&c, 0);
    igk_cbor_null(&c);
    check(&c, "a201f6c100f6", "tagged key after integer key");
}

static void test_refusals(void)
{
    struct igk_cbor c;

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 3);
    igk_cbor_uint(&c, 4);
    igk_cbor_uint(&c, 1);
    igk_cbor_uint(&c, 2);
    check_fails(&c, "unordered integer keys");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_text(&c, "a");
    igk_cbor_null(&c);
    igk_cbor_uint(&c, 1);
    igk_cbor_null(&c);
    check_fails(&c, "text key before integer key");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 1);
    igk_cbor_null(&c);
    igk_cbor_uint(&c, 1);
    igk_cbor_null(&c);
    check_fails(&c, "duplicate key");

    /* Longer encodings sort after their prefixes: "ab" after "a". */
    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_text(&c, "b");
    igk_cbor_null(&c);
    igk_cbor_text(&c, "aa");
    igk_cbor_null(&c);
    check(&c, "a26162f6626161f6", "length-first order of text keys (\"b\" < \"aa\")");

    /* Keys of an inner map are ordered on their own. */
    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 0);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 5);
    igk_cbor_null(&c);
    igk_cbor_uint(&c, 2);
    igk_cbor_null(&c);
    igk_cbor_uint(&c, 1);
    igk_cbor_null(&c);
    check_fails(&c, "unordered keys in an inner map");

    igk_cbor_init(&c);
    igk_cbor_array(&c, 2);
    igk_cbor_uint(&c, 1);
    check_fails(&c, "array missing an item");

    igk_cbor_init(&c);
    igk_cbor_map(&c, 1);
    igk_cbor_uint(&c, 1);
    check_fails(&c, "map missing a value");

    igk_cbor_init(&c);
    igk_cbor_uint(&c, 1);
    igk_cbor_uint(&c, 2);
    check_fails(&c, "two top-level items");

    igk_cbor_init(&c);
    igk_cbor_tag(&c, 1);
    check_fails(&c, "tag without its item");

    igk_cbor_init(&c);
    check_fails(&c, "empty document");

    igk_cbor_init(&c);
    for (int i = 0; i < IGK_CBOR_MAX_DEPTH + 1; i++)
        igk_cbor_array(&c, 1);
    igk_cbor_null(&c);
    check_fails(&c, "nesting deeper than IGK_CBOR_MAX_DEPTH");
}

int main(void)
{
    test_integers();
    test_strings_and_simple();
    test_containers_and_tags();
    test_refusals();
    return tap_done();
}
