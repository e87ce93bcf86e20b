/* SPDX-License-Identifier: MIT */
/* Error values with context: see <igvmkit/error.h>. */
#include <stdio.h>
#include <string.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

IGK_PUBLIC void igk_error_clear(struct igk_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->offset = IGK_NO_OFFSET;
    err->header_index = IGK_NO_INDEX;
}

IGK_PUBLIC int igk_error_setv(struct igk_error *err, int code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
    }
    return code;
}

IGK_PUBLIC int igk_error_set(struct igk_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

IGK_PUBLIC void igk_error_set_path(struct igk_error *err, const char *path)
{
    if (err)
        snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
}

IGK_PUBLIC void igk_error_set_offset(struct igk_error *err, uint64_t offset)
{
    if (err)
        err->offset = offset;
}

IGK_PUBLIC void igk_error_set_header(struct igk_error *err, uint32_t index, uint32_t type)
{
    if (err) {
        err->header_index = index;
        err->header_type = type;
    }
}

IGK_PUBLIC void igk_error_set_mark(struct igk_error *err, unsigned line, unsigned column)
{
    if (err) {
        err->line = line;
        err->column = column;
    }
}

IGK_PUBLIC void igk_error_prefix(struct igk_error *err, const char *fmt, ...)
{
    char prefix[256], old[sizeof(err->message)];
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof(old));
    /* Built by hand: snprintf("%s: %s") would warn about truncation, which is intended. */
    {
        size_t p = strnlen(prefix, sizeof(prefix)), o = strnlen(old, sizeof(old) - 1);
        size_t cap = sizeof(err->message) - 1, n = 0;
        memcpy(err->message, prefix, p < cap ? p : cap);
        n = p < cap ? p : cap;
        if (n + 2 <= cap) {
            memcpy(err->message + n, ": ", 2);
            n += 2;
        }
        if (o > cap - n)
            o = cap - n;
        memcpy(err->message + n, old, o);
        err->message[n + o] = '\0';
    }
}

IGK_PUBLIC const char *igk_error_format(const struct igk_error *err, char *buf, size_t size)
{
    size_t used = 0;

#define APPEND(...)                                                                        \
    do {                                                                                   \
        if (used < size) {                                                                 \
            int n_ = snprintf(buf + used, size - used, __VA_ARGS__);                       \
            used += n_ > 0 ? (size_t)n_ : 0;                                               \
        }                                                                                  \
    } while (0)

    if (!size)
        return buf;
    buf[0] = '\0';
    if (!err)
        return buf;
    if (err->path[0]) {
        if (err->line)
            APPEND("%s:%u:%u: ", err->path, err->line, err->column);
        else
            APPEND("%s: ", err->path);
    } else if (err->line) {
        APPEND("line %u, column %u: ", err->line, err->column);
    }
    if (err->offset != IGK_NO_OFFSET)
        APPEND("offset 0x%llX: ", (unsigned long long)err->offset);
    if (err->header_index != IGK_NO_INDEX)
        APPEND("header #%u (%s): ", err->header_index, igk_header_type_name(err->header_type));
    APPEND("%s", err->message[0] ? err->message : igk_strerror(err->code));
#undef APPEND
    return buf;
}

IGK_PUBLIC const char *igk_strerror(int code)
{
    switch (code) {
    case IGK_OK:
        return "success";
    case IGK_E_USAGE:
        return "usage error";
    case IGK_E_INVALID:
        return "invalid input";
    case IGK_E_MISMATCH:
        return "mismatch";
    case IGK_E_UNSUPPORTED:
        return "unsupported";
    case IGK_E_IO:
        return "I/O error";
    default:
        return "internal error";
    }
}

IGK_PUBLIC int igk_err_exit_status(int code)
{
    if (code >= 0)
        return 0;
    if (code < IGK_E_IO)
        return 1;
    return -code;
}
