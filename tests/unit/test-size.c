/* SPDX-License-Identifier: MIT */
/*
 * igk_parse_size (igvm/number.c): QEMU's -m rule for every size igvmkit
 * reads (descriptor memory and prevalidate, launch and verify --memory): a
 * bare number is MiB, units B/K/M/G/T (or KiB..TiB) in any case, powers of
 * 1024; and the byte-count mode (bare_unit 1) of svsm vars-size.
 */
#include <stdint.h>

#include "tap.h"
#include "util.h"

#define MIB (1ull << 20)

static void size_is(const char *s, uint64_t bare_unit, uint64_t want)
{
    uint64_t v = 0;
    bool parsed = igk_parse_size(s, bare_unit, &v);

    ok(parsed && v == want, "'%s' (bare unit %llu) is %llu bytes (got %llu%s)", s,
       (unsigned long long)bare_unit, (unsigned long long)want, (unsigned long long)v,
       parsed ? "" : ", refused");
}

static void refused(const char *s, const char *why)
{
    uint64_t v = 12345;

    ok(!igk_parse_size(s, MIB, &v) && v == 12345, "'%s' refused (%s), result untouched", s, why);
}

int main(void)
{
    size_is("2048", MIB, 2ull << 30);
    size_is("2g", MIB, 2ull << 30);
    size_is("2G", MIB, 2ull << 30);
    size_is("2GiB", MIB, 2ull << 30);
    size_is("2gib", MIB, 2ull << 30);
    size_is("2048M", MIB, 2ull << 30);
    size_is("2048m", MIB, 2ull << 30);
    size_is("2097152K", MIB, 2ull << 30);
    size_is("2097152KiB", MIB, 2ull << 30);
    size_is("2147483648B", MIB, 2ull << 30);
    size_is("2147483648b", MIB, 2ull << 30);
    size_is("1T", MIB, 1ull << 40);
    size_is("1tib", MIB, 1ull << 40);
    size_is("0x800", MIB, 2ull << 30);
    size_is("0x10M", MIB, 16 * MIB);
    size_is("0x1b", MIB, 0x1b * MIB); /* b after 0x is a hex digit, as in QEMU */
    size_is("010", MIB, 10 * MIB);    /* a leading zero is decimal, not octal */
    size_is("0", MIB, 0);             /* zero is the caller's to refuse */
    size_is("540672", 1, 540672);
    size_is("528K", 1, 540672);
    size_is("528k", 1, 540672);
    size_is("17592186044415", MIB, 17592186044415ull * MIB); /* (2^64 - 1) >> 20 */
    size_is("16777215T", MIB, 16777215ull << 40);

    refused("17592186044416", "a bare MiB count past 2^64 bytes");
    refused("16777216T", "2^64 bytes");
    refused("18446744073709551616B", "digits past 2^64");
    refused("2GB", "GB is not a unit");
    refused("2Q", "unknown unit");
    refused("2P", "no petabytes");
    refused("2 G", "a space");
    refused("1.5G", "no fractions");
    refused("-1", "a sign");
    refused("G", "no digits");
    refused("", "empty");
    refused("0x", "0x without digits");
    refused("2GG", "two units");
    refused("2iB", "iB without a letter");
    return tap_done();
}
