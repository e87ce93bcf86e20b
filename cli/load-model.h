/* SPDX-License-Identifier: MIT */
/*
 * Loads the model a verb works on: an IGVM file, or (for verbs that accept
 * it) a YAML descriptor packed in memory without writing a file.
 */
#ifndef IGK_CLI_LOAD_MODEL_H
#define IGK_CLI_LOAD_MODEL_H

#include <stdbool.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/rtmr.h>
#include <igvmkit/pack.h>

/* Whether path names a descriptor (ends in .yaml or .yml). */
bool cli_is_descriptor(const char *path);

/*
 * Reads an IGVM file, or packs a descriptor when allow_descriptor is set and
 * the path is one.  err->path is set to path on failure.
 */
int cli_load_model(const char *path, bool allow_descriptor, struct igk_igvm **ret_igvm,
                   struct igk_error *err);

/*
 * Loads a descriptor and packs it in memory.  On success the caller owns
 * *ret_spec (igk_spec_free) and *ret_result (igk_pack_result_done).
 * Descriptor errors carry the descriptor path and line:column; packer errors
 * the input file they concern (the descriptor when none).
 */
int cli_pack_descriptor(const char *path, struct igk_spec **ret_spec,
                        struct igk_pack_result *ret_result, struct igk_error *err);

/*
 * For a descriptor with TDX, OVMF firmware and a kernel: the TDX RTMR1/RTMR2
 * prediction for its kernel, initrd, command line and memory size
 * (*ret_have = true).  Other descriptors: *ret_have = false.  Errors: those
 * of igk_spec_load(), reading the files and igk_tdx_predict_rtmr().
 */
int cli_predict_descriptor_rtmr(const char *path, struct igk_rtmr_prediction *ret,
                                bool *ret_have, struct igk_error *err);

#endif /* IGK_CLI_LOAD_MODEL_H */
