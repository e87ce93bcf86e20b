/* SPDX-License-Identifier: MIT */
/*
 * igvmkit verify: compare an SEV-SNP attestation report or a TDX quote with
 * the values an IGVM file (or descriptor) predicts, field by field.
 * Exit 0 when every field matches, 4 on any mismatch (including a report
 * signature that the --vcek key does not verify), 3 for malformed evidence.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/measure.h>

#include "cli.h"
#include "file-input.h"
#include "json.h"
#include "load-model.h"
#include <igvmkit/attest.h>
#include "sign-private.h"
#include "util.h"
#include "verify-tdx.h"

static const char usage_text[] =
    "Usage: igvmkit verify FILE --snp-report REPORT.bin [--vcek CERT.pem] [--host-data HEX]\n"
    "                      [--loader L] [--json]\n"
    "       igvmkit verify [FILE] --tdx-quote QUOTE.bin [--kernel K [--initrd I]\n"
    "                      [--cmdline TEXT] [--memory SIZE]] [--event-log LOG\n"
    "                      [--ccel-table T]] [--tdx-collateral DIR] [--at TIME]\n"
    "                      [--mrconfigid HEX] [--mrowner HEX] [--mrownerconfig HEX]\n"
    "                      [--report-data HEX] [--no-signature] [--json]\n"
    "\n"
    "Compare attestation evidence with the launch values FILE (an IGVM file or a\n"
    "descriptor) predicts.\n"
    "\n"
    "  --snp-report R   SEV-SNP ATTESTATION_REPORT (0x4a0 bytes): MEASUREMENT, POLICY,\n"
    "                   FAMILY_ID, IMAGE_ID, GUEST_SVN, ID/AUTHOR_KEY_DIGEST\n"
    "  --vcek CERT      also verify the report signature with this certificate's\n"
    "                   (or PEM public key's) P-384 key\n"
    "  --host-data HEX  also compare HOST_DATA (64 hex digits)\n"
    "  --loader L       digest profile: qemu (default), qemu-classic, openvmm;\n"
    "                   qemu-8 for TDX launches by QEMU 8.x (two-pass MRTD)\n"
    "  --tdx-quote Q    TDX quote version 4 or 5: authenticated up to the pinned\n"
    "                   Intel SGX Root CA, then MRTD, TD_DEBUG and what is given;\n"
    "                   without FILE the quote alone is authenticated and shown\n"
    "  --event-log L    TD event log (CCEL area): replayed RTMR0..3 must equal the\n"
    "                   quote's; predicted RTMR1/RTMR2 events compared one by one\n"
    "  --ccel-table T   ACPI CCEL table giving the log area length\n"
    "  --tdx-collateral DIR  pckcrl.der, tcbInfo.json, qeIdentity.json: CRL, TCB\n"
    "                   status, QE identity (without it TCB status is not checked)\n"
    "  --at TIME        check certificate and CRL validity at TIME (RFC 3339,\n"
    "                   e.g. 2023-06-15T00:00:00Z) instead of now\n"
    "  --mrconfigid HEX, --mrowner HEX, --mrownerconfig HEX  expected values (48 bytes)\n"
    "  --report-data HEX expected REPORTDATA (up to 64 bytes, zero padded)\n"
    "  --no-signature   do not authenticate the quote (the output says so)\n"
    "  --kernel K       also predict and compare RTMR1/RTMR2 for an OVMF direct boot\n"
    "                   of kernel K (with --initrd, --cmdline as given to -append,\n"
    "                   --memory as given to -m, default 2G)\n"
    "  --json           print the comparison as JSON\n"
    "  -h, --help       show this help\n";

enum {
    OPT_SNP_REPORT = 0x100,
    OPT_VCEK,
    OPT_HOST_DATA,
    OPT_LOADER,
    OPT_TDX_QUOTE,
    OPT_KERNEL,
    OPT_INITRD,
    OPT_CMDLINE,
    OPT_MEMORY,
    OPT_JSON,
    OPT_EVENT_LOG,
    OPT_CCEL_TABLE,
    OPT_TDX_COLLATERAL,
    OPT_AT,
    OPT_MRCONFIGID,
    OPT_MROWNER,
    OPT_MROWNERCONFIG,
    OPT_REPORT_DATA,
    OPT_NO_SIGNATURE,
};

static const struct option options[] = {
    {"snp-report", required_argument, NULL, OPT_SNP_REPORT},
    {"vcek", required_argument, NULL, OPT_VCEK},
    {"host-data", required_argument, NULL, OPT_HOST_DATA},
    {"loader", required_argument, NULL, OPT_LOADER},
    {"tdx-quote", required_argument, NULL, OPT_TDX_QUOTE},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"initrd", required_argument, NULL, OPT_INITRD},
    {"cmdline", required_argument, NULL, OPT_CMDLINE},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"json", no_argument, NULL, OPT_JSON},
    {"event-log", required_argument, NULL, OPT_EVENT_LOG},
    {"ccel-table", required_argument, NULL, OPT_CCEL_TABLE},
    {"tdx-collateral", required_argument, NULL, OPT_TDX_COLLATERAL},
    {"at", required_argument, NULL, OPT_AT},
    {"mrconfigid", required_argument, NULL, OPT_MRCONFIGID},
    {"mrowner", required_argument, NULL, OPT_MROWNER},
    {"mrownerconfig", required_argument, NULL, OPT_MROWNERCONFIG},
    {"report-data", required_argument, NULL, OPT_REPORT_DATA},
    {"no-signature", no_argument, NULL, OPT_NO_SIGNATURE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct verify_args {
    const char *input, *snp_report, *vcek, *host_data, *tdx_quote;
    const char *kernel, *initrd, *cmdline;
    uint64_t memory;
    enum igk_loader loader;
    bool json;
    /* TDX (cli/verify-tdx.c) */
    struct cli_tdx_args tdx;
};

/* "2G", "2048M", "1073741824", "512K": a byte count. */
static bool parse_size(const char *s, uint64_t *ret)
{
    char buf[32];
    unsigned long long v;
    size_t n = strlen(s);
    unsigned shift = 0;

    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n + 1);
    switch (buf[n - 1]) {
    case 'K': case 'k': shift = 10; break;
    case 'M': case 'm': shift = 20; break;
    case 'G': case 'g': shift = 30; break;
    case 'T': case 't': shift = 40; break;
    default: break;
    }
    if (shift)
        buf[n - 1] = 0;
    if (!cli_parse_u64(buf, UINT64_MAX >> shift, &v))
        return false;
    *ret = (uint64_t)v << shift;
    return *ret != 0;
}

static const char *options_name(int c)
{
    for (size_t i = 0; options[i].name; i++)
        if (options[i].val == c)
            return options[i].name;
    return "?";
}

static int parse_args(int argc, char **argv, struct verify_args *a)
{
    int c, loader;

    memset(a, 0, sizeof(*a));
    a->loader = IGK_LOADER_QEMU;
    a->memory = 2ull << 30;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_SNP_REPORT: a->snp_report = optarg; break;
        case OPT_VCEK: a->vcek = optarg; break;
        case OPT_HOST_DATA: a->host_data = optarg; break;
        case OPT_TDX_QUOTE: a->tdx_quote = optarg; break;
        case OPT_KERNEL: a->kernel = optarg; break;
        case OPT_INITRD: a->initrd = optarg; break;
        case OPT_CMDLINE: a->cmdline = optarg; break;
        case OPT_JSON: a->json = true; break;
        case OPT_EVENT_LOG:
        case OPT_CCEL_TABLE:
        case OPT_TDX_COLLATERAL:
        case OPT_AT:
        case OPT_MRCONFIGID:
        case OPT_MROWNER:
        case OPT_MROWNERCONFIG:
        case OPT_REPORT_DATA:
        case OPT_NO_SIGNATURE:
            if (cli_tdx_option(&a->tdx, options_name(c), optarg) != 0)
                return IGK_EXIT_USAGE;
            break;
        case OPT_MEMORY:
            if (!parse_size(optarg, &a->memory))
                return cli_usage("verify", "--memory: '%s' is not a size (like 2G or 1024M)",
                                 optarg);
            break;
        case OPT_LOADER:
            loader = igk_loader_from_name(optarg);
            if (loader < 0)
                return cli_usage("verify", "--loader: unknown loader '%s' (qemu, qemu-classic, "
                                           "openvmm, qemu-8)", optarg);
            a->loader = (enum igk_loader)loader;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return cli_usage("verify", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc && a->tdx_quote && !a->snp_report) {
        a->input = NULL; /* the quote alone */
    } else {
        if (optind != argc - 1)
            return cli_usage("verify", optind >= argc ? "no input file" : "too many arguments");
        a->input = argv[optind];
    }
    if (!a->snp_report == !a->tdx_quote)
        return cli_usage("verify", "give exactly one of --snp-report and --tdx-quote");
    if (a->tdx_quote && (a->vcek || a->host_data))
        return cli_usage("verify", "--vcek and --host-data apply to --snp-report");
    if (a->snp_report && (a->kernel || a->initrd || a->cmdline))
        return cli_usage("verify", "--kernel, --initrd and --cmdline apply to --tdx-quote");
    if (a->snp_report && cli_tdx_args_given(&a->tdx))
        return cli_usage("verify", "--event-log, --ccel-table, --tdx-collateral, --at, "
                                   "--mr*, --report-data and --no-signature apply to "
                                   "--tdx-quote here");
    if (!a->input && (a->kernel || a->loader != IGK_LOADER_QEMU))
        return cli_usage("verify", "--kernel and --loader need FILE");
    if (a->tdx.ccel_table && !a->tdx.event_log)
        return cli_usage("verify", "--ccel-table needs --event-log");
    if (!a->kernel && (a->initrd || a->cmdline))
        return cli_usage("verify", "--initrd and --cmdline need --kernel");
    return 0;
}

static int print_table(const struct verify_args *a, const char *evidence, unsigned version,
                       const struct igk_verify_table *t)
{
    int width = 8;

    if (a->json) {
        struct igk_json j;
        char *text;
        size_t len;

        igk_json_init(&j, true);
        igk_json_begin_object(&j);
        igk_json_key(&j, "file");
        if (a->input)
            igk_json_string(&j, a->input);
        else
            igk_json_null(&j);
        igk_json_key(&j, "evidence");
        igk_json_string(&j, evidence);
        igk_json_key(&j, "version");
        igk_json_uint(&j, version);
        igk_json_key(&j, "match");
        igk_json_bool(&j, t->n_mismatches == 0);
        igk_json_key(&j, "fields");
        igk_json_begin_array(&j);
        for (size_t i = 0; i < t->n_rows; i++) {
            igk_json_begin_object(&j);
            igk_json_key(&j, "field");
            igk_json_string(&j, t->rows[i].field);
            igk_json_key(&j, "expected");
            igk_json_string(&j, t->rows[i].expected);
            igk_json_key(&j, "actual");
            igk_json_string(&j, t->rows[i].actual);
            igk_json_key(&j, "match");
            igk_json_bool(&j, t->rows[i].match);
            igk_json_end_object(&j);
        }
        igk_json_end_array(&j);
        igk_json_end_object(&j);
        if (igk_json_finish(&j, &text, &len) < 0)
            return cli_error(IGK_EXIT_INTERNAL, "out of memory");
        int r = cli_write_stdout(text, len);
        free(text);
        return r;
    }
    for (size_t i = 0; i < t->n_rows; i++)
        if ((int)strlen(t->rows[i].expected) > width)
            width = (int)strlen(t->rows[i].expected);
    printf("%-17s %-*s %-*s %s\n", "FIELD", width, "EXPECTED", width, "ACTUAL", "RESULT");
    for (size_t i = 0; i < t->n_rows; i++)
        printf("%-17s %-*s %-*s %s\n", t->rows[i].field, width, t->rows[i].expected, width,
               t->rows[i].actual, t->rows[i].match ? "match" : "MISMATCH");
    if (t->n_mismatches)
        printf("%s: %zu of %zu fields MISMATCH\n", evidence, t->n_mismatches, t->n_rows);
    else
        printf("%s: all %zu fields match\n", evidence, t->n_rows);
    return cli_write_stdout("", 0);
}

/* Reads an evidence file; err->path is set on failure. */
static int read_evidence(const char *path, enum igk_limit_id limit, uint8_t **data, size_t *len,
                         struct igk_error *err)
{
    int r = igk_read_file_limit(path, limit, NULL, data, len, err);

    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}

static int verify_snp(const struct verify_args *a, const struct igk_igvm *igvm,
                      struct igk_verify_table *t, unsigned *version, struct igk_error *err)
{
    struct igk_snp_expected e;
    struct igk_snp_report rep;
    EVP_PKEY *vcek = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    int r;

    r = read_evidence(a->snp_report, IGK_LIMIT_SMALL_FILE, &buf, &len, err);
    if (r < 0)
        return r;
    r = igk_snp_report_parse(buf, len, &rep, err);
    if (r < 0) {
        igk_error_set_path(err, a->snp_report);
        goto out;
    }
    *version = rep.version;
    if (a->vcek) {
        r = igk_sign_load_public_key(a->vcek, "VCEK", &vcek, err);
        if (r < 0)
            goto out;
    }
    r = igk_snp_expected_from_igvm(igvm, a->loader, &e, err);
    if (r < 0)
        goto out;
    if (a->host_data) {
        e.has_host_data = true;
        igk_hex_decode(a->host_data, e.host_data, sizeof(e.host_data)); /* checked in run */
    }
    igk_snp_compare(&e, &rep, t);
    if (vcek) {
        struct igk_error serr;

        igk_error_clear(&serr);
        r = igk_snp_report_verify(buf, len, vcek, &serr);
        if (r == IGK_E_INVALID) {
            *err = serr;
            igk_error_set_path(err, a->snp_report);
            goto out;
        }
        igk_verify_add_text(t, "SIGNATURE", "valid (VCEK)", r == 0 ? "valid" : "invalid",
                            r == 0);
        r = 0;
    }
out:
    EVP_PKEY_free(vcek);
    free(buf);
    return r;
}

static int verify_tdx(struct verify_args *a, const struct igk_igvm *igvm,
                      struct igk_verify_table *t, unsigned *version, struct igk_error *err)
{
    struct cli_tdx_request req = {
        .quote_path = a->tdx_quote,
        .input = a->input,
        .igvm = igvm,
        .loader = a->loader,
        .kernel = a->kernel,
        .initrd = a->initrd,
        .cmdline = a->cmdline,
        .memory = a->memory,
        .json = a->json,
    };

    return cli_verify_tdx(&req, &a->tdx, t, version, err);
}

int verb_verify(int argc, char **argv)
{
    struct verify_args a;
    struct igk_verify_table t;
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    uint8_t host_data[32];
    unsigned version = 0;
    int r = parse_args(argc, argv, &a);

    if (r)
        return r < 0 ? IGK_EXIT_OK : r;
    if (a.host_data && igk_hex_decode(a.host_data, host_data, sizeof(host_data)) < 0)
        return cli_usage("verify", "--host-data: expected 64 hex digits (32 bytes), got '%s'",
                         a.host_data);
    igk_error_clear(&err);
    memset(&t, 0, sizeof(t));
    r = a.input ? cli_load_model(a.input, CLI_LOAD_DESCRIPTOR, &igvm, &err) : 0;
    if (r == 0)
        r = a.snp_report ? verify_snp(&a, igvm, &t, &version, &err)
                         : verify_tdx(&a, igvm, &t, &version, &err);
    igk_igvm_free(igvm);
    if (r < 0) {
        cli_tdx_args_done(&a.tdx);
        return cli_fail(&err);
    }
    r = print_table(&a, a.snp_report ? "sev-snp-report" : "tdx-quote", version, &t);
    if (r == IGK_EXIT_OK && a.tdx_quote && !a.json)
        r = cli_tdx_print_notes(&a.tdx);
    cli_tdx_args_done(&a.tdx);
    if (r != IGK_EXIT_OK)
        return r;
    return t.n_mismatches ? IGK_EXIT_MISMATCH : IGK_EXIT_OK;
}
