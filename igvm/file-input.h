/* SPDX-License-Identifier: MIT */
/*
 * Input files (not installed): the one way igvmkit opens what it reads.
 *
 *  - open(O_RDONLY | O_NONBLOCK | O_NOCTTY) and fstat() before any read, so
 *    a FIFO or a device named as input is refused at once instead of
 *    blocking in open() or read();
 *  - regular files only ("is not a regular file" otherwise; no input is read
 *    from a stream: a report or key piped in is first written to a file);
 *  - the size from fstat() is checked against a resource limit
 *    (resource-limits.h) before anything is mapped, allocated or read;
 *  - whole-file reads go through pread() into a buffer: a file that shrinks
 *    meanwhile is IGK_E_IO "changed while being read";
 *  - mappings (igk_map_file(), for IGVM files whose pages are read in place)
 *    are never MAP_POPULATEd and are registered, so that the program's
 *    SIGBUS handler can tell a file truncated under a mapping from a bug
 *    (igk_input_fault_path()) and exit with 6 instead of dying of a signal;
 *  - every file opened is remembered by device and inode, so that an output
 *    naming an input is refused (igk_input_find()).
 */
#ifndef IGK_FILE_INPUT_H
#define IGK_FILE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <igvmkit/error.h>

#include "resource-limits.h"

struct igk_mapped_file;

/*
 * Opens path for reading as described above; what names the input in
 * messages ("firmware"; NULL for none).  Returns the descriptor (close it)
 * and the size, or a negative igk_err with err->path set.
 */
int igk_input_open(const char *path, enum igk_limit_id limit, const char *what, uint64_t *ret_size,
                   struct igk_error *err);

/* pread() of exactly len bytes at offset; a short read is "changed while being read". */
int igk_input_pread(int fd, void *buf, size_t len, uint64_t offset, const char *path,
                    struct igk_error *err);

/* Reads a whole file into malloc()ed memory (+1 NUL byte not counted), within limit. */
int igk_read_file_limit(const char *path, enum igk_limit_id limit, const char *what,
                        uint8_t **ret_data, size_t *ret_size, struct igk_error *err);

/* Maps a whole file read-only (see igk_map_file()), within limit. */
int igk_map_file_limit(const char *path, enum igk_limit_id limit, const char *what,
                       struct igk_mapped_file *ret, struct igk_error *err);

/* SHA-256 of a whole file read in pieces with pread (no mapping, bounded memory). */
int igk_sha256_file(const char *path, enum igk_limit_id limit, const char *what, uint8_t out[32],
                    struct igk_error *err);

/*
 * The path of an input opened in this process with that device and inode,
 * or NULL.
 */
const char *igk_input_find(dev_t dev, ino_t ino);

/*
 * The path of the registered mapping holding addr, or NULL.  Async-signal
 * safe: for a SIGBUS handler.
 */
const char *igk_input_fault_path(const void *addr);

#endif /* IGK_FILE_INPUT_H */
