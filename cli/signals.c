/* SPDX-License-Identifier: MIT */
/*
 * Signals the program handles (igvmkit(1), SIGNALS):
 *  - SIGINT, SIGTERM, SIGHUP, SIGPIPE: remove this run's temporary outputs
 *    (file-output.h), then die of the signal as usual (a closed pipe on
 *    -o /dev/stdout must not leave the other outputs' temporaries behind);
 *  - SIGBUS inside the mapping of an input file: the file was truncated by
 *    another process while it was read.  Print "FILE: changed while being
 *    read", remove the temporaries and exit 6 (I/O) instead of dying.  Any
 *    other SIGBUS is a bug and keeps its default action.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "file-input.h"
#include "file-output.h"

static void write_str(const char *s)
{
    size_t n = strlen(s);

    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_terminate(int sig)
{
    igk_output_signal_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_bus(int sig, siginfo_t *info, void *context)
{
    const char *path = igk_input_fault_path(info->si_addr);

    (void)context;
    igk_output_signal_cleanup();
    if (path) {
        write_str("igvmkit: error: ");
        write_str(path);
        write_str(": changed while being read (it became shorter)\n");
        _exit(IGK_EXIT_IO);
    }
    signal(sig, SIG_DFL); /* returning re-runs the access and dies of it */
}

void cli_install_signal_handlers(void)
{
    struct sigaction sa;
    static const int terminating[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_terminate;
    for (size_t i = 0; i < sizeof(terminating) / sizeof(terminating[0]); i++) {
        struct sigaction old;

        /* Keep a signal ignored by whoever started us ignored (nohup). */
        if (sigaction(terminating[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(terminating[i], &sa, NULL);
    }
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
}
