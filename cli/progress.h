/* SPDX-License-Identifier: MIT */
/*
 * Progress on stderr for long steps, in the style of pv(1): bytes done,
 * total, percentage and rate on one line rewritten with a carriage return.
 * Shown only when stderr is a terminal, not --quiet, and only once a step
 * has run for a second (IGVMKIT_PROGRESS_DELAY seconds, for tests), so
 * quick runs and logs stay clean.  Once shown, the step ends with a line of
 * its final count.
 */
#ifndef IGK_CLI_PROGRESS_H
#define IGK_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct cli_progress {
    const char *what;
    bool enabled; /* stderr is a terminal and not quiet */
    bool shown;   /* a line was printed */
    double delay; /* seconds before the first line */
    double start, last;
    uint64_t done, total; /* as last reported */
};

void cli_progress_start(struct cli_progress *p, const char *what, bool quiet);

/* An igk_progress_fn: user is the struct cli_progress. */
void cli_progress_update(uint64_t done, uint64_t total, void *user);

/* Ends the line, with the final count, if one was shown. */
void cli_progress_end(struct cli_progress *p);

#endif /* IGK_CLI_PROGRESS_H */
