/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/error.h> -- how igvmkit reports failure.
 *
 * Every fallible library call returns 0 (or a non-negative count) on success
 * and a negative igk_err code on failure.  When the caller passes a non-NULL
 * struct igk_error, the call also fills it with the context a person needs:
 * a one-line message, the file it concerns and, where there is one, the byte
 * offset and header (IGVM input) or the line and column (YAML input).
 *
 * The library never prints.  Formatting an error never allocates: the
 * message lives in a fixed buffer inside the struct, truncated if too long.
 *
 * The codes map one to one onto the igvmkit program's exit statuses
 * (see igk_err_exit_status()), documented in igvmkit(1):
 *   0 ok, 1 internal, 2 usage, 3 invalid input, 4 mismatch,
 *   5 unsupported, 6 I/O.
 */
#ifndef IGVMKIT_ERROR_H
#define IGVMKIT_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function as part of the exported ABI (the build hides the rest). */
#ifndef IGK_PUBLIC
#define IGK_PUBLIC __attribute__((visibility("default")))
#endif

/* printf-style format checking for our variadic helpers. */
#define IGK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

enum igk_err {
    IGK_OK = 0,
    IGK_E_INTERNAL = -1,    /* a bug, or an allocation failure              */
    IGK_E_USAGE = -2,       /* the caller asked for something meaningless   */
    IGK_E_INVALID = -3,     /* malformed input: IGVM, YAML, firmware, kernel */
    IGK_E_MISMATCH = -4,    /* a digest, signature or lint check failed     */
    IGK_E_UNSUPPORTED = -5, /* valid input we (or the platform) cannot handle */
    IGK_E_IO = -6,          /* open/read/write/rename failed                */
};

/* Sentinels for the optional location fields below. */
#define IGK_NO_OFFSET UINT64_MAX
#define IGK_NO_INDEX UINT32_MAX

struct igk_error {
    int code;            /* an igk_err value; IGK_OK when nothing failed      */
    char message[512];   /* the reason, without location prefix              */
    char path[512];      /* file the error is about, "" if none              */
    uint64_t offset;     /* byte offset in that file, or IGK_NO_OFFSET       */
    uint32_t header_index; /* IGVM variable header index, or IGK_NO_INDEX    */
    uint32_t header_type;  /* its type code, valid when header_index is set  */
    unsigned line;       /* 1-based YAML line, 0 if none                     */
    unsigned column;     /* 1-based YAML column, 0 if none                   */
};

/* Resets *err to "no error" (all location fields unset).  NULL is allowed. */
IGK_PUBLIC void igk_error_clear(struct igk_error *err);

/*
 * Records a failure and returns code, so a function can end with
 *     return igk_error_set(err, IGK_E_INVALID, "bad magic %#x", magic);
 * err may be NULL (the code is still returned).  Location fields already set
 * on err are kept; set them with the helpers below before or after.
 */
IGK_PUBLIC int igk_error_set(struct igk_error *err, int code, const char *fmt, ...)
    IGK_PRINTF(3, 4);
IGK_PUBLIC int igk_error_setv(struct igk_error *err, int code, const char *fmt, va_list ap)
    IGK_PRINTF(3, 0);

/* Location setters; each accepts err == NULL and returns nothing. */
IGK_PUBLIC void igk_error_set_path(struct igk_error *err, const char *path);
IGK_PUBLIC void igk_error_set_offset(struct igk_error *err, uint64_t offset);
IGK_PUBLIC void igk_error_set_header(struct igk_error *err, uint32_t index, uint32_t type);
IGK_PUBLIC void igk_error_set_mark(struct igk_error *err, unsigned line, unsigned column);

/*
 * Prepends "what: " to the message (for example a file role), keeping the
 * location.  Useful when a lower layer's error is passed up.
 */
IGK_PUBLIC void igk_error_prefix(struct igk_error *err, const char *fmt, ...) IGK_PRINTF(2, 3);

/*
 * Writes the one-line form used by the CLI into buf (always NUL terminated):
 *   PATH:LINE:COLUMN: message                        (YAML)
 *   PATH: offset 0x1A8: header #3 (PAGE_DATA): message (IGVM)
 *   PATH: message                                    (other)
 * Returns buf.
 */
IGK_PUBLIC const char *igk_error_format(const struct igk_error *err, char *buf, size_t size);

/* Short name of a code ("invalid input", ...). */
IGK_PUBLIC const char *igk_strerror(int code);

/* The documented program exit status for a code (0..6). */
IGK_PUBLIC int igk_err_exit_status(int code);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_ERROR_H */
