/* SPDX-License-Identifier: MIT */
/* Progress lines on stderr: see progress.h. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define DELAY 1.0    /* seconds before the first line */
#define INTERVAL 0.2 /* seconds between lines */
#define MIB (1024.0 * 1024.0)

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* IGVMKIT_PROGRESS_DELAY: seconds before the first line (igvmkit(1), ENVIRONMENT). */
static double first_delay(void)
{
    const char *s = getenv("IGVMKIT_PROGRESS_DELAY");
    char *end;
    double d;

    if (!s || !*s)
        return DELAY;
    d = strtod(s, &end);
    return *end || !(d >= 0 && d <= 3600) ? DELAY : d;
}

void cli_progress_start(struct cli_progress *p, const char *what, bool quiet)
{
    p->what = what;
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->shown = false;
    p->delay = p->enabled ? first_delay() : DELAY;
    p->start = p->enabled ? now() : 0;
    p->last = 0;
    p->done = p->total = 0;
}

static void print_line(struct cli_progress *p, double t)
{
    double elapsed = t - p->start;

    fprintf(stderr, "\r%s: %.1f / %.1f MiB %3u%% %.1f MiB/s ", p->what, (double)p->done / MIB,
            (double)p->total / MIB,
            p->total ? (unsigned)(100.0 * (double)p->done / (double)p->total) : 100u,
            elapsed > 0 ? (double)p->done / MIB / elapsed : 0.0);
    p->shown = true;
    p->last = t;
}

void cli_progress_update(uint64_t done, uint64_t total, void *user)
{
    struct cli_progress *p = user;
    double t;

    if (!p || !p->enabled)
        return;
    p->done = done;
    p->total = total;
    t = now();
    if (t - p->start < p->delay || t - p->last < INTERVAL)
        return;
    print_line(p, t);
}

void cli_progress_end(struct cli_progress *p)
{
    /* Once a line was shown, the last one has the final count (as pv ends). */
    if (p->shown) {
        print_line(p, now());
        fputc('\n', stderr);
    }
    p->shown = false;
}
