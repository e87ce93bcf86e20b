/* SPDX-License-Identifier: MIT */
/*
 * Output files with holes (internal to the CLI): a writer that appends
 * bytes to a new file but seeks over every 4 KiB-aligned page of zeros, so
 * that a guest memory image of mostly data-less pages takes the disk space
 * of its data only.  The file reads back the same as one written in full
 * (lseek(2) past the end plus ftruncate(2) leave zeros, POSIX.1-2008).
 */
#ifndef IGK_CLI_SPARSE_FILE_H
#define IGK_CLI_SPARSE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sparse_file {
    int fd;
    uint64_t size;    /* bytes appended so far (holes included) */
    uint64_t written; /* bytes actually written */
    int error;        /* first errno, 0 if none */
};

/* Creates path exclusively (mode 0644); false with errno set on failure. */
bool sparse_open(struct sparse_file *f, const char *path);

/*
 * Appends len bytes (NULL: zeros).  Whole pages of zeros at page-aligned
 * offsets become holes.  Errors are remembered in f->error.
 */
void sparse_append(struct sparse_file *f, const uint8_t *data, size_t len);

/* Sets the final size (a trailing hole), closes; returns 0 or an errno. */
int sparse_close(struct sparse_file *f);

#endif /* IGK_CLI_SPARSE_FILE_H */
