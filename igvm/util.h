/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by every layer (not installed): hex, digests,
 * whole-file mapping and atomic output files.  All report through
 * struct igk_error and never print.
 */
#ifndef IGK_UTIL_H
#define IGK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

#define IGK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IGK_SHA256_LEN 32
#define IGK_SHA384_LEN 48

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL terminated). */
void igk_hex_encode(const uint8_t *bytes, size_t n, char *out);

/*
 * Parses hex (upper or lower case, optional "0x" prefix) of exactly n bytes.
 * Returns 0 or IGK_E_INVALID.
 */
int igk_hex_decode(const char *hex, uint8_t *out, size_t n);

/* One-shot digests through OpenSSL EVP.  Return 0 or IGK_E_INTERNAL. */
int igk_sha256(const void *data, size_t len, uint8_t out[IGK_SHA256_LEN]);
int igk_sha384(const void *data, size_t len, uint8_t out[IGK_SHA384_LEN]);

/* A read-only view of a whole file: mmap()ed when possible. */
struct igk_mapped_file {
    const uint8_t *data;
    size_t size;
    void *map;       /* munmap() target, NULL if not mapped */
    size_t map_size;
    int fd;          /* the file, open while mapped (for pread); -1 otherwise */
};

/*
 * Maps path read-only (file-input.c, within the igvm-file limit; see
 * file-input.h for the rules every input follows).  Directories, unreadable
 * paths and non-regular files give IGK_E_IO with err->path set.  An empty file maps to data == NULL,
 * size 0.  Release with igk_unmap_file(), which also closes fd.
 */
int igk_map_file(const char *path, struct igk_mapped_file *ret, struct igk_error *err);
void igk_unmap_file(struct igk_mapped_file *file);

struct igk_igvm;

/*
 * The open file behind a model read from a path (its bytes are
 * igvm->file), or -1.  Hashing threads read pages from it with pread():
 * a first touch of each mapped page costs more than copying it on some
 * virtual machines (measure/page-pipeline.h).
 */
int igk_igvm_file_fd(const struct igk_igvm *igvm);

/*
 * The platforms the model declares, in header order ("sev-snp, tdx"), written
 * to out (truncated to size); "none" when it declares none.  Returns the text.
 */
const char *igk_igvm_declared_names(const struct igk_igvm *igvm, char *out, size_t size);

/*
 * 0 when headers[] holds every header of the model; IGK_E_USAGE naming what
 * needed them when the model is lean (igk_igvm_read_file_lean).
 */
int igk_igvm_require_full(const struct igk_igvm *igvm, const char *what, struct igk_error *err);

/* Reads a whole file into malloc()ed memory (+1 NUL byte not counted), through
 * file-input.c within the igvm-file limit (igk_read_file_limit() for others). */
int igk_read_file(const char *path, uint8_t **ret_data, size_t *ret_size, struct igk_error *err);

/*
 * Writes len bytes to path atomically: a temporary file in the same
 * directory, fsync, rename (file-output.h: a set of one output, with every
 * check outputs get).  On failure the temporary file is removed and an
 * existing file at path is untouched.  I/O failures: IGK_E_IO.
 */
int igk_write_file_atomic(const char *path, const void *data, size_t len, struct igk_error *err);

/*
 * An unsigned integer written in decimal or 0x-hex (a leading zero is still
 * decimal: no octal), at most max.  No sign, no spaces, no suffix.  Returns
 * false if malformed or above max (igvm/number.c).
 */
bool igk_parse_uint(const char *s, uint64_t max, uint64_t *ret);

/*
 * A size in bytes, by QEMU's rule for -m: an unsigned integer (as
 * igk_parse_uint() reads it) followed by a unit B, K, M, G or T (or KiB, MiB,
 * GiB, TiB), any case, in powers of 1024.  A bare number counts bare_unit
 * bytes: 1 MiB for memory sizes as QEMU has it, 1 for byte counts that
 * mirror another tool's interface.  No fractions, no spaces.  Returns false
 * if malformed or when the result overflows 64 bits; 0 is left to the caller.
 */
bool igk_parse_size(const char *s, uint64_t bare_unit, uint64_t *ret);

/*
 * The number of single-letter edits (insert, delete, change, or swap of two
 * neighbours) that turn a into b; SIZE_MAX for words over 64 bytes
 * (igvm/suggest.c).
 */
size_t igk_edit_distance(const char *a, const char *b);

/*
 * The entry of names[0..count) closest to word, if it is close enough to be a
 * typo of it (one edit for words under 5 letters, two under 9, three beyond);
 * NULL otherwise.  NULL entries of names are skipped.  Used for "did you
 * mean" in messages about unknown verbs, options and descriptor keys.
 */
const char *igk_closest_name(const char *word, const char *const *names, size_t count);

/* Overflow-checked arithmetic; return true when the result fits. */
static inline bool igk_add_u64(uint64_t a, uint64_t b, uint64_t *ret)
{
    return !__builtin_add_overflow(a, b, ret);
}

static inline bool igk_mul_u64(uint64_t a, uint64_t b, uint64_t *ret)
{
    return !__builtin_mul_overflow(a, b, ret);
}

#endif /* IGK_UTIL_H */
