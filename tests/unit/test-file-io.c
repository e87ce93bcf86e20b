/* SPDX-License-Identifier: MIT */
/*
 * The input and output modules and the limit table (issue 12):
 * igk_parse_uint (no octal), igk_input_open (FIFO, size limit),
 * igk_input_pread (a file that shrinks), the SIGBUS guard of mapped inputs
 * (cli/signals.c, in a child process), output sets (all or none, inputs
 * refused) and that every limit is documented in igvmkit(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "file-input.h"
#include "file-output.h"
#include "resource-limits.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/igvmkit-file-io-XXXXXX";

static const char *in_dir(const char *name)
{
    static char path[4][256];
    static int next;

    next = (next + 1) % 4;
    snprintf(path[next], sizeof(path[next]), "%s/%s", dir, name);
    return path[next];
}

static void write_bytes(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

static void test_numbers(void)
{
    uint64_t v = 99;

    ok(igk_parse_uint("010", UINT64_MAX, &v) && v == 10, "010 is ten, not octal eight");
    ok(igk_parse_uint("08", UINT64_MAX, &v) && v == 8, "08 is eight, not an octal error");
    ok(igk_parse_uint("0x10", UINT64_MAX, &v) && v == 16, "0x10 is sixteen");
    ok(igk_parse_uint("0X1f", UINT64_MAX, &v) && v == 31, "0X1f is 31");
    ok(igk_parse_uint("18446744073709551615", UINT64_MAX, &v) && v == UINT64_MAX, "2^64-1");
    ok(!igk_parse_uint("18446744073709551616", UINT64_MAX, &v), "2^64 overflows");
    ok(!igk_parse_uint("", UINT64_MAX, &v), "empty refused");
    ok(!igk_parse_uint("0x", UINT64_MAX, &v), "0x alone refused");
    ok(!igk_parse_uint("-1", UINT64_MAX, &v), "sign refused");
    ok(!igk_parse_uint(" 1", UINT64_MAX, &v), "space refused");
    ok(!igk_parse_uint("1k", UINT64_MAX, &v), "suffix refused");
    ok(!igk_parse_uint("513", 512, &v), "above max refused");
}

static void test_inputs(void)
{
    struct igk_error err;
    uint64_t size = 0;
    uint8_t *data = NULL;
    size_t len = 0;
    char buf[1200];
    int fd;

    /* A FIFO without a writer: refused at once, not waited on. */
    if (mkfifo(in_dir("fifo"), 0600) == 0) {
        igk_error_clear(&err);
        fd = igk_input_open(in_dir("fifo"), IGK_LIMIT_SMALL_FILE, NULL, &size, &err);
        is_int(fd, IGK_E_IO, "FIFO refused as input");
        is_str(err.message, "not a regular file (a FIFO)", "FIFO message");
        is_str(err.path, in_dir("fifo"), "FIFO: path set");
    }

    /* The size is checked from fstat before anything is read. */
    fd = open(in_dir("sparse"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ok(fd >= 0 && ftruncate(fd, (off_t)2 << 20) == 0, "2 MiB sparse file");
    if (fd >= 0)
        close(fd);
    igk_error_clear(&err);
    is_int(
        igk_read_file_limit(in_dir("sparse"), IGK_LIMIT_SMALL_FILE, "--attach", &data, &len, &err),
        IGK_E_INVALID, "over the small-file limit: invalid");
    {
        char want[400];
        snprintf(want, sizeof(want),
                 "%s: --attach file size (2097152 bytes) exceeds the limit 'small-file' of "
                 "1048576 bytes",
                 in_dir("sparse"));
        is_str(igk_error_format(&err, buf, sizeof(buf)), want, "over the limit: message");
    }
    ok(data == NULL, "over the limit: nothing read");

    /* pread past the end: "changed while being read". */
    write_bytes(in_dir("short"), "abcd", 4);
    fd = igk_input_open(in_dir("short"), IGK_LIMIT_SMALL_FILE, NULL, &size, &err);
    ok(fd >= 0 && size == 4, "open a 4-byte file");
    if (fd >= 0) {
        uint8_t eight[8];

        igk_error_clear(&err);
        is_int(igk_input_pread(fd, eight, sizeof(eight), 0, in_dir("short"), &err), IGK_E_IO,
               "a file shorter than its size: I/O error");
        is_str(err.message, "changed while being read (it became shorter)",
               "a file shorter than its size: message");
        close(fd);
    }

    /* Every opened file is remembered by inode, for the output checks. */
    {
        struct stat st;

        ok(stat(in_dir("short"), &st) == 0 && igk_input_find(st.st_dev, st.st_ino) &&
               !strcmp(igk_input_find(st.st_dev, st.st_ino), in_dir("short")),
           "opened input remembered by device and inode");
    }
}

/* In a child: map a file, truncate it, touch the lost page: exit 6, not SIGBUS. */
static void test_sigbus_guard(void)
{
    int pipefd[2];
    pid_t pid;
    int status = 0;
    char msg[512] = "";
    ssize_t n;

    if (!ok(pipe(pipefd) == 0, "pipe"))
        return;
    pid = fork();
    if (pid == 0) {
        struct igk_mapped_file m;
        struct igk_error err;
        static char page[8192];
        volatile uint8_t sink;

        dup2(pipefd[1], STDERR_FILENO);
        cli_install_signal_handlers();
        memset(page, 'x', sizeof(page));
        write_bytes(in_dir("mapped"), page, sizeof(page));
        if (igk_map_file(in_dir("mapped"), &m, &err) < 0)
            _exit(90);
        if (truncate(in_dir("mapped"), 0) != 0)
            _exit(91);
        sink = m.data[4096];
        (void)sink;
        _exit(92);
    }
    close(pipefd[1]);
    /* The handler writes the message in pieces: read to end of file. */
    {
        size_t got = 0;

        while (got < sizeof(msg) - 1 && (n = read(pipefd[0], msg + got, sizeof(msg) - 1 - got)) > 0)
            got += (size_t)n;
        msg[got] = '\0';
    }
    close(pipefd[0]);
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 6,
       "truncated under a mapping: exit 6, not a signal (status 0x%x)", status);
    {
        char want[400];
        snprintf(want, sizeof(want),
                 "igvmkit: error: %s: changed while being read (it became shorter)\n",
                 in_dir("mapped"));
        is_str(msg, want, "truncated under a mapping: message names the file");
    }
}

static void test_output_sets(void)
{
    struct igk_output_set set;
    struct igk_error err;
    uint8_t *data = NULL;
    size_t len = 0;

    /* Two outputs, the second refused: the first is not published. */
    write_bytes(in_dir("old"), "old", 3);
    mkdir(in_dir("adir"), 0700);
    igk_output_set_init(&set);
    igk_error_clear(&err);
    is_int(igk_output_add_file(&set, in_dir("old"), "new", 3, &err), 0, "first output staged");
    is_int(igk_output_add_file(&set, in_dir("adir"), "x", 1, &err), IGK_E_IO,
           "second output onto a directory refused");
    igk_output_set_done(&set);
    ok(igk_read_file(in_dir("old"), &data, &len, &err) == 0 && len == 3 && !memcmp(data, "old", 3),
       "first output not published: old content intact");
    free(data);

    /* Both published at commit, not before. */
    igk_output_set_init(&set);
    is_int(igk_output_add_file(&set, in_dir("a"), "A", 1, &err), 0, "a staged");
    is_int(igk_output_add_file(&set, in_dir("b"), "B", 1, &err), 0, "b staged");
    ok(access(in_dir("a"), F_OK) != 0, "nothing published before commit");
    is_int(igk_output_commit(&set, &err), 0, "commit");
    igk_output_set_done(&set);
    ok(access(in_dir("a"), F_OK) == 0 && access(in_dir("b"), F_OK) == 0, "both published");

    /* A streamed output: written through a descriptor, published at commit. */
    {
        int fd = -1;

        igk_output_set_init(&set);
        is_int(igk_output_add_fd(&set, in_dir("streamed"), &fd, &err), 0, "fd output staged");
        ok(fd >= 0 && write(fd, "SSS", 3) == 3, "fd output written");
        is_int(igk_output_close_fd(fd, in_dir("streamed"), &err), 0, "fd output closed");
        ok(access(in_dir("streamed"), F_OK) != 0, "fd output: nothing published before commit");
        is_int(igk_output_commit(&set, &err), 0, "fd output: commit");
        igk_output_set_done(&set);
        ok(igk_read_file(in_dir("streamed"), &data, &len, &err) == 0 && len == 3 &&
               !memcmp(data, "SSS", 3),
           "fd output: content published");
        free(data);
        data = NULL;
    }

    /* An input of this run is refused. */
    igk_error_clear(&err);
    is_int(igk_output_write_one(in_dir("short"), "x", 1, &err), IGK_E_USAGE,
           "an input as output: usage error");
    is_str(err.message, "is an input of this run: refusing to overwrite it",
           "an input as output: message");
    igk_error_clear(&err);
    is_int(igk_output_write_one("", "x", 1, &err), IGK_E_USAGE, "empty output name: usage error");
}

static void test_limits_documented(void)
{
    const char *top = getenv("top_srcdir");
    char path[1024];
    uint8_t *man = NULL;
    size_t len = 0;
    struct igk_error err;

    snprintf(path, sizeof(path), "%s/man/igvmkit.1.pod", top ? top : "..");
    if (!ok(igk_read_file(path, &man, &len, &err) == 0, "read igvmkit.1.pod"))
        return;
    for (int id = 0; id < IGK_LIMIT_COUNT; id++) {
        const struct igk_limit *l = igk_limit((enum igk_limit_id)id);
        char row[200];

        snprintf(row, sizeof(row), "B<%s>", l->name);
        ok(strstr((const char *)man, row) != NULL, "limit '%s' documented in igvmkit(1)", l->name);
    }
    free(man);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_numbers();
    test_inputs();
    test_sigbus_guard();
    test_output_sets();
    test_limits_documented();
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
