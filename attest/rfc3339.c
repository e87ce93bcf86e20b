/* SPDX-License-Identifier: MIT */
/*
 * RFC 3339 date-times for `verify --at` (certificate validity of archived
 * evidence is judged at the time the user names): "YYYY-MM-DDTHH:MM:SS",
 * optional fraction (ignored), then "Z" or "+HH:MM" / "-HH:MM" (RFC 3339,
 * section 5.6).  Converted without the C library's time zone state.
 */
#include <stdio.h>
#include <string.h>

#include <igvmkit/attest.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, unsigned *ret)
{
    unsigned v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *ret = v;
    return true;
}

static bool leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int igk_time_parse_rfc3339(const char *s, int64_t *ret, struct igk_error *err)
{
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
    const char *p;
    int sign = 0;

    if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec))
        goto bad;
    p = s + 19;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            goto bad;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == 0) {
        sign = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2, &oh) && p[3] == ':' &&
               digits(p + 4, 2, &om) && oh < 24 && om < 60) {
        sign = *p == '+' ? 1 : -1;
    } else {
        goto bad;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
        mi > 59 || sec > 60)
        goto bad;
    *ret = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) -
           sign * (int64_t)(oh * 3600 + om * 60);
    return 0;
bad:
    return igk_error_set(err, IGK_E_USAGE,
                         "'%s' is not an RFC 3339 date-time (like 2025-06-01T12:00:00Z)", s);
}

void igk_time_format(int64_t t, char out[32])
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    /* civil_from_days (inverse of days_from_civil) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;

    y += m <= 2;
    snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)(y % 100000), (uint8_t)m,
             (uint8_t)d, (uint8_t)(secs / 3600), (uint8_t)(secs / 60 % 60), (uint8_t)(secs % 60));
}
