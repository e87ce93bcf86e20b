/* SPDX-License-Identifier: MIT */
/* Input files a built model refers to: see held-input.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <igvmkit/igvm.h>

#include "held-input.h"
#include "model-private.h"

static int map_fail(struct igk_error *err, const char *path, const char *what, int errnum)
{
    igk_error_set_path(err, path);
    return igk_error_set(err, IGK_E_IO, "%s: %s", what, strerror(errnum));
}

int igk_map_input(const char *path, struct igk_mapped_file *ret, struct igk_error *err)
{
    struct stat st;
    void *map;
    int fd, e;

    memset(ret, 0, sizeof(*ret));
    ret->fd = -1;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return map_fail(err, path, "cannot open", errno);
    if (fstat(fd, &st) < 0) {
        e = errno;
        close(fd);
        return map_fail(err, path, "cannot stat", e);
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode))
            return map_fail(err, path, "cannot read", EISDIR);
        igk_error_set_path(err, path);
        return igk_error_set(err, IGK_E_IO, "not a regular file");
    }
    if (st.st_size == 0) {
        close(fd);
        return 0;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        e = errno;
        close(fd);
        return map_fail(err, path, "cannot map", e);
    }
    ret->map = map;
    ret->map_size = (size_t)st.st_size;
    ret->data = map;
    ret->size = (size_t)st.st_size;
    ret->fd = fd;
    return 0;
}

int igk_igvm_hold_input(struct igk_igvm *igvm, struct igk_mapped_file *file, const char *name,
                        const uint8_t **ret_data, struct igk_error *err)
{
    struct igk_igvm_private *p = igvm->priv;
    struct igk_held_input *held, *in;

    *ret_data = NULL;
    if (!file->map) { /* an empty file: nothing to refer to */
        *ret_data = (const uint8_t *)"";
        return 0;
    }
    held = realloc(p->held, (p->n_held + 1) * sizeof(*held));
    if (!held)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    p->held = held;
    in = &held[p->n_held];
    memset(in, 0, sizeof(*in));
    if (fstat(file->fd, &in->st) < 0) {
        igk_error_set_path(err, name);
        return igk_error_set(err, IGK_E_IO, "cannot stat: %s", strerror(errno));
    }
    in->name = strdup(name ? name : "input");
    if (!in->name)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    in->file = *file;
    memset(file, 0, sizeof(*file));
    file->fd = -1;
    p->n_held++;
    *ret_data = in->file.data;
    return 0;
}

const struct igk_held_input *igk_held_input_find(const struct igk_igvm *igvm, const uint8_t *p,
                                                 size_t len)
{
    const struct igk_igvm_private *priv = igvm->priv;

    for (size_t i = 0; p && i < priv->n_held; i++) {
        const struct igk_held_input *in = &priv->held[i];
        uintptr_t base = (uintptr_t)in->file.data, at = (uintptr_t)p;

        if (at >= base && at - base <= in->file.size && len <= in->file.size - (at - base))
            return in;
    }
    return NULL;
}

int igk_held_input_changed(const struct igk_held_input *in, const char *what,
                           struct igk_error *err)
{
    igk_error_clear(err);
    igk_error_set_path(err, in->name);
    return igk_error_set(err, IGK_E_IO, "changed while being packed (%s); nothing was written",
                         what);
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

int igk_held_inputs_check(const struct igk_igvm *igvm, struct igk_error *err)
{
    const struct igk_igvm_private *priv = igvm->priv;

    for (size_t i = 0; i < priv->n_held; i++) {
        const struct igk_held_input *in = &priv->held[i];
        struct stat now;
        char what[96];

        if (fstat(in->file.fd, &now) < 0) {
            igk_error_set_path(err, in->name);
            return igk_error_set(err, IGK_E_IO, "cannot stat: %s", strerror(errno));
        }
        if (now.st_size != in->st.st_size) {
            snprintf(what, sizeof(what), "%lld bytes when opened, now %lld",
                     (long long)in->st.st_size, (long long)now.st_size);
            return igk_held_input_changed(in, what, err);
        }
        /* Same size, new contents: a write moves mtime and ctime. */
        if (!same_time(&now.st_mtim, &in->st.st_mtim) || !same_time(&now.st_ctim, &in->st.st_ctim))
            return igk_held_input_changed(in, "modified", err);
    }
    return 0;
}

int igk_held_input_largest(const struct igk_igvm *igvm, const uint8_t **ret_base,
                           uint64_t *ret_size)
{
    const struct igk_igvm_private *p = igvm->priv;
    const struct igk_held_input *best = NULL;

    for (size_t i = 0; p && i < p->n_held; i++)
        if (!best || p->held[i].file.size > best->file.size)
            best = &p->held[i];
    *ret_base = best ? best->file.data : NULL;
    *ret_size = best ? best->file.size : 0;
    return best ? best->file.fd : -1;
}

void igk_held_inputs_free(struct igk_igvm *igvm)
{
    struct igk_igvm_private *p = igvm->priv;

    for (size_t i = 0; i < p->n_held; i++) {
        igk_unmap_file(&p->held[i].file);
        free(p->held[i].name);
    }
    free(p->held);
    p->held = NULL;
    p->n_held = 0;
}
