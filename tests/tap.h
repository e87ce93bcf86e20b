/* SPDX-License-Identifier: MIT */
/*
 * A tiny TAP producer for the unit tests (header only).  Each check prints
 * "ok N - name" or "not ok N - name" plus diagnostics; tap_done() prints the
 * plan and returns the exit status (0 when everything passed).
 *
 *   ok(cond, "name %d", i);
 *   is_int(got, want, "name");
 *   is_str(got, want, "name");
 *   is_mem(got, want, len, "name");
 *   is_hex(bytes, len, "abcd...", "name");
 *   return tap_done();
 */
#ifndef IGK_TAP_H
#define IGK_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline bool tap_vok(bool cond, const char *fmt, va_list ap)
{
    tap_count++;
    if (!cond)
        tap_failed++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

static inline __attribute__((format(printf, 2, 3))) bool ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    bool r;

    va_start(ap, fmt);
    r = tap_vok(cond, fmt, ap);
    va_end(ap);
    return r;
}

static inline __attribute__((format(printf, 1, 2))) void diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static inline __attribute__((format(printf, 3, 4))) bool is_int(long long got, long long want,
                                                             const char *fmt, ...)
{
    va_list ap;
    bool r;

    va_start(ap, fmt);
    r = tap_vok(got == want, fmt, ap);
    va_end(ap);
    if (!r)
        diag("got %lld (%#llx), want %lld (%#llx)", got, (unsigned long long)got, want,
             (unsigned long long)want);
    return r;
}

static inline __attribute__((format(printf, 3, 4))) bool is_str(const char *got, const char *want,
                                                             const char *fmt, ...)
{
    va_list ap;
    bool r;

    va_start(ap, fmt);
    r = tap_vok(got && want && !strcmp(got, want), fmt, ap);
    va_end(ap);
    if (!r)
        diag("got '%s', want '%s'", got ? got : "(null)", want ? want : "(null)");
    return r;
}

static inline __attribute__((format(printf, 4, 5))) bool
is_mem(const void *got, const void *want, size_t n, const char *fmt, ...)
{
    va_list ap;
    bool r;

    va_start(ap, fmt);
    r = tap_vok(got && want && !memcmp(got, want, n), fmt, ap);
    va_end(ap);
    return r;
}

static inline void tap_hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* Compares bytes with a lower-case hex string. */
static inline __attribute__((format(printf, 4, 5))) bool
is_hex(const uint8_t *got, size_t n, const char *want_hex, const char *fmt, ...)
{
    char buf[2 * 256 + 1];
    va_list ap;
    bool r;

    if (n > 256)
        n = 256;
    tap_hex(got, n, buf);
    va_start(ap, fmt);
    r = tap_vok(!strcmp(buf, want_hex), fmt, ap);
    va_end(ap);
    if (!r)
        diag("got %s\n# want %s", buf, want_hex);
    return r;
}

static inline int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif /* IGK_TAP_H */
