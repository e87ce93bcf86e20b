/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/export.h> -- reference values in the forms verifiers read.
 *
 * An export starts from the measurement of a model (igk_export_collect():
 * the file's own digests plus one launch measurement per platform) and
 * renders it in one of four formats (igk_export()):
 *
 *   json    the igvmkit measurement document, as 'igvmkit measure --json'
 *           prints it: the file's SHA-256 and SHA-384, one entry per
 *           platform (digest, algorithm, loader profile, vCPUs, policy and
 *           its fields, ID-block state) and, when predicted, the TDX
 *           RTMR1/RTMR2 logs ("tdx_rtmr").  Lower-case hex, fixed key order.
 *   rvps    a Trustee RVPS message of type "sample": {"version": "0.1.0",
 *           "type": "sample", "payload": BASE64} where the payload is a JSON
 *           object mapping reference-value names to arrays of hex strings,
 *           with the names Trustee's default attestation policy queries:
 *           snp_launch_measurement (SEV-SNP), mr_td (TDX) and, with an RTMR
 *           prediction, rtmr_1, rtmr_2, tdvfkernel (the kernel's
 *           Authenticode event) and tdvfkernelparams (the command-line
 *           event).  Platforms that policy does not read (SEV-ES, VBS) are
 *           left out.
 *   corim   an unsigned CoRIM (CBOR, draft-ietf-rats-corim): tag 501 around
 *           the corim-map; one CoMID (tag 506, byte-string wrapped) per
 *           platform in the launch-measurement profile
 *           tag:microsoft.com,2026:launch-measurement/v1: environment
 *           class vendor/model (AMD/SEV-SNP, Intel/TDX, Microsoft/VBS), one
 *           reference triple with mkey MEASUREMENT or MRTD and the digest as
 *           [alg-id, bytes] (sha-256 = 1, sha-384 = 7, IANA named
 *           information), and one conditional-endorsement-series triple
 *           mapping that digest to an exact SVN (tag 552).  The CoMID tag-id
 *           is UUIDv5(85f3f1c2-22a8-441e-a1b9-bccfb63ed5f7, "vendor/model")
 *           as the profile requires; the corim-id is UUIDv5 of igvmkit's
 *           namespace (IGK_EXPORT_UUID_NAMESPACE) and "sha384:" + the file's
 *           SHA-384 in hex, so the same file always gives the same bytes.
 *           The encoding is RFC 8949 core deterministic.  The profile
 *           allows one CoMID per CoRIM: export one platform (--platform)
 *           for a strictly conforming document.
 *   intoto  an unsigned in-toto Statement v1 whose subject is the IGVM file
 *           (sha256 and sha384) and whose predicate is the measurement
 *           document, predicateType IGK_EXPORT_PREDICATE_TYPE.
 */
#ifndef IGVMKIT_EXPORT_H
#define IGVMKIT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/measure.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IGK_EXPORT_PREDICATE_TYPE "https://igvmkit.dev/measurement/v1"
#define IGK_EXPORT_CORIM_PROFILE "tag:microsoft.com,2026:launch-measurement/v1"
/* = UUIDv5(RFC 9562 URL namespace, "https://igvmkit.dev/corim") */
#define IGK_EXPORT_UUID_NAMESPACE "6f575ac9-b3df-5dc7-b870-580c0cac7a0a"

enum igk_export_format {
    IGK_EXPORT_JSON = 0,
    IGK_EXPORT_RVPS = 1,
    IGK_EXPORT_CORIM = 2,
    IGK_EXPORT_INTOTO = 3,
    IGK_EXPORT_FORMAT_MAX
};

/* "json", "rvps", "corim", "intoto"; -1 for an unknown name. */
IGK_PUBLIC int igk_export_format_from_name(const char *name);
IGK_PUBLIC const char *igk_export_format_name(enum igk_export_format format);

/*
 * A command line that launches the file (what <igvmkit/lint.h>'s
 * igk_launch_command() builds), as plain strings the caller owns: the JSON
 * document lists them under "launch".
 */
#define IGK_EXPORT_MAX_LAUNCH_ARGS 48
#define IGK_EXPORT_MAX_LAUNCH_NOTES 8
struct igk_export_launch {
    const char *loader;   /* "qemu"                                      */
    const char *platform; /* "sev-snp", "tdx"                            */
    bool from_igvm;       /* false: launched from the firmware (TDX)     */
    size_t argc, n_notes;
    const char *argv[IGK_EXPORT_MAX_LAUNCH_ARGS];
    const char *notes[IGK_EXPORT_MAX_LAUNCH_NOTES];
};

/* Everything an export says, gathered once. */
struct igk_export_input {
    char name[4096];                 /* the file as named by the caller ("file") */
    char subject[256];               /* in-toto subject name: name's base name  */
    uint8_t sha256[32];              /* of the IGVM file bytes                  */
    uint8_t sha384[48];
    uint64_t file_size;
    struct igk_measurement measurements[IGK_PLATFORM_MAX]; /* in file order */
    size_t n_measurements;
    bool has_rtmr;                   /* TDX RTMR1/RTMR2 predicted              */
    struct igk_rtmr_prediction rtmr;
    uint64_t svn;                    /* CoRIM endorsed SVN (default 0)         */
    struct igk_export_launch launch[IGK_PLATFORM_MAX]; /* JSON "launch", if any */
    size_t n_launch;
};

/*
 * Measures a model for export.  name: the file as the caller names it (the
 * document's "file"); the in-toto subject is its base name (callers may
 * overwrite ret->subject).  platform: one enum igk_platform_type, or -1 for
 * every platform the file declares that igvmkit can measure (those it cannot,
 * such as NATIVE, are skipped; none at all is IGK_E_UNSUPPORTED).  options may be NULL.  The
 * file digests are of igvm->file when the model was read from a file, and of
 * the serialized model (igk_igvm_write_buffer(), what 'pack' would write)
 * otherwise.  Errors of igk_measure() are passed on.
 */
IGK_PUBLIC int igk_export_collect(const struct igk_igvm *igvm, const char *name, int platform,
                                  const struct igk_measure_options *options,
                                  struct igk_export_input *ret, struct igk_error *err);

/*
 * Sets ret->file_size, sha256 and sha384: of igvm->file when the model was
 * read from a file, else of the serialized model (igk_igvm_write_buffer()).
 * igk_export_collect() calls it; callers that measured already (igvmkit
 * measure --json) call it alone.  The two digests are computed at the same
 * time on two threads.
 */
IGK_PUBLIC int igk_export_file_digests(const struct igk_igvm *igvm, struct igk_export_input *ret,
                                       struct igk_error *err);

/*
 * Renders an export.  *ret_data is malloc()ed (JSON text ends with a
 * newline; CoRIM is binary).  IGK_E_UNSUPPORTED when the format has nothing
 * to say about the measured platforms (rvps without SEV-SNP or TDX, corim
 * without SEV-SNP, TDX or VBS).
 */
IGK_PUBLIC int igk_export(const struct igk_export_input *input, enum igk_export_format format,
                          uint8_t **ret_data, size_t *ret_len, struct igk_error *err);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_EXPORT_H */
