/* SPDX-License-Identifier: MIT */
/*
 * The measurement report shared by 'measure' and 'pack --measure' (see
 * measure-report.h): measures the requested platforms, prints them as text,
 * bare digests or one JSON document, and turns an ID-block mismatch into
 * exit status 4 unless the request ignores it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/export.h>

#include "cli.h"
#include "launch-hint.h"
#include "measure-report.h"
#include "progress.h"
#include "util.h"

struct report {
    const struct igk_igvm *igvm;
    const char *name;
    enum igk_platform_type platforms[IGK_PLATFORM_MAX];
    struct igk_measurement m[IGK_PLATFORM_MAX];
    unsigned n;
};

static const char *platform_title(enum igk_platform_type p)
{
    switch (p) {
    case IGK_PLATFORM_SEV_SNP:
        return "SEV-SNP launch digest (PAGE_INFO chain)";
    case IGK_PLATFORM_TDX:
        return "TDX MRTD";
    case IGK_PLATFORM_SEV_ES:
        return "SEV-ES launch digest (igvmmeasure rule)";
    case IGK_PLATFORM_SEV:
        return "SEV launch digest (SHA-256 of the launch data)";
    case IGK_PLATFORM_VSM:
        return "VBS boot digest";
    default:
        return "measurement";
    }
}

static void text_policy(FILE *out, enum igk_platform_type p, uint64_t policy)
{
    char text[IGK_POLICY_TEXT_MAX];

    fprintf(out, "  policy:      %s\n", igk_policy_format(p, policy, text, sizeof(text)));
}

static const char *sig_word(bool ok)
{
    return ok ? "verifies" : "DOES NOT VERIFY";
}

static void print_text(const struct report *rep, FILE *out)
{
    for (unsigned i = 0; i < rep->n; i++) {
        const struct igk_measurement *m = &rep->m[i];
        char hex[129];

        igk_hex_encode(m->digest, m->digest_len, hex);
        fprintf(out, "%s%s: %s\n", i ? "\n" : "", igk_platform_name(m->platform),
                platform_title(m->platform));
        fprintf(out, "  digest:      %s\n", hex);
        fprintf(out, "  algorithm:   %s\n", m->algorithm);
        fprintf(out, "  loader:      %s\n", igk_loader_name(m->loader));
        if (m->platform == IGK_PLATFORM_SEV_SNP || m->platform == IGK_PLATFORM_SEV_ES) {
            fprintf(out, "  vcpus:       %u\n", m->vcpus);
            fprintf(out, "  vmsas:       %u measured", m->vmsa_count);
            if (m->vcpus_replicated)
                fprintf(out, ", %u of them copies of the lowest-index VMSA for vCPUs "
                             "without a VP context (--vcpus)",
                        m->vmsas_replicated);
            fputc('\n', out);
        } else if (m->platform == IGK_PLATFORM_TDX) {
            fprintf(out, "  vcpus:       not measured (MRTD holds no vCPU state)\n");
        }
        if (m->has_policy)
            text_policy(out, m->platform, m->policy);
        else
            fprintf(out, "  policy:      none\n");
        if (m->platform != IGK_PLATFORM_SEV_SNP)
            continue;
        if (m->idblock == IGK_IDBLOCK_ABSENT) {
            fprintf(out, "  id block:    absent\n");
            continue;
        }
        fprintf(out, "  id block:    %s\n",
                m->idblock == IGK_IDBLOCK_OK ? "ok" : m->idblock == IGK_IDBLOCK_LD_MISMATCH
                                                          ? "LD MISMATCH"
                                                          : "BAD SIGNATURE");
        igk_hex_encode(m->idblock_ld, sizeof(m->idblock_ld), hex);
        fprintf(out, "    ld:        %s (%s)\n", hex,
                m->idblock_ld_match ? "matches" : "DIFFERS from the digest");
        fprintf(out, "    id key signature:     %s\n", sig_word(m->idblock_id_sig_ok));
        if (m->idblock_author_present)
            fprintf(out, "    author key signature: %s\n", sig_word(m->idblock_author_sig_ok));
        else
            fprintf(out, "    author key signature: absent\n");
    }
}

/*
 * The JSON document is the measurement document of <igvmkit/export.h>
 * ('export --format json' prints the same bytes); it gains "tdx_rtmr" when
 * the request carries an RTMR prediction.
 */
static int print_json(const struct report *rep, const struct igk_rtmr_prediction *rtmr,
                      const struct cli_launch_set *launch)
{
    struct igk_export_input *in = calloc(1, sizeof(*in));
    uint8_t *out = NULL;
    struct igk_error err;
    size_t len;
    int r;

    igk_error_clear(&err);
    if (!in)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    snprintf(in->name, sizeof(in->name), "%s", rep->name);
    memcpy(in->measurements, rep->m, rep->n * sizeof(rep->m[0]));
    in->n_measurements = rep->n;
    if (rtmr) {
        in->has_rtmr = true;
        in->rtmr = *rtmr;
    }
    cli_launch_to_export(launch, in);
    /* A model packed in memory is described by the bytes it would be written as. */
    if (igk_export_file_digests(rep->igvm, in, &err) < 0) {
        igk_error_set_path(&err, rep->name);
        r = cli_fail(&err);
    } else if (igk_export(in, IGK_EXPORT_JSON, &out, &len, &err) < 0) {
        r = cli_fail(&err);
    } else {
        r = cli_write_stdout((const char *)out, len);
    }
    free(out);
    free(in);
    return r;
}

static void print_rtmr_log(FILE *out, const char *name, const struct igk_rtmr_log *log)
{
    char hex[2 * IGK_RTMR_DIGEST_LEN + 1];

    igk_hex_encode(log->value, IGK_RTMR_DIGEST_LEN, hex);
    fprintf(out, "  %s:       %s\n", name, hex);
    for (unsigned i = 0; i < log->n_events; i++) {
        igk_hex_encode(log->events[i].digest, IGK_RTMR_DIGEST_LEN, hex);
        fprintf(out, "    event %u:   %s  %s\n", i + 1, hex, log->events[i].description);
    }
}

static void print_rtmr_text(FILE *out, const struct igk_rtmr_prediction *p)
{
    fprintf(out, "\ntdx: RTMR prediction (OVMF direct kernel boot, %llu MiB of memory)\n",
            (unsigned long long)(p->memory >> 20));
    print_rtmr_log(out, "rtmr1", &p->rtmr1);
    print_rtmr_log(out, "rtmr2", &p->rtmr2);
}

int cli_idblock_verdict(const char *name, const struct igk_measurement *m, unsigned n,
                        bool ignore, const char *anyway)
{
    int status = IGK_EXIT_OK;

    for (unsigned i = 0; i < n && !ignore; i++) {
        const char *p = igk_platform_name(m[i].platform);

        if (m[i].idblock == IGK_IDBLOCK_ABSENT || m[i].idblock == IGK_IDBLOCK_OK)
            continue;
        if (!m[i].idblock_ld_match) {
            char want[97], got[97];

            igk_hex_encode(m[i].idblock_ld, sizeof(m[i].idblock_ld), want);
            igk_hex_encode(m[i].digest, 48, got);
            cli_error(IGK_EXIT_MISMATCH,
                      "%s: %s: the ID block LD %s does not match the computed launch digest %s",
                      name, p, want, got);
        }
        if (!m[i].idblock_id_sig_ok)
            cli_error(IGK_EXIT_MISMATCH,
                      "%s: %s: the ID block's ID-key signature does not verify", name, p);
        if (m[i].idblock_author_present && !m[i].idblock_author_sig_ok)
            cli_error(IGK_EXIT_MISMATCH,
                      "%s: %s: the ID block's author-key signature over the ID key does not "
                      "verify",
                      name, p);
        status = IGK_EXIT_MISMATCH;
    }
    if (status != IGK_EXIT_OK)
        fprintf(stderr, "igvmkit: use --ignore-idblock to %s anyway\n", anyway);
    return status;
}

int cli_measure_report(const struct igk_igvm *igvm, const char *name,
                       const struct cli_measure_request *request)
{
    struct report rep = {.igvm = igvm, .name = name};
    struct cli_launch_set launch = {.n = 0};
    int r;

    if (request->n_platforms) {
        for (unsigned i = 0; i < request->n_platforms && i < IGK_PLATFORM_MAX; i++)
            rep.platforms[rep.n++] = (enum igk_platform_type)request->platforms[i];
    } else {
        struct igk_error err;
        size_t n;

        igk_error_clear(&err);
        if (igk_measure_declared_platforms(igvm, rep.platforms, &n, &err) < 0) {
            igk_error_set_path(&err, name);
            return cli_fail(&err);
        }
        rep.n = (unsigned)n;
    }
    {
        struct igk_error err;
        struct igk_measure_options options = request->options;
        struct cli_progress progress;

        igk_error_clear(&err);
        cli_progress_start(&progress, "hashing", request->quiet);
        if (progress.enabled) {
            options.progress = cli_progress_update;
            options.progress_user = &progress;
        }
        r = igk_measure_platforms(igvm, rep.platforms, rep.n, &options, rep.m, &err);
        cli_progress_end(&progress);
        if (r < 0) {
            if (!err.path[0])
                igk_error_set_path(&err, name);
            return cli_fail(&err);
        }
    }
    for (unsigned i = 0; request->snp_firmware_digest && i < rep.n; i++)
        if (rep.m[i].platform == IGK_PLATFORM_SEV_SNP && !rep.m[i].has_firmware_digest) {
            memcpy(rep.m[i].firmware_digest, request->snp_firmware_digest, 48);
            rep.m[i].has_firmware_digest = true;
        }
    if (request->format != CLI_OUTPUT_BARE && request->launch_input) {
        struct igk_error err;

        igk_error_clear(&err);
        if (cli_launch_for_measure(igvm, request->launch_input, request->launch_igvm_path,
                                   request->options.loader, rep.platforms, rep.n, &launch,
                                   &err) < 0) {
            if (!err.path[0])
                igk_error_set_path(&err, request->launch_input);
            return cli_fail(&err);
        }
    }
    switch (request->format) {
    case CLI_OUTPUT_BARE:
        for (unsigned i = 0; i < rep.n; i++) {
            char hex[130];
            igk_hex_encode(rep.m[i].digest, rep.m[i].digest_len, hex);
            printf("%s\n", hex);
        }
        r = cli_write_stdout("", 0);
        break;
    case CLI_OUTPUT_JSON:
        r = print_json(&rep, request->rtmr, &launch);
        break;
    default:
        print_text(&rep, stdout);
        if (request->rtmr)
            print_rtmr_text(stdout, request->rtmr);
        cli_launch_print_section(stdout, &launch);
        r = cli_write_stdout("", 0);
        break;
    }
    cli_launch_set_done(&launch);
    if (r)
        return r;
    return cli_idblock_verdict(name, rep.m, rep.n, request->options.ignore_idblock,
                               "report the digest");
}
