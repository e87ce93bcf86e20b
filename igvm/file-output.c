/* SPDX-License-Identifier: MIT */
/* Output files: checked, staged, published all or none (file-output.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "file-input.h"
#include "file-output.h"
#include "util.h"

/* ---- temporaries known to the signal handlers ---- */

/* One per output of a set (a run has one set at a time). States and paths
 * apart, so that a scan of the states touches one page. */
#define MAX_SLOTS IGK_OUTPUT_MAX

struct temp_slot {
    char path[PATH_MAX];
};

static int slot_state[MAX_SLOTS]; /* 0 free, 1 being filled, 2 file, 3 directory */
static struct temp_slot slots[MAX_SLOTS];

static int slot_register(const char *path, bool directory)
{
    for (int i = 0; i < MAX_SLOTS; i++) {
        int expected = 0;

        if (!__atomic_compare_exchange_n(&slot_state[i], &expected, 1, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE))
            continue;
        snprintf(slots[i].path, sizeof(slots[i].path), "%s", path);
        __atomic_store_n(&slot_state[i], directory ? 3 : 2, __ATOMIC_RELEASE);
        return i;
    }
    return -1;
}

static void slot_release(int slot)
{
    if (slot >= 0 && slot < MAX_SLOTS)
        __atomic_store_n(&slot_state[slot], 0, __ATOMIC_RELEASE);
}

static bool slot_holds(const char *path)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (__atomic_load_n(&slot_state[i], __ATOMIC_ACQUIRE) >= 2 && !strcmp(slots[i].path, path))
            return true;
    return false;
}

/* Removes a flat directory with raw system calls only (async-signal safe). */
static void remove_flat_dir(const char *path)
{
    char buf[4096];
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd >= 0) {
        for (;;) {
            long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
            if (n <= 0)
                break;
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
                unsigned short reclen;
                const char *name = buf + off + 19;

                memcpy(&reclen, buf + off + 16, sizeof(reclen));
                if (strcmp(name, ".") && strcmp(name, ".."))
                    unlinkat(fd, name, 0);
                off += reclen;
            }
        }
        close(fd);
    }
    rmdir(path);
}

void igk_output_signal_cleanup(void)
{
    for (int i = 0; i < MAX_SLOTS; i++) {
        int state = __atomic_load_n(&slot_state[i], __ATOMIC_ACQUIRE);

        if (state == 2)
            unlink(slots[i].path);
        else if (state == 3)
            remove_flat_dir(slots[i].path);
    }
}

/* ---- helpers ---- */

static int io_error(struct igk_error *err, const char *path, const char *what, int errnum)
{
    igk_error_set_path(err, path);
    return igk_error_set(err, IGK_E_IO, "%s: %s", what, strerror(errnum));
}

static int oom(struct igk_error *err)
{
    return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
}

static mode_t current_umask(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return mask;
}

/* The directory part of path ("." when there is none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static const char *type_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/*
 * Removes temporaries of ours that a killed run left in dir: names with our
 * prefix, owned by us, unchanged for IGK_OUTPUT_STALE_SECONDS, and not
 * registered by this process.
 */
static void remove_stale(const char *dir)
{
    size_t prefix = strlen(IGK_OUTPUT_TEMP_PREFIX);
    time_t now = time(NULL);
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;

        if (strncmp(e->d_name, IGK_OUTPUT_TEMP_PREFIX, prefix) != 0)
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
            continue;
        if (lstat(path, &st) < 0 || st.st_uid != geteuid() ||
            now - st.st_mtime < IGK_OUTPUT_STALE_SECONDS || slot_holds(path))
            continue;
        if (S_ISREG(st.st_mode))
            unlink(path);
        else if (S_ISDIR(st.st_mode))
            remove_flat_dir(path);
    }
    closedir(d);
}

/* What an output path is, after the checks every output gets. */
struct target {
    enum igk_output_kind kind;
    char *target;
    bool existed;
    mode_t mode;
    dev_t dev;
    ino_t ino;
};

static int check_path(const char *path, const char *shown, bool directory, struct target *t,
                      struct igk_error *err);

static int check_target(const char *path, bool directory, struct target *t, struct igk_error *err)
{
    char *stripped;
    size_t n;
    int r;

    memset(t, 0, sizeof(*t));
    if (!path || !*path) {
        igk_error_set_path(err, "");
        return igk_error_set(err, IGK_E_USAGE, "the output file name is empty");
    }
    if (!directory)
        return check_path(path, path, false, t, err);
    /* "DIR/" names DIR. */
    if (!(stripped = strdup(path)))
        return oom(err);
    n = strlen(stripped);
    while (n > 1 && stripped[n - 1] == '/')
        stripped[--n] = '\0';
    r = check_path(stripped, path, true, t, err);
    free(stripped);
    return r;
}

static int check_path(const char *path, const char *shown, bool directory, struct target *t,
                      struct igk_error *err)
{
    const char *create = directory ? "cannot create output directory" : "cannot create output";
    struct stat st, lst;
    const char *input;
    char *dir;

    t->kind = directory ? IGK_OUTPUT_DIR : IGK_OUTPUT_FILE;
    if (lstat(path, &lst) < 0) {
        struct stat dst;

        if (errno != ENOENT)
            return io_error(err, shown, create, errno);
        /* A new name: its directory must exist. */
        if (!(dir = dir_of(path)))
            return oom(err);
        if (stat(dir, &dst) < 0 || !S_ISDIR(dst.st_mode)) {
            int e = stat(dir, &dst) < 0 ? errno : ENOTDIR;
            free(dir);
            return io_error(err, shown, create, e);
        }
        free(dir);
        if (!(t->target = strdup(path)))
            return oom(err);
        return 0;
    }
    st = lst;
    if (S_ISLNK(lst.st_mode) && stat(path, &st) < 0) {
        igk_error_set_path(err, shown);
        return igk_error_set(err, IGK_E_IO,
                             "is a symbolic link to a missing file: refusing to write through it");
    }
    if (!directory && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        /* /dev/stdout, /dev/null, a pipe: written through, never replaced. */
        t->kind = IGK_OUTPUT_STREAM;
        t->existed = true;
        t->dev = st.st_dev;
        t->ino = st.st_ino;
        if (!(t->target = strdup(path)))
            return oom(err);
        return 0;
    }
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        igk_error_set_path(err, shown);
        if (directory)
            return igk_error_set(err, IGK_E_IO, "cannot create output directory: %s",
                                 strerror(ENOTDIR));
        return igk_error_set(err, IGK_E_IO, "is %s: refusing to replace it with the output",
                             type_name(st.st_mode));
    }
    if ((input = igk_input_find(st.st_dev, st.st_ino))) {
        igk_error_set_path(err, shown);
        if (!strcmp(input, path))
            return igk_error_set(err, IGK_E_USAGE,
                                 "is an input of this run: refusing to overwrite it");
        return igk_error_set(err, IGK_E_USAGE,
                             "is an input of this run ('%s'): refusing to overwrite it", input);
    }
    t->existed = true;
    t->mode = st.st_mode & 07777;
    t->dev = st.st_dev;
    t->ino = st.st_ino;
    if (S_ISLNK(lst.st_mode)) {
        /* Replace the file the link points to; the link stays. */
        t->target = realpath(path, NULL);
        if (!t->target)
            return io_error(err, shown, "cannot resolve symbolic link", errno);
    } else if (!(t->target = strdup(path))) {
        return oom(err);
    }
    return 0;
}

int igk_output_check(const char *path, bool directory, struct igk_error *err)
{
    struct target t;
    int r = check_target(path, directory, &t, err);

    free(t.target);
    return r;
}

/* The target's directory resolved plus its name: compares outputs that do not exist yet. */
static char *canonical(const char *target)
{
    char *dir = dir_of(target), *real, *out = NULL;

    if (!dir)
        return NULL;
    real = realpath(dir, NULL);
    if (real && asprintf(&out, "%s/%s", real, base_of(target)) < 0)
        out = NULL;
    free(real);
    free(dir);
    return out;
}

static int check_distinct(const struct igk_output_set *set, const char *path,
                          const struct target *t, struct igk_error *err)
{
    char *mine = canonical(t->target);
    int r = 0;

    for (size_t i = 0; i < set->n && r == 0; i++) {
        const struct igk_output *o = &set->out[i];
        bool same = false;

        if (t->existed && o->existed)
            same = t->dev == o->dev && t->ino == o->ino;
        if (!same && mine) {
            char *theirs = canonical(o->target);
            same = theirs && !strcmp(mine, theirs);
            free(theirs);
        }
        if (same) {
            igk_error_set_path(err, path);
            r = igk_error_set(err, IGK_E_USAGE, "names the same file as the output '%s'", o->path);
        }
    }
    free(mine);
    return r;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void igk_output_set_init(struct igk_output_set *set)
{
    memset(set, 0, sizeof(*set));
    for (size_t i = 0; i < IGK_OUTPUT_MAX; i++)
        set->out[i].slot = -1;
}

static struct igk_output *new_output(struct igk_output_set *set, const char *path, struct target *t,
                                     struct igk_error *err)
{
    struct igk_output *o;

    if (set->n == IGK_OUTPUT_MAX) {
        free(t->target);
        igk_error_set(err, IGK_E_INTERNAL, "too many outputs in one run");
        return NULL;
    }
    o = &set->out[set->n];
    o->path = strdup(path);
    if (!o->path) {
        free(t->target);
        oom(err);
        return NULL;
    }
    o->kind = t->kind;
    o->target = t->target;
    o->existed = t->existed;
    o->mode = t->mode;
    o->dev = t->dev;
    o->ino = t->ino;
    o->slot = -1;
    set->n++;
    return o;
}

/* A fresh temporary beside target; file or directory. */
static int make_temp(struct igk_output *o, bool directory, struct igk_error *err)
{
    char *dir = dir_of(o->target);
    int fd = -1;

    if (!dir)
        return oom(err);
    remove_stale(dir);
    if (asprintf(&o->tmp, "%s/" IGK_OUTPUT_TEMP_PREFIX "XXXXXX", dir) < 0) {
        o->tmp = NULL;
        free(dir);
        return oom(err);
    }
    free(dir);
    if (directory) {
        if (!mkdtemp(o->tmp)) {
            int e = errno;
            free(o->tmp);
            o->tmp = NULL;
            return io_error(err, o->path, "cannot create output directory", e);
        }
    } else if ((fd = mkstemp(o->tmp)) < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        return io_error(err, o->path, "cannot create output", e);
    }
    o->slot = slot_register(o->tmp, directory);
    return directory ? 0 : fd;
}

int igk_output_add_file(struct igk_output_set *set, const char *path, const void *data, size_t len,
                        struct igk_error *err)
{
    struct igk_output *o;
    struct target t;
    mode_t mode;
    int fd, r;

    if ((r = check_target(path, false, &t, err)) < 0)
        return r;
    if ((r = check_distinct(set, path, &t, err)) < 0) {
        free(t.target);
        return r;
    }
    if (!(o = new_output(set, path, &t, err)))
        return IGK_E_INTERNAL;
    if (o->kind == IGK_OUTPUT_STREAM) {
        o->data = malloc(len ? len : 1);
        if (!o->data)
            return oom(err);
        if (len)
            memcpy(o->data, data, len);
        o->len = len;
        return 0;
    }
    if ((fd = make_temp(o, false, err)) < 0)
        return fd;
    mode = o->existed ? o->mode : (0666 & ~current_umask());
    if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        return io_error(err, path, "cannot write", e);
    }
    if (close(fd) < 0)
        return io_error(err, path, "cannot write", errno);
    return 0;
}

static int open_stream(const struct igk_output *o, struct igk_error *err);

int igk_output_add_fd(struct igk_output_set *set, const char *path, int *ret_fd,
                      struct igk_error *err)
{
    struct igk_output *o;
    struct target t;
    int fd, r;

    *ret_fd = -1;
    if ((r = check_target(path, false, &t, err)) < 0)
        return r;
    if ((r = check_distinct(set, path, &t, err)) < 0) {
        free(t.target);
        return r;
    }
    if (!(o = new_output(set, path, &t, err)))
        return IGK_E_INTERNAL;
    if (o->kind == IGK_OUTPUT_STREAM) {
        /* Written as it comes: a stream cannot wait for the commit. */
        if ((fd = open_stream(o, err)) < 0)
            return fd;
        *ret_fd = fd;
        return 0;
    }
    if ((fd = make_temp(o, false, err)) < 0)
        return fd;
    if (fchmod(fd, o->existed ? o->mode : (0666 & ~current_umask())) < 0) {
        int e = errno;
        close(fd);
        return io_error(err, path, "cannot create output", e);
    }
    *ret_fd = fd;
    return 0;
}

int igk_output_close_fd(int fd, const char *path, struct igk_error *err)
{
    struct stat st;

    /* fsync() fails with EINVAL on pipes and character devices: only sync files. */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fsync(fd) < 0) {
        int e = errno;
        close(fd);
        return io_error(err, path, "cannot write", e);
    }
    if (close(fd) < 0 && errno != EINTR)
        return io_error(err, path, "cannot write", errno);
    return 0;
}

int igk_output_add_dir(struct igk_output_set *set, const char *path, const char **ret_tmpdir,
                       struct igk_error *err)
{
    struct igk_output *o;
    struct target t;
    int r;

    if ((r = check_target(path, true, &t, err)) < 0)
        return r;
    if ((r = check_distinct(set, path, &t, err)) < 0) {
        free(t.target);
        return r;
    }
    if (!(o = new_output(set, path, &t, err)))
        return IGK_E_INTERNAL;
    /* A trailing slash would put the temporary inside the target. */
    {
        size_t n = strlen(o->target);
        while (n > 1 && o->target[n - 1] == '/')
            o->target[--n] = '\0';
    }
    if ((r = make_temp(o, true, err)) < 0)
        return r;
    if (chmod(o->tmp, o->existed ? o->mode : (0777 & ~current_umask())) < 0)
        return io_error(err, path, "cannot create output directory", errno);
    *ret_tmpdir = o->tmp;
    return 0;
}

static int open_stream(const struct igk_output *o, struct igk_error *err)
{
    /* O_NONBLOCK: a FIFO nobody reads fails (ENXIO) instead of waiting forever. */
    int fd = open(o->target, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int flags;

    if (fd < 0)
        return io_error(err, o->path, "cannot write", errno == ENXIO ? EPIPE : errno);
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

static int write_stream(struct igk_output *o, struct igk_error *err)
{
    int fd;

    if (!o->data)
        return 0; /* igk_output_add_fd(): already written */
    if ((fd = open_stream(o, err)) < 0)
        return fd;
    if (write_all(fd, o->data, o->len) < 0) {
        int e = errno;
        close(fd);
        return io_error(err, o->path, "cannot write", e);
    }
    if (close(fd) < 0 && errno != EINTR)
        return io_error(err, o->path, "cannot write", errno);
    return 0;
}

/* Puts the outputs renamed so far back as they were. */
static void roll_back(struct igk_output_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct igk_output *o = &set->out[i];

        if (!o->renamed)
            continue;
        if (o->backup)
            rename(o->backup, o->target);
        else if (o->kind == IGK_OUTPUT_DIR)
            remove_flat_dir(o->target);
        else
            unlink(o->target);
        o->renamed = false;
    }
}

int igk_output_commit(struct igk_output_set *set, struct igk_error *err)
{
    int r = 0;

    for (size_t i = 0; i < set->n && r == 0; i++)
        if (set->out[i].kind == IGK_OUTPUT_STREAM)
            r = write_stream(&set->out[i], err);
    /* Hard links of the files about to be replaced, for roll_back(). */
    for (size_t i = 0; i < set->n && r == 0; i++) {
        struct igk_output *o = &set->out[i];

        if (o->kind != IGK_OUTPUT_FILE || !o->existed || !o->tmp)
            continue;
        if (asprintf(&o->backup, "%s-old", o->tmp) < 0) {
            o->backup = NULL;
            r = oom(err);
        } else if (link(o->target, o->backup) < 0) {
            /* No hard links here: the replaced file cannot be restored. */
            free(o->backup);
            o->backup = NULL;
        }
    }
    for (size_t i = 0; i < set->n && r == 0; i++) {
        struct igk_output *o = &set->out[i];

        if (o->kind == IGK_OUTPUT_STREAM)
            continue;
        if (rename(o->tmp, o->target) < 0) {
            int e = errno;
            if (o->kind == IGK_OUTPUT_DIR && (e == ENOTEMPTY || e == EEXIST))
                r = io_error(err, o->path, "cannot replace output directory", ENOTEMPTY);
            else
                r = io_error(err, o->path,
                             o->kind == IGK_OUTPUT_DIR ? "cannot create output directory"
                                                       : "cannot rename output into place",
                             e);
            break;
        }
        o->renamed = true;
        slot_release(o->slot);
        o->slot = -1;
        free(o->tmp);
        o->tmp = NULL;
    }
    if (r < 0)
        roll_back(set);
    for (size_t i = 0; i < set->n; i++) {
        struct igk_output *o = &set->out[i];

        if (o->backup) {
            unlink(o->backup);
            free(o->backup);
            o->backup = NULL;
        }
    }
    if (r == 0)
        set->committed = true;
    return r;
}

void igk_output_set_done(struct igk_output_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct igk_output *o = &set->out[i];

        if (o->tmp) {
            if (o->kind == IGK_OUTPUT_DIR)
                remove_flat_dir(o->tmp);
            else
                unlink(o->tmp);
        }
        slot_release(o->slot);
        free(o->path);
        free(o->target);
        free(o->tmp);
        free(o->backup);
        free(o->data);
    }
    igk_output_set_init(set);
}

int igk_output_write_one(const char *path, const void *data, size_t len, struct igk_error *err)
{
    struct igk_output_set set;
    int r;

    igk_output_set_init(&set);
    r = igk_output_add_file(&set, path, data, len, err);
    if (r == 0)
        r = igk_output_commit(&set, err);
    igk_output_set_done(&set);
    return r;
}
