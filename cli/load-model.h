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
#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

/* Whether path names a descriptor (ends in .yaml or .yml). */
bool cli_is_descriptor(const char *path);

/* What cli_load_model() accepts and keeps. */
enum cli_load_flags {
    CLI_LOAD_DESCRIPTOR = 1 << 0, /* a .yaml/.yml path is packed in memory  */
    CLI_LOAD_LEAN = 1 << 1,       /* an IGVM file is read lean (igvm.h): for
                                     verbs that only walk the directives    */
    CLI_LOAD_PACK_LEAN = 1 << 2,  /* a descriptor is packed lean too
                                     (IGK_PACK_LEAN): for verbs that never
                                     write or hash the file                 */
};

/*
 * Reads an IGVM file, or packs a descriptor when flags allow it and the path
 * is one.  err->path is set to path on failure.
 */
int cli_load_model(const char *path, unsigned flags, struct igk_igvm **ret_igvm,
                   struct igk_error *err);

/*
 * As cli_load_model() with CLI_LOAD_DESCRIPTOR, but a descriptor's packed
 * model is serialized and read back, so that it has the offsets, sizes and
 * checksum of the file 'igvmkit pack' writes (for inspect).  *ret_buf holds
 * those bytes (NULL for an IGVM file): free() it after igk_igvm_free().
 */
int cli_load_model_as_file(const char *path, struct igk_igvm **ret_igvm, uint8_t **ret_buf,
                           struct igk_error *err);

/*
 * Loads a descriptor and packs it in memory.  On success the caller owns
 * *ret_spec (igk_spec_free) and *ret_result (igk_pack_result_done).
 * Descriptor errors carry the descriptor path and line:column; packer errors
 * the input file they concern (the descriptor when none).
 */
int cli_pack_descriptor(const char *path, unsigned pack_flags, struct igk_spec **ret_spec,
                        struct igk_pack_result *ret_result, struct igk_error *err);

/*
 * For a descriptor with TDX, OVMF firmware and a kernel: the TDX RTMR1/RTMR2
 * prediction for its kernel, initrd, command line and memory size
 * (*ret_have = true).  Other descriptors: *ret_have = false.  Errors: those
 * of igk_spec_load(), reading the files and igk_tdx_predict_rtmr().
 */
int cli_predict_descriptor_rtmr(const char *path, struct igk_rtmr_prediction *ret,
                                bool *ret_have, struct igk_error *err);

/*
 * For a descriptor path with a firmware digest (firmware.digest): copies it to
 * seed and sets options->snp_seed to it, so the SEV-SNP chain starts from it.
 * Other paths leave options alone.  Errors: those of igk_spec_load().
 */
int cli_descriptor_snp_seed(const char *path, uint8_t seed[48],
                            struct igk_measure_options *options, struct igk_error *err);

/*
 * For a descriptor with SEV-SNP and OVMF firmware (no firmware.digest; with
 * or without an SVSM): the SEV-SNP digest after the firmware pages, what
 * sev-snp-measure --mode snp:ovmf-hash prints (*ret_have = true).  Others:
 * *ret_have = false.
 */
int cli_descriptor_firmware_digest(const char *path, uint8_t out[48], bool *ret_have,
                                   struct igk_error *err);

/* The same for a loaded descriptor; changes spec (it is packed as the firmware alone). */
int cli_spec_firmware_digest(struct igk_spec *spec, uint8_t out[48], bool *ret_have,
                             struct igk_error *err);

#endif /* IGK_CLI_LOAD_MODEL_H */
