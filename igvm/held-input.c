/* SPDX-License-Identifier: MIT */
/* Input files a built model refers to: see held-input.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "held-input.h"
#include "model-private.h"

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
