/* SPDX-License-Identifier: MIT */
/* Progress lines on stderr: see progress.h. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define DELAY 1.0    /* seconds before the first line */
#define INTERVAL 0.2 /* seconds between lines */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(struct cli_progress *p, const char *what, bool quiet)
{
    p->what = what;
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->shown = false;
    p->start = p->enabled ? now() : 0;
    p->last = 0;
}

static void print_line(struct cli_progress *p, uint64_t done, uint64_t total, double t)
{
    double mib = 1024.0 * 1024.0, elapsed = t - p->start;

    fprintf(stderr, "\r%s: %.1f / %.1f MiB %3u%% %.1f MiB/s ", p->what, (double)done / mib,
            (double)total / mib, total ? (unsigned)(100.0 * (double)done / (double)total) : 100u,
            elapsed > 0 ? (double)done / mib / elapsed : 0.0);
    p->shown = true;
    p->last = t;
}

void cli_progress_update(uint64_t done, uint64_t total, void *user)
{
    struct cli_progress *p = user;
    double t;

    if (!p || !p->enabled)
        return;
    t = now();
    if (t - p->start < DELAY || t - p->last < INTERVAL)
        return;
    print_line(p, done, total, t);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->shown)
        fputc('\n', stderr);
    p->shown = false;
}
