/* SPDX-License-Identifier: MIT */
/* Shared internal helpers: hex, digests, file mapping, atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "util.h"

void igk_hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    out[2 * n] = '\0';
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int igk_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    if (strlen(hex) != 2 * n)
        return IGK_E_INVALID;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return IGK_E_INVALID;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static int digest(const EVP_MD *md, const void *data, size_t len, uint8_t *out)
{
    unsigned int out_len = 0;

    return EVP_Digest(data, len, out, &out_len, md, NULL) == 1 ? 0 : IGK_E_INTERNAL;
}

int igk_sha256(const void *data, size_t len, uint8_t out[IGK_SHA256_LEN])
{
    return digest(EVP_sha256(), data, len, out);
}

int igk_sha384(const void *data, size_t len, uint8_t out[IGK_SHA384_LEN])
{
    return digest(EVP_sha384(), data, len, out);
}

static int io_error(struct igk_error *err, const char *path, const char *what, int errnum)
{
    igk_error_set_path(err, path);
    return igk_error_set(err, IGK_E_IO, "%s: %s", what, strerror(errnum));
}

int igk_map_file(const char *path, struct igk_mapped_file *ret, struct igk_error *err)
{
    struct stat st;
    int fd;

    memset(ret, 0, sizeof(*ret));
    ret->fd = -1;
    fd = open(path, O_RDONLY | O_CLOEXEC);
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
        return igk_error_set(err, IGK_E_IO, "not a regular file");
    }
    if (st.st_size > 0) {
        /* MAP_POPULATE: the measurer reads every page once; faulting the
         * mapping in one go costs far less than one fault per 4 KiB page. */
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (map == MAP_FAILED) {
            int e = errno;
            close(fd);
            return io_error(err, path, "cannot map", e);
        }
        ret->map = map;
        ret->map_size = (size_t)st.st_size;
        ret->data = map;
        ret->size = (size_t)st.st_size;
        ret->fd = fd;
        return 0;
    }
    close(fd);
    return 0;
}

void igk_unmap_file(struct igk_mapped_file *file)
{
    if (!file)
        return;
    if (file->map) {
        munmap(file->map, file->map_size);
        close(file->fd);
    }
    memset(file, 0, sizeof(*file));
    file->fd = -1;
}

int igk_read_file(const char *path, uint8_t **ret_data, size_t *ret_size, struct igk_error *err)
{
    struct igk_mapped_file m;
    uint8_t *copy;
    int r;

    r = igk_map_file(path, &m, err);
    if (r < 0)
        return r;
    copy = malloc(m.size + 1);
    if (!copy) {
        igk_unmap_file(&m);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    if (m.size)
        memcpy(copy, m.data, m.size);
    copy[m.size] = 0;
    *ret_size = m.size;
    *ret_data = copy;
    igk_unmap_file(&m);
    return 0;
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

int igk_write_file_atomic(const char *path, const void *data, size_t len, struct igk_error *err)
{
    char *dir_copy = strdup(path), *tmp = NULL;
    int fd = -1, r = 0;

    if (!dir_copy)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (asprintf(&tmp, "%s/.igvmkit-XXXXXX", dirname(dir_copy)) < 0) {
        free(dir_copy);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        r = io_error(err, path, "cannot create output", errno);
        goto out;
    }
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        r = io_error(err, path, "cannot write", errno);
        goto out;
    }
    /* mkstemp creates 0600; give the output the usual umask-based mode. */
    {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    if (close(fd) < 0) {
        fd = -1;
        r = io_error(err, path, "cannot write", errno);
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        r = io_error(err, path, "cannot rename output into place", errno);
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (r < 0 && tmp)
        unlink(tmp);
    free(tmp);
    free(dir_copy);
    return r;
}
