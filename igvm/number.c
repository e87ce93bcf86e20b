/* SPDX-License-Identifier: MIT */
/*
 * The one parser of unsigned numbers (util.h), shared by the descriptor and
 * every command-line option: decimal, or hexadecimal after "0x".  A leading
 * zero is decimal ("010" is ten), never octal as strtoul(s, NULL, 0) reads it.
 * Sizes (igk_parse_size) add QEMU's unit rule on top of it.
 */
#include <string.h>
#include <strings.h>

#include "util.h"

/* Reads the digits of s into *ret; *end is the first byte after them. */
static bool parse_digits(const char *s, const char **end, uint64_t *ret)
{
    uint64_t v = 0;
    unsigned base = 10;
    const char *start;

    if (!s || !*s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (start = s; *s; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
            return false;
    }
    if (s == start)
        return false;
    *end = s;
    *ret = v;
    return true;
}

bool igk_parse_uint(const char *s, uint64_t max, uint64_t *ret)
{
    const char *end = NULL;
    uint64_t v;

    if (!parse_digits(s, &end, &v) || *end || v > max)
        return false;
    *ret = v;
    return true;
}

bool igk_parse_size(const char *s, uint64_t bare_unit, uint64_t *ret)
{
    /* QEMU's qemu_strtosz() units (util/cutils.c), powers of 1024; "KiB"
     * spellings are taken too because igvmkit's own messages print them. */
    static const struct {
        const char *name;
        unsigned shift;
    } units[] = {
        {"B", 0},    {"K", 10},   {"M", 20},   {"G", 30},   {"T", 40},
        {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40},
    };
    const char *end = NULL;
    uint64_t v, unit = bare_unit;

    if (!parse_digits(s, &end, &v))
        return false;
    if (*end) {
        size_t i;

        for (i = 0; i < IGK_ARRAY_SIZE(units); i++)
            if (!strcasecmp(end, units[i].name))
                break;
        if (i == IGK_ARRAY_SIZE(units))
            return false;
        unit = 1ull << units[i].shift;
    }
    if (!igk_mul_u64(v, unit, &v))
        return false;
    *ret = v;
    return true;
}
