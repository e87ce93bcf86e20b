/* SPDX-License-Identifier: MIT */
/*
 * The measurement report shared by 'measure' and 'pack --measure': measures
 * the requested platforms of a model and prints them as text, bare hex or one
 * JSON document.  Returns an exit status (4 on an ID-block mismatch unless
 * ignored).
 */
#ifndef IGK_CLI_MEASURE_REPORT_H
#define IGK_CLI_MEASURE_REPORT_H

#include <stdbool.h>

#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/measure.h>

enum cli_output_format {
    CLI_OUTPUT_TEXT = 0,
    CLI_OUTPUT_BARE = 1,
    CLI_OUTPUT_JSON = 2,
};

struct cli_measure_request {
    int platforms[IGK_PLATFORM_MAX]; /* in the order named; n_platforms == 0: all in the file */
    unsigned n_platforms;
    struct igk_measure_options options;
    enum cli_output_format format;
    /* TDX RTMR1/RTMR2 for an OVMF direct boot (descriptor input), or NULL. */
    const struct igk_rtmr_prediction *rtmr;
    /* The SEV-SNP firmware digest of a descriptor's OVMF (what --mode
     * snp:ovmf-hash prints), for the JSON document's firmware_digest, or
     * NULL.  The text report leaves it out: it equals the report of the
     * packed file, which cannot know it. */
    const uint8_t *snp_firmware_digest;
    /* The launch commands shown with the digests: the file or descriptor
     * measured (NULL: none shown) and the file name to print (NULL: derived). */
    const char *launch_input, *launch_igvm_path;
    /* --quiet: no progress line while hashing (cli/progress.h). */
    bool quiet;
};

/* name: the file (or descriptor) the model came from, for the report. */
int cli_measure_report(const struct igk_igvm *igvm, const char *name,
                       const struct cli_measure_request *request);

/*
 * Exit status 4, with the reason on stderr, for each SNP ID block among the
 * n measurements whose LD or signatures do not check out (the PSP would
 * refuse that launch); 0 when none, or when ignore is set.  The closing hint
 * reads "use --ignore-idblock to ANYWAY anyway".
 */
int cli_idblock_verdict(const char *name, const struct igk_measurement *m, unsigned n,
                        bool ignore, const char *anyway);

#endif /* IGK_CLI_MEASURE_REPORT_H */
