/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/pack.h> -- lay a guest descriptor out as an IGVM model.
 *
 * igk_pack() reads the input files a struct igk_spec names (firmware,
 * kernel, initrd), builds per-platform directives for every requested
 * platform and returns an IGVM model ready for igk_igvm_write_file() or for
 * measurement.  The result depends only on the spec's values and the input
 * files' bytes: never on paths, time or the machine.
 */
#ifndef IGVMKIT_PACK_H
#define IGVMKIT_PACK_H

#include <stdint.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An input file that went into the image (for provenance). */
struct igk_pack_input {
    const char *role; /* "firmware", "vars", "kernel", "initrd", "id-key", ... */
    const char *path; /* as written in the descriptor */
    uint8_t sha256[32];
    uint64_t size;
};

struct igk_pack_result {
    struct igk_igvm *igvm;       /* owned by the result */
    struct igk_pack_input *inputs;
    size_t n_inputs;
};

/* Packs spec into *ret (fields owned by ret; release with igk_pack_result_done()). */
IGK_PUBLIC int igk_pack(const struct igk_spec *spec, struct igk_pack_result *ret,
                        struct igk_error *err);

IGK_PUBLIC void igk_pack_result_done(struct igk_pack_result *result);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_PACK_H */
