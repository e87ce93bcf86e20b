/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sparse-file.h"

#define PAGE 4096u

static const uint8_t zero_page[PAGE];

bool sparse_open(struct sparse_file *f, const char *path)
{
    memset(f, 0, sizeof(*f));
    f->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    return f->fd >= 0;
}

static void put(struct sparse_file *f, const uint8_t *data, size_t len)
{
    while (len && !f->error) {
        ssize_t n = pwrite(f->fd, data, len, (off_t)f->size);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            f->error = n < 0 ? errno : EIO;
            return;
        }
        data += n;
        len -= (size_t)n;
        f->size += (uint64_t)n;
        f->written += (uint64_t)n;
    }
}

static bool is_zero(const uint8_t *data, size_t len)
{
    return !data || (data[0] == 0 && !memcmp(data, zero_page, len));
}

void sparse_append(struct sparse_file *f, const uint8_t *data, size_t len)
{
    while (len && !f->error) {
        /* Up to the next page boundary, so that holes stay page aligned. */
        size_t chunk = PAGE - (size_t)(f->size % PAGE);

        if (chunk > len)
            chunk = len;
        if (chunk == PAGE && is_zero(data, PAGE))
            f->size += PAGE; /* a hole: nothing written */
        else
            put(f, data ? data : zero_page, chunk);
        if (data)
            data += chunk;
        len -= chunk;
    }
}

int sparse_close(struct sparse_file *f)
{
    int e = f->error;

    /* Holes at the end exist only once the size says so. */
    if (!e && ftruncate(f->fd, (off_t)f->size) != 0)
        e = errno;
    if (close(f->fd) != 0 && !e)
        e = errno;
    f->fd = -1;
    return e;
}
