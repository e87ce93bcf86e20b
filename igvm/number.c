/* SPDX-License-Identifier: MIT */
/*
 * The one parser of unsigned numbers (util.h), shared by the descriptor and
 * every command-line option: decimal, or hexadecimal after "0x".  A leading
 * zero is decimal ("010" is ten), never octal as strtoul(s, NULL, 0) reads it.
 */
#include "util.h"

bool igk_parse_uint(const char *s, uint64_t max, uint64_t *ret)
{
    uint64_t v = 0;
    unsigned base = 10;

    if (!s || !*s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return false;
    }
    for (; *s; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
            return false;
    }
    if (v > max)
        return false;
    *ret = v;
    return true;
}
