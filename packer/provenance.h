/* SPDX-License-Identifier: MIT */
/*
 * Build provenance for 'igvmkit pack --provenance' (internal): an unsigned
 * in-toto Statement v1 whose predicate is SLSA provenance v1
 * (docs/exports.md §4).  The subject is the written IGVM (SHA-256 and
 * SHA-384 of its bytes); externalParameters is the normalized descriptor
 * (every value resolved or defaulted, paths exactly as written, so nothing
 * of the build machine leaks in); resolvedDependencies lists every input
 * file with its SHA-256.  Signing keys are secrets and are never listed.
 * The document is deterministic: no timestamps, fixed key order.
 */
#ifndef IGK_PROVENANCE_H
#define IGK_PROVENANCE_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/pack.h>

#define IGK_INTOTO_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define IGK_SLSA_PROVENANCE_TYPE "https://slsa.dev/provenance/v1"
#define IGK_PACK_BUILD_TYPE "https://igvmkit.dev/pack/v1"
#define IGK_BUILDER_ID "https://igvmkit.dev/igvmkit"

/*
 * Writes the statement for image (the IGVM bytes as written) into a
 * malloc()ed, NUL-terminated JSON text.  subject_name is the IGVM file name
 * recorded as the subject (callers pass the output's base name).  The
 * inputs come from result; when it lists none they are hashed from the spec.
 */
int igk_provenance_build(const struct igk_spec *spec, const struct igk_pack_result *result,
                         const char *subject_name, const uint8_t *image, size_t image_len,
                         char **ret_json, size_t *ret_len, struct igk_error *err);

/* The same from the image's digests (computed while it was written). */
int igk_provenance_build_digests(const struct igk_spec *spec,
                                 const struct igk_pack_result *result, const char *subject_name,
                                 const uint8_t sha256[32],
                                 const uint8_t sha384[48], char **ret_json,
                                 size_t *ret_len, struct igk_error *err);

/* Appends the normalized descriptor as one JSON object (also used by tests). */
struct igk_json;
void igk_provenance_descriptor(struct igk_json *j, const struct igk_spec *spec);

#endif /* IGK_PROVENANCE_H */
