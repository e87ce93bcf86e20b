/* SPDX-License-Identifier: MIT */
/* Input files: open, check, read and map (file-input.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "file-input.h"
#include "util.h"

/* Inputs opened by this process, for igk_input_find(); a run opens a handful. */
#define MAX_KNOWN_INPUTS 64

struct known_input {
    dev_t dev;
    ino_t ino;
    char path[512];
};

static struct known_input known[MAX_KNOWN_INPUTS];
static size_t n_known;
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;

/* Live mappings, for igk_input_fault_path() (read from a signal handler). */
#define MAX_MAPPINGS 32

struct mapping_slot {
    uintptr_t start, end; /* end == 0: free */
    char path[512];
};

static struct mapping_slot mappings[MAX_MAPPINGS];

static void remember(dev_t dev, ino_t ino, const char *path)
{
    pthread_mutex_lock(&known_lock);
    for (size_t i = 0; i < n_known; i++)
        if (known[i].dev == dev && known[i].ino == ino)
            goto out;
    if (n_known < MAX_KNOWN_INPUTS) {
        known[n_known].dev = dev;
        known[n_known].ino = ino;
        snprintf(known[n_known].path, sizeof(known[n_known].path), "%s", path);
        n_known++;
    }
out:
    pthread_mutex_unlock(&known_lock);
}

const char *igk_input_find(dev_t dev, ino_t ino)
{
    const char *found = NULL;

    pthread_mutex_lock(&known_lock);
    for (size_t i = 0; i < n_known && !found; i++)
        if (known[i].dev == dev && known[i].ino == ino)
            found = known[i].path;
    pthread_mutex_unlock(&known_lock);
    return found;
}

static void register_mapping(const void *start, size_t size, const char *path)
{
    for (size_t i = 0; i < MAX_MAPPINGS; i++) {
        uintptr_t expected = 0;

        if (__atomic_load_n(&mappings[i].end, __ATOMIC_ACQUIRE) != 0)
            continue;
        /* Claim the slot with start = 1 so that no other thread takes it. */
        if (!__atomic_compare_exchange_n(&mappings[i].start, &expected, 1, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE))
            continue;
        snprintf(mappings[i].path, sizeof(mappings[i].path), "%s", path);
        __atomic_store_n(&mappings[i].start, (uintptr_t)start, __ATOMIC_RELEASE);
        __atomic_store_n(&mappings[i].end, (uintptr_t)start + size, __ATOMIC_RELEASE);
        return;
    }
    /* All slots busy: the mapping is unguarded, a truncation would end the program. */
}

static void unregister_mapping(const void *start)
{
    for (size_t i = 0; i < MAX_MAPPINGS; i++)
        if (__atomic_load_n(&mappings[i].end, __ATOMIC_ACQUIRE) != 0 &&
            __atomic_load_n(&mappings[i].start, __ATOMIC_ACQUIRE) == (uintptr_t)start) {
            __atomic_store_n(&mappings[i].end, 0, __ATOMIC_RELEASE);
            __atomic_store_n(&mappings[i].start, 0, __ATOMIC_RELEASE);
            return;
        }
}

const char *igk_input_fault_path(const void *addr)
{
    uintptr_t a = (uintptr_t)addr;

    for (size_t i = 0; i < MAX_MAPPINGS; i++) {
        uintptr_t end = __atomic_load_n(&mappings[i].end, __ATOMIC_ACQUIRE);
        uintptr_t start = __atomic_load_n(&mappings[i].start, __ATOMIC_ACQUIRE);

        if (end && a >= start && a < end)
            return mappings[i].path;
    }
    return NULL;
}

static int io_error(struct igk_error *err, const char *path, const char *what, int errnum)
{
    igk_error_set_path(err, path);
    return igk_error_set(err, IGK_E_IO, "%s: %s", what, strerror(errnum));
}

static const char *file_type(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "neither file nor directory";
}

int igk_input_open(const char *path, enum igk_limit_id limit, const char *what, uint64_t *ret_size,
                   struct igk_error *err)
{
    struct stat st;
    int fd;

    if (!path || !*path) {
        igk_error_set_path(err, "");
        return igk_error_set(err, IGK_E_USAGE, "%s%san empty file name was given", what ? what : "",
                             what ? ": " : "");
    }
    /* O_NONBLOCK: open() of a FIFO without a writer would otherwise wait forever. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, path, "cannot open", errno);
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return io_error(err, path, "cannot stat", e);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return io_error(err, path, "cannot read", EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        igk_error_set_path(err, path);
        return igk_error_set(err, IGK_E_IO, "not a regular file (%s)", file_type(st.st_mode));
    }
    if ((uint64_t)st.st_size > igk_limit_value(limit)) {
        char desc[160];

        close(fd);
        snprintf(desc, sizeof(desc), "%s%sfile size", what ? what : "", what ? " " : "");
        igk_limit_fail(err, limit, desc, (uint64_t)st.st_size);
        igk_error_set_path(err, path);
        return IGK_E_INVALID;
    }
    remember(st.st_dev, st.st_ino, path);
    *ret_size = (uint64_t)st.st_size;
    return fd;
}

int igk_input_pread(int fd, void *buf, size_t len, uint64_t offset, const char *path,
                    struct igk_error *err)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t got = pread(fd, p, len, (off_t)offset);

        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return io_error(err, path, "cannot read", errno);
        if (got == 0) {
            igk_error_set_path(err, path);
            return igk_error_set(err, IGK_E_IO, "changed while being read (it became shorter)");
        }
        p += got;
        len -= (size_t)got;
        offset += (uint64_t)got;
    }
    return 0;
}

int igk_read_file_limit(const char *path, enum igk_limit_id limit, const char *what,
                        uint8_t **ret_data, size_t *ret_size, struct igk_error *err)
{
    uint64_t size = 0;
    uint8_t *data;
    int fd, r;

    fd = igk_input_open(path, limit, what, &size, err);
    if (fd < 0)
        return fd;
    data = malloc((size_t)size + 1);
    if (!data) {
        close(fd);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    r = igk_input_pread(fd, data, (size_t)size, 0, path, err);
    close(fd);
    if (r < 0) {
        free(data);
        return r;
    }
    data[size] = 0;
    *ret_data = data;
    *ret_size = (size_t)size;
    return 0;
}

int igk_map_file_limit(const char *path, enum igk_limit_id limit, const char *what,
                       struct igk_mapped_file *ret, struct igk_error *err)
{
    uint64_t size = 0;
    void *map;
    int fd;

    memset(ret, 0, sizeof(*ret));
    ret->fd = -1;
    fd = igk_input_open(path, limit, what, &size, err);
    if (fd < 0)
        return fd;
    if (size == 0) {
        close(fd);
        return 0;
    }
    /* No MAP_POPULATE: the size is the file's, and measuring reads page data
     * with pread (measure/page-pipeline.h), so only headers are touched here. */
    map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        int e = errno;
        close(fd);
        return io_error(err, path, "cannot map", e);
    }
    register_mapping(map, (size_t)size, path);
    ret->map = map;
    ret->map_size = (size_t)size;
    ret->data = map;
    ret->size = (size_t)size;
    ret->fd = fd;
    return 0;
}

int igk_map_file(const char *path, struct igk_mapped_file *ret, struct igk_error *err)
{
    return igk_map_file_limit(path, IGK_LIMIT_IGVM_FILE, NULL, ret, err);
}

void igk_unmap_file(struct igk_mapped_file *file)
{
    if (!file)
        return;
    if (file->map) {
        unregister_mapping(file->map);
        munmap(file->map, file->map_size);
        close(file->fd);
    }
    memset(file, 0, sizeof(*file));
    file->fd = -1;
}

int igk_read_file(const char *path, uint8_t **ret_data, size_t *ret_size, struct igk_error *err)
{
    return igk_read_file_limit(path, IGK_LIMIT_IGVM_FILE, NULL, ret_data, ret_size, err);
}

int igk_sha256_file(const char *path, enum igk_limit_id limit, const char *what, uint8_t out[32],
                    struct igk_error *err)
{
    uint8_t buf[65536];
    uint64_t size = 0, off = 0;
    unsigned int out_len = 0;
    EVP_MD_CTX *ctx;
    int fd, r = 0;

    fd = igk_input_open(path, limit, what, &size, err);
    if (fd < 0)
        return fd;
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
    while (r == 0 && off < size) {
        size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);

        r = igk_input_pread(fd, buf, n, off, path, err);
        if (r == 0 && EVP_DigestUpdate(ctx, buf, n) != 1)
            r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        off += n;
    }
    if (r == 0 && EVP_DigestFinal_ex(ctx, out, &out_len) != 1)
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
    EVP_MD_CTX_free(ctx);
    close(fd);
    return r;
}
