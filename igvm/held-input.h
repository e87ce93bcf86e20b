/* SPDX-License-Identifier: MIT */
/*
 * Input files a built model refers to (internal): the packer maps a kernel,
 * initrd or firmware and lets PAGE_DATA headers point into the mapping
 * instead of copying the bytes, so a model of a 1 GiB initrd costs its
 * headers, not 1 GiB of anonymous memory.  The model then owns the mapping.
 *
 * Reading through a mapping of a file that shrinks raises SIGBUS, so the
 * writer never does: it copies a held input's pages with pread() and
 * reports a short read as the input having changed, and before the output
 * is renamed into place it checks that no held file changed size, time
 * stamps or identity since it was opened (igk_held_inputs_check()).
 */
#ifndef IGK_HELD_INPUT_H
#define IGK_HELD_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "util.h"

struct igk_igvm;
struct igk_error;

struct igk_held_input {
    struct igk_mapped_file file;
    struct stat st; /* at igk_igvm_hold_input() */
    char *name;     /* for messages */
};

/*
 * igk_map_file() without MAP_POPULATE, for inputs the model will hold: their
 * pages are read with pread() (writer, SEV-SNP hashing), so faulting a
 * 1 GiB mapping in up front would cost page-table work for nothing.  Same
 * errors as igk_map_file().
 */
int igk_map_input(const char *path, struct igk_mapped_file *ret, struct igk_error *err);

/*
 * Moves *file (mapped by igk_map_file() or igk_map_input()) into the model, which unmaps it in
 * igk_igvm_free(); *file is left empty.  name is copied.  Returns the
 * mapping's bytes (valid for the model's lifetime) in *ret_data, or fails
 * with IGK_E_IO (fstat) / IGK_E_INTERNAL and leaves *file to the caller.
 */
int igk_igvm_hold_input(struct igk_igvm *igvm, struct igk_mapped_file *file, const char *name,
                        const uint8_t **ret_data, struct igk_error *err);

/* The held input whose mapping contains [p, p + len), or NULL. */
const struct igk_held_input *igk_held_input_find(const struct igk_igvm *igvm, const uint8_t *p,
                                                 size_t len);

/* IGK_E_IO naming the first held input that is not as it was when held. */
int igk_held_inputs_check(const struct igk_igvm *igvm, struct igk_error *err);

/* The error for an input that changed: "NAME: changed while being packed (...)". */
int igk_held_input_changed(const struct igk_held_input *in, const char *what,
                           struct igk_error *err);

/*
 * The largest held input, for readers that prefer pread() to touching a
 * mapping (the SEV-SNP page pipeline): its fd, with its bytes in *ret_base
 * and size in *ret_size; -1 when the model holds none.
 */
int igk_held_input_largest(const struct igk_igvm *igvm, const uint8_t **ret_base,
                           uint64_t *ret_size);

void igk_held_inputs_free(struct igk_igvm *igvm);

/*
 * Streams igvm as an IGVM file to fd (opened by the output module,
 * file-output.h); path names it in messages.  Sizes, digests and progress as
 * igk_igvm_write_file_info(), which wraps this in an output set.
 */
int igk_igvm_write_fd_info(const struct igk_igvm *igvm, int fd, const char *path,
                           struct igk_write_info *info, igk_progress_fn progress, void *user,
                           struct igk_error *err);

#endif /* IGK_HELD_INPUT_H */
