/* SPDX-License-Identifier: MIT */
/*
 * Output files (not installed): the one way igvmkit writes what it produces.
 * A run collects its outputs in one set and publishes all of them or none:
 *
 *  - each output is written to a temporary ".igvmkit-XXXXXX" beside its
 *    target, fsync()ed, and renamed over the target only at commit, after
 *    every output of the set was written; a rename that fails at commit puts
 *    the outputs already renamed back as they were (a hard link of each
 *    replaced file is kept until the commit ends);
 *  - the target must be a regular file, a missing name in an existing
 *    directory, or a symbolic link to a regular file (the file is replaced,
 *    the link kept).  A FIFO or a character device (/dev/stdout, /dev/null,
 *    a pipe) is written through, not replaced -- not atomically, and first at
 *    commit so that a stream that cannot be written leaves the files alone.
 *    Directories, block devices, sockets and dangling links are refused;
 *  - an output that names a file this run read (same device and inode,
 *    file-input.h) or another output of the set is refused (IGK_E_USAGE);
 *  - a replaced file keeps its permission bits; a new one gets
 *    0666 & ~umask (a directory 0777 & ~umask);
 *  - temporaries are registered so that igk_output_signal_cleanup() (called
 *    by the program's SIGINT/SIGTERM/SIGBUS handlers) removes them, and a
 *    temporary of ours older than IGK_OUTPUT_STALE_SECONDS found in an output
 *    directory (left by a run that was killed) is removed on the next run.
 */
#ifndef IGK_FILE_OUTPUT_H
#define IGK_FILE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <igvmkit/error.h>

/* Outputs of one run: measure --dump-vmsa publishes one file per vCPU (512 at most). */
#define IGK_OUTPUT_MAX 520
#define IGK_OUTPUT_STALE_SECONDS 3600
#define IGK_OUTPUT_TEMP_PREFIX ".igvmkit-"

enum igk_output_kind { IGK_OUTPUT_FILE, IGK_OUTPUT_STREAM, IGK_OUTPUT_DIR };

struct igk_output {
    enum igk_output_kind kind;
    char *path;    /* as given, for messages */
    char *target;  /* what is replaced (a symbolic link resolved) */
    char *tmp;     /* the temporary file or directory; NULL for a stream */
    char *backup;  /* hard link of the replaced file during commit */
    uint8_t *data; /* a stream's bytes, written at commit */
    size_t len;
    bool existed, renamed;
    mode_t mode;
    dev_t dev;
    ino_t ino;
    int slot; /* signal cleanup slot, -1 for none */
};

struct igk_output_set {
    size_t n;
    bool committed;
    struct igk_output out[IGK_OUTPUT_MAX];
};

void igk_output_set_init(struct igk_output_set *set);

/* Adds a file output with its whole content (written now, published at commit). */
int igk_output_add_file(struct igk_output_set *set, const char *path, const void *data, size_t len,
                        struct igk_error *err);

/*
 * Adds a file output written through a descriptor, for writers that stream
 * (the content does not fit in memory): returns in *ret_fd the temporary
 * file to write, or for a stream target (FIFO, character device) the target
 * itself, opened now.  Finish with igk_output_close_fd(); the file is
 * published at commit like the others.
 */
int igk_output_add_fd(struct igk_output_set *set, const char *path, int *ret_fd,
                      struct igk_error *err);

/* Syncs and closes a descriptor from igk_output_add_fd(); I/O errors name path. */
int igk_output_close_fd(int fd, const char *path, struct igk_error *err);

/*
 * Adds a directory output: path must be missing or an empty directory.
 * Returns the temporary directory to fill (owned by the set) in *ret_tmpdir.
 */
int igk_output_add_dir(struct igk_output_set *set, const char *path, const char **ret_tmpdir,
                       struct igk_error *err);

/*
 * Checks path as an output without writing anything (same rules as the
 * add functions): for verbs that want to fail before doing the work.
 */
int igk_output_check(const char *path, bool directory, struct igk_error *err);

/* Publishes every output of the set, or none. */
int igk_output_commit(struct igk_output_set *set, struct igk_error *err);

/* Removes whatever was not published and frees the set. */
void igk_output_set_done(struct igk_output_set *set);

/* Writes one file through a set of one (what igk_write_file_atomic() does). */
int igk_output_write_one(const char *path, const void *data, size_t len, struct igk_error *err);

/*
 * Removes every registered temporary (files, and directories with the files
 * in them).  Async-signal safe: for the program's signal handlers.
 */
void igk_output_signal_cleanup(void);

#endif /* IGK_FILE_OUTPUT_H */
