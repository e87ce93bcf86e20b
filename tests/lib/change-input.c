/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim for the "input changed while being packed" tests: changes
 * the file named by IGK_TEST_CHANGE_PATH at a chosen moment of a pack run,
 * deterministically, which a concurrent writer could only do by luck.
 *
 *   IGK_TEST_CHANGE=shrink|grow|modify   at the first fsync() (the output
 *                                        is written; the inputs were read)
 *   IGK_TEST_CHANGE=shrink-early         at the first pread() of the file
 *                                        itself (it is being hashed)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The build hides symbols by default (-fvisibility=hidden). */
#define SHIM_PUBLIC __attribute__((visibility("default")))

static int done;

/* when: "fsync", or "early" with the fd about to be read (-1 for fsync). */
static void change(const char *when, int read_fd)
{
    const char *path = getenv("IGK_TEST_CHANGE_PATH"), *how = getenv("IGK_TEST_CHANGE");
    struct stat st;
    int fd;

    if (done || !path || !how)
        return;
    if (strcmp(when, "fsync") == 0 ? strcmp(how, "shrink-early") == 0
                                   : strcmp(how, "shrink-early") != 0)
        return;
    if (read_fd >= 0) { /* early: only when the input itself is read */
        struct stat a, b;

        if (fstat(read_fd, &a) < 0 || stat(path, &b) < 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev)
            return;
    }
    done = 1;
    fd = open(path, O_RDWR);
    if (fd < 0 || fstat(fd, &st) < 0)
        abort();
    if (!strcmp(how, "shrink") || !strcmp(how, "shrink-early")) {
        if (ftruncate(fd, st.st_size / 2) < 0)
            abort();
    } else if (!strcmp(how, "grow")) {
        if (ftruncate(fd, st.st_size + 4096) < 0)
            abort();
    } else { /* modify: same size, one byte flipped, mtime a second later */
        unsigned char c;
        struct timespec times[2];

        if (pread(fd, &c, 1, 0) != 1)
            abort();
        c ^= 0xFF;
        if (pwrite(fd, &c, 1, 0) != 1)
            abort();
        times[0] = st.st_atim;
        times[1] = st.st_mtim;
        times[1].tv_sec += 1;
        futimens(fd, times);
    }
    close(fd);
}

SHIM_PUBLIC int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

    change("fsync", -1);
    return real(fd);
}

SHIM_PUBLIC ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
    ssize_t (*real)(int, void *, size_t, off_t) =
        (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");

    change("early", fd);
    return real(fd, buf, len, off);
}

SHIM_PUBLIC ssize_t pread64(int fd, void *buf, size_t len, off_t off)
{
    ssize_t (*real)(int, void *, size_t, off_t) =
        (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");

    change("early", fd);
    return real(fd, buf, len, off);
}
