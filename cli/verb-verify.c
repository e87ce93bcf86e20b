/* SPDX-License-Identifier: MIT */
/*
 * igvmkit verify: authenticate attestation evidence and compare it with the
 * values an IGVM file (or descriptor) predicts.  Every check is a row of an
 * igk_verify_table (<igvmkit/attest.h>); exit 0 only when every row that bears
 * on authenticity or identity matched, 4 otherwise (a check that could not be
 * made fails unless the user opted out of it by name), 3 for malformed
 * evidence or certificates (igvmkit(1), verify).
 *
 * Layout: argument parsing, then one function per kind of evidence
 * (verify_snp, verify_tdx) filling the table, then one printer for both.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include <igvmkit/attest.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>

#include "cli.h"
#include "json.h"
#include "load-model.h"
#include "options.h"
#include "util.h"
#include "verify-tdx.h"

enum {
    OPT_SNP_REPORT = 1,
    OPT_VCEK,
    OPT_CERT_CHAIN,
    OPT_AT,
    OPT_NO_SIGNATURE,
    OPT_REPORT_DATA,
    OPT_VMPL,
    OPT_MIN_TCB,
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
    OPT_MRCONFIGID,
    OPT_MROWNER,
    OPT_MROWNERCONFIG,
    OPT_WIDE,
};

static const struct cli_option options[] = {
    {"snp-report", 0, "R", 0, OPT_SNP_REPORT, "SEV-SNP ATTESTATION_REPORT (0x4a0 bytes)"},
    {"vcek", 0, "CERT", 0, OPT_VCEK,
     "the VCEK or VLEK that signed R: DER, PEM, or a PEM bundle\n"
     "with its ASK/ASVK and ARK in any order; checked up to\n"
     "AMD's root (built in, pinned), never fetched"},
    {"cert-chain", 0, "F", 0, OPT_CERT_CHAIN,
     "ASK/ASVK/ARK certificates (PEM or DER) used before the\n"
     "built-in ones"},
    {"at", 0, "TIME", 0, OPT_AT,
     "judge certificate (and CRL) validity at TIME (RFC 3339,\n"
     "like 2025-06-01T00:00:00Z) instead of now"},
    {"no-signature", 0, NULL, 0, OPT_NO_SIGNATURE,
     "do not authenticate the evidence (the output says so)"},
    {"report-data", 0, "HEX", 0, OPT_REPORT_DATA,
     "REPORT_DATA / REPORTDATA (up to 64 bytes, zero padded)"},
    {"vmpl", 0, "N", 0, OPT_VMPL, "VMPL of the report (default 0 with FILE)"},
    {"min-tcb", 0, "TCB", 0, OPT_MIN_TCB,
     "REPORTED_TCB at least bl=N,tee=N,snp=N,ucode=N[,fmc=N]"},
    {"host-data", 0, "HEX", 0, OPT_HOST_DATA, "HOST_DATA (64 hex digits)"},
    {"loader", 'l', "L", 0, OPT_LOADER,
     "digest profile: qemu (default), qemu-classic, openvmm;\n"
     "qemu-8 for TDX launches by QEMU 8.x (two-pass MRTD)"},
    {"tdx-quote", 0, "Q", 0, OPT_TDX_QUOTE,
     "TDX quote version 4 or 5: authenticated up to the pinned\n"
     "Intel SGX Root CA, then MRTD, TD_DEBUG and what is given;\n"
     "without FILE the quote alone is authenticated and shown"},
    {"tdx-collateral", 0, "DIR", 0, OPT_TDX_COLLATERAL,
     "pckcrl.der, tcbInfo.json, qeIdentity.json: CRL, TCB\n"
     "status, QE identity (without it TCB status is not checked)"},
    {"mrconfigid", 0, "HEX", 0, OPT_MRCONFIGID, "expected MRCONFIGID (48 bytes)"},
    {"mrowner", 0, "HEX", 0, OPT_MROWNER, "expected MROWNER (48 bytes)"},
    {"mrownerconfig", 0, "HEX", 0, OPT_MROWNERCONFIG, "expected MROWNERCONFIG (48 bytes)"},
    {"event-log", 0, "L", 0, OPT_EVENT_LOG,
     "TD event log (CCEL area): replayed RTMR0..3 must equal the\n"
     "quote's; predicted RTMR1/RTMR2 events compared one by one"},
    {"ccel-table", 0, "T", 0, OPT_CCEL_TABLE, "ACPI CCEL table giving the log area length"},
    {"kernel", 0, "K", 0, OPT_KERNEL,
     "also predict and compare RTMR1/RTMR2 for an OVMF direct\n"
     "boot of kernel K (with --initrd, --cmdline as given to\n"
     "-append, --memory as given to -m, default 2G)"},
    {"initrd", 0, "I", 0, OPT_INITRD, "the initrd of that boot"},
    {"cmdline", 0, "TEXT", 0, OPT_CMDLINE, "its command line"},
    {"memory", 0, "SIZE", 0, OPT_MEMORY, "its memory size as -m takes it (MiB, or with\nunit B/K/M/G/T)"},
    {"json", 'j', NULL, 0, OPT_JSON, "print the checks as JSON (values in full)"},
    {"wide", 0, NULL, 0, OPT_WIDE, "text: every value in full (lines may exceed 100\ncolumns)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "verify",
    .usage = "[FILE] --snp-report REPORT [OPTIONS]\n"
             "[FILE] --tdx-quote QUOTE [OPTIONS]",
    .about = "Authenticate attestation evidence and, with FILE (an IGVM file or a\n"
             "descriptor), compare it with the launch values FILE predicts.  Exit 0 only\n"
             "when every check of authenticity and identity matched.",
    .options = options,
    .exits = {"every required check matched", NULL, NULL, "malformed evidence or certificate",
              "a check failed or could not be made", "an SGX quote or another TEE", ""},
};

struct verify_args {
    const char *input; /* NULL: the evidence alone */
    const char *snp_report, *vcek, *cert_chain, *tdx_quote;
    const char *kernel, *initrd, *cmdline;
    uint64_t memory;
    enum igk_loader loader;
    int64_t at;
    bool has_at, no_signature, json, wide;
    bool has_host_data, has_report_data, has_vmpl, has_min_tcb;
    uint8_t host_data[32];
    uint8_t report_data[64];
    uint32_t vmpl;
    struct igk_snp_tcb min_tcb;
    struct cli_tdx_args tdx; /* the TDX-only options (cli/verify-tdx.c) */
};

/* Up to 64 bytes of hex (an even number of digits), zero padded on the right. */
static bool parse_report_data(const char *hex, uint8_t out[64])
{
    size_t n = strlen(hex);

    if (!strncmp(hex, "0x", 2))
        hex += 2, n -= 2;
    memset(out, 0, 64);
    return n > 0 && n % 2 == 0 && n <= 128 && igk_hex_decode(hex, out, n / 2) == 0;
}

static int parse_value(struct verify_args *a, int c, const char *arg)
{
    struct igk_error err;
    unsigned long long v;

    igk_error_clear(&err);
    switch (c) {
    case OPT_MEMORY:
        if (!cli_parse_size(arg, &a->memory))
            return cli_usage("verify", "--memory: '%s' is not a size (like 2G or 1024M)", arg);
        if (!cli_memory_within_limit(a->memory))
            return cli_usage("verify", "--memory: '%s' is more than the limit 'memory' of 16 TiB",
                             arg);
        return 0;
    case OPT_LOADER:
        return cli_parse_loader("verify", arg, &a->loader);
    case OPT_AT:
        if (igk_time_parse_rfc3339(arg, &a->at, &err) < 0)
            return cli_usage("verify", "--at: %s", err.message);
        a->has_at = true;
        return 0;
    case OPT_REPORT_DATA:
        if (!parse_report_data(arg, a->report_data))
            return cli_usage(
                "verify", "--report-data: expected up to 128 hex digits (64 bytes), got '%s'", arg);
        a->has_report_data = true;
        return 0;
    case OPT_HOST_DATA:
        if (strlen(arg) != 64 || igk_hex_decode(arg, a->host_data, 32) < 0)
            return cli_usage("verify", "--host-data: expected 64 hex digits (32 bytes), got '%s'",
                             arg);
        a->has_host_data = true;
        return 0;
    case OPT_VMPL:
        if (!cli_parse_u64(arg, 3, &v))
            return cli_usage("verify", "--vmpl: expected 0, 1, 2 or 3, got '%s'", arg);
        a->vmpl = (uint32_t)v;
        a->has_vmpl = true;
        return 0;
    case OPT_MIN_TCB:
        if (igk_snp_tcb_parse(arg, &a->min_tcb, &err) < 0)
            return cli_usage("verify", "--min-tcb: %s", err.message);
        a->has_min_tcb = true;
        return 0;
    default:
        return 0;
    }
}

static int parse_args(int argc, char **argv, struct verify_args *a)
{
    struct cli_parser p;
    int c, r;

    memset(a, 0, sizeof(*a));
    a->loader = IGK_LOADER_QEMU;
    a->memory = 2ull << 30;
    a->at = (int64_t)time(NULL);
    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        const char *optarg = p.value;

        switch (c) {
        case CLI_STOP:
            return p.status ? p.status : -1; /* -1: --help printed */
        case OPT_SNP_REPORT:
            a->snp_report = optarg;
            break;
        case OPT_VCEK:
            a->vcek = optarg;
            break;
        case OPT_CERT_CHAIN:
            a->cert_chain = optarg;
            break;
        case OPT_NO_SIGNATURE:
            a->no_signature = true;
            break;
        case OPT_TDX_QUOTE:
            a->tdx_quote = optarg;
            break;
        case OPT_KERNEL:
            a->kernel = optarg;
            break;
        case OPT_INITRD:
            a->initrd = optarg;
            break;
        case OPT_CMDLINE:
            a->cmdline = optarg;
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_WIDE:
            a->wide = true;
            break;
        case OPT_MEMORY:
        case OPT_LOADER:
        case OPT_AT:
        case OPT_REPORT_DATA:
        case OPT_HOST_DATA:
        case OPT_VMPL:
        case OPT_MIN_TCB:
            r = parse_value(a, c, optarg);
            if (r)
                return r;
            break;
        case OPT_EVENT_LOG:
        case OPT_CCEL_TABLE:
        case OPT_TDX_COLLATERAL:
        case OPT_MRCONFIGID:
        case OPT_MROWNER:
        case OPT_MROWNERCONFIG:
            if (cli_tdx_option(&a->tdx, p.option->name, optarg) != 0)
                return IGK_EXIT_USAGE;
            break;
        }
    }
    if ((r = cli_operands(&p, 0, 1, "FILE")) != 0)
        return r;
    a->input = p.n_operands ? p.operands[0] : NULL;
    if (!a->snp_report == !a->tdx_quote)
        return cli_usage("verify", "give exactly one of --snp-report and --tdx-quote");
    if (a->tdx_quote && (a->vcek || a->cert_chain || a->has_host_data || a->has_vmpl ||
                         a->has_min_tcb))
        return cli_usage("verify", "--vcek, --cert-chain, --host-data, --vmpl and --min-tcb "
                                   "apply to --snp-report");
    if (a->snp_report && cli_tdx_args_given(&a->tdx))
        return cli_usage("verify", "--tdx-collateral, --event-log, --ccel-table, --mrconfigid, "
                                   "--mrowner and --mrownerconfig apply to --tdx-quote");
    if (a->tdx_quote && !a->input && (a->kernel || a->loader != IGK_LOADER_QEMU))
        return cli_usage("verify", "--kernel and --loader need FILE");
    if (a->tdx.ccel_table && !a->tdx.event_log)
        return cli_usage("verify", "--ccel-table needs --event-log");
    if (a->no_signature && (a->vcek || a->cert_chain))
        return cli_usage("verify", "--no-signature contradicts --vcek and --cert-chain");
    if (a->cert_chain && !a->vcek)
        return cli_usage("verify", "--cert-chain needs --vcek");
    if (a->snp_report && (a->kernel || a->initrd || a->cmdline))
        return cli_usage("verify", "--kernel, --initrd and --cmdline apply to --tdx-quote");
    if (!a->kernel && (a->initrd || a->cmdline))
        return cli_usage("verify", "--initrd and --cmdline need --kernel");
    if (a->snp_report && a->input && !a->has_vmpl)
        a->has_vmpl = true; /* a guest launched from FILE runs at VMPL 0 unless told otherwise */
    /* The options both kinds of evidence share, for the TDX side. */
    a->tdx.no_signature = a->no_signature;
    a->tdx.has_at = a->has_at;
    a->tdx.at = a->at;
    a->tdx.has_report_data = a->has_report_data;
    memcpy(a->tdx.report_data, a->report_data, 64);
    return 0;
}

/* ---- printing (both kinds of evidence) ---- */

struct evidence_info {
    const char *kind;      /* "sev-snp-report", "tdx-quote" */
    const char *path;      /* the evidence file */
    const char *cert_path; /* the certificate file rows about certificates concern, or NULL */
    unsigned version;
    const struct igk_snp_report *snp; /* for the field listing, or NULL */
};

static const char *result_word(const struct igk_verify_row *row)
{
    switch (row->status) {
    case IGK_VERIFY_MATCH:
        return "match";
    case IGK_VERIFY_MISMATCH:
        return "MISMATCH";
    default:
        return "not checked";
    }
}

/* Whether a row is about a certificate (named by the certificate file in messages). */
static bool about_certificate(const struct igk_verify_row *row)
{
    return strstr(row->field, "_SIGNED") || strstr(row->field, "_VALIDITY") ||
           !strncmp(row->field, "ARK_", 4) || !strcmp(row->field, "CHIP_ID") ||
           !strcmp(row->field, "REPORTED_TCB") || !strcmp(row->field, "PRODUCT");
}

static void json_snp_report(struct igk_json *j, const struct igk_snp_report *r)
{
    struct igk_snp_tcb tcb;
    char text[80];
    enum igk_amd_product p = igk_snp_report_product(r);

    igk_json_key(j, "report");
    igk_json_begin_object(j);
    igk_json_key(j, "version");
    igk_json_uint(j, r->version);
    igk_json_key(j, "guest_svn");
    igk_json_uint(j, r->guest_svn);
    igk_json_key(j, "policy");
    igk_json_hex_u64(j, r->policy);
    igk_json_key(j, "debug_allowed");
    igk_json_bool(j, r->policy & IGK_SNP_POLICY_DEBUG);
    igk_json_key(j, "family_id");
    igk_json_hex(j, r->family_id, 16);
    igk_json_key(j, "image_id");
    igk_json_hex(j, r->image_id, 16);
    igk_json_key(j, "vmpl");
    igk_json_uint(j, r->vmpl);
    igk_json_key(j, "signing_key");
    igk_json_string(j, r->signing_key == IGK_SNP_SIGNING_KEY_VCEK   ? "vcek"
                       : r->signing_key == IGK_SNP_SIGNING_KEY_VLEK ? "vlek"
                                                                    : "none");
    igk_json_key(j, "product");
    igk_json_string(j, igk_amd_product_name(p));
    igk_json_key(j, "report_data");
    igk_json_hex(j, r->report_data, 64);
    igk_json_key(j, "measurement");
    igk_json_hex(j, r->measurement, 48);
    igk_json_key(j, "host_data");
    igk_json_hex(j, r->host_data, 32);
    igk_json_key(j, "id_key_digest");
    igk_json_hex(j, r->id_key_digest, 48);
    igk_json_key(j, "author_key_digest");
    igk_json_hex(j, r->author_key_digest, 48);
    igk_json_key(j, "reported_tcb");
    igk_json_hex_u64(j, r->reported_tcb);
    igk_snp_tcb_decode(r->reported_tcb, p, &tcb);
    igk_snp_tcb_format(&tcb, text, sizeof(text));
    igk_json_key(j, "reported_tcb_parts");
    igk_json_string(j, text);
    igk_json_key(j, "chip_id");
    igk_json_hex(j, r->chip_id, 64);
    igk_json_end_object(j);
}

static int print_json(const struct verify_args *a, const struct evidence_info *ev,
                      const struct igk_verify_table *t)
{
    struct igk_json j;
    char *text;
    size_t len;
    int r;

    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "schema");
    igk_json_uint(&j, IGK_VERIFY_SCHEMA);
    igk_json_key(&j, "file");
    if (a->input)
        igk_json_string(&j, a->input);
    else
        igk_json_null(&j);
    igk_json_key(&j, "evidence");
    igk_json_string(&j, ev->kind);
    igk_json_key(&j, "evidence_file");
    igk_json_string(&j, ev->path);
    igk_json_key(&j, "version");
    igk_json_uint(&j, ev->version);
    if (ev->snp) {
        char when[32];

        igk_time_format(a->at, when);
        igk_json_key(&j, "validity_at"); /* the time certificates were judged at */
        igk_json_string(&j, when);
    }
    igk_json_key(&j, "status");
    igk_json_string(&j, igk_verify_passed(t) ? "verified" : "failed");
    igk_json_key(&j, "match");
    igk_json_bool(&j, igk_verify_passed(t));
    igk_json_key(&j, "fields");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct igk_verify_row *row = &t->rows[i];

        igk_json_begin_object(&j);
        igk_json_key(&j, "field");
        igk_json_string(&j, row->field);
        igk_json_key(&j, "expected");
        igk_json_string(&j, row->expected);
        igk_json_key(&j, "actual");
        igk_json_string(&j, row->actual);
        igk_json_key(&j, "status");
        igk_json_string(&j, igk_verify_status_name(row->status));
        igk_json_key(&j, "reason");
        igk_json_string(&j, row->reason);
        igk_json_key(&j, "required");
        igk_json_bool(&j, row->required);
        igk_json_key(&j, "waived");
        igk_json_bool(&j, row->waived);
        igk_json_key(&j, "match");
        igk_json_bool(&j, row->match);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_key(&j, "notes");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < t->n_notes; i++)
        igk_json_string(&j, t->notes[i]);
    igk_json_end_array(&j);
    if (ev->snp)
        json_snp_report(&j, ev->snp);
    if (a->tdx_quote)
        cli_tdx_json_events(&a->tdx, &j);
    igk_json_end_object(&j);
    if (igk_json_finish(&j, &text, &len) < 0)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    r = cli_write_stdout(text, len);
    free(text);
    return r;
}

/* The report's own fields, for `verify --snp-report R` without FILE. */
/* "  name  hex": without wide, hex longer than 64 digits goes on in 64-digit lines. */
static void print_hex_field(const char *name, const char *hex, bool wide)
{
    size_t len = strlen(hex);

    printf("  %-18s %.*s\n", name, wide ? (int)len : 64, hex);
    for (size_t at = 64; !wide && at < len; at += 64)
        printf("  %-18s %.64s\n", "", hex + at);
}

static void print_snp_fields(const struct igk_snp_report *r, bool wide)
{
    enum igk_amd_product p = igk_snp_report_product(r);
    struct igk_snp_tcb tcb;
    char hex[129], text[IGK_POLICY_TEXT_MAX];

    printf("SEV-SNP attestation report, version %u\n", r->version);
    printf("  %-18s %s\n", "signing key",
           r->signing_key == IGK_SNP_SIGNING_KEY_VCEK   ? "VCEK"
           : r->signing_key == IGK_SNP_SIGNING_KEY_VLEK ? "VLEK"
                                                        : "none");
    if (r->version >= 3)
        printf("  %-18s %s (CPUID family %02xh model %02xh stepping %u)\n", "product",
               igk_amd_product_name(p), r->cpuid_family, r->cpuid_model, r->cpuid_stepping);
    printf("  %-18s %s\n", "policy",
           igk_policy_format(IGK_PLATFORM_SEV_SNP, r->policy, text, sizeof(text)));
    printf("  %-18s %u\n", "vmpl", r->vmpl);
    printf("  %-18s %u\n", "guest svn", r->guest_svn);
    igk_hex_encode(r->measurement, 48, hex);
    print_hex_field("measurement", hex, wide);
    igk_hex_encode(r->report_data, 64, hex);
    print_hex_field("report data", hex, wide);
    igk_hex_encode(r->host_data, 32, hex);
    print_hex_field("host data", hex, wide);
    igk_hex_encode(r->family_id, 16, hex);
    print_hex_field("family id", hex, wide);
    igk_hex_encode(r->image_id, 16, hex);
    print_hex_field("image id", hex, wide);
    igk_hex_encode(r->id_key_digest, 48, hex);
    print_hex_field("id key digest", hex, wide);
    igk_hex_encode(r->author_key_digest, 48, hex);
    print_hex_field("author key digest", hex, wide);
    igk_snp_tcb_decode(r->reported_tcb, p, &tcb);
    igk_snp_tcb_format(&tcb, text, sizeof(text));
    printf("  %-18s 0x%016llx (%s)\n", "reported tcb", (unsigned long long)r->reported_tcb, text);
    igk_hex_encode(r->chip_id, 64, hex);
    print_hex_field("chip id", hex, wide);
    printf("\n");
}

/* The text table's width without --wide: cells are abbreviated, reasons wrap. */
#define TABLE_COLUMNS 100
#define CELL_MIN 12

/*
 * s, or when longer than width its first and last characters around "..".
 * A leading hex value followed by " (...)" (a digest and how it was found)
 * is shortened in the hex, so that the explanation stays readable.
 */
static const char *fit_cell(const char *s, int width, char *buf, size_t size)
{
    int len = (int)strlen(s), hex = (int)strspn(s, "0123456789abcdef"), keep, tail;

    if (len <= width || width < CELL_MIN)
        return s;
    if (hex >= 32 && (s[hex] == 0 || s[hex] == ' ') && (keep = width - (len - hex)) >= 10) {
        tail = (keep - 2) / 3;
        snprintf(buf, size, "%.*s..%.*s%s", keep - 2 - tail, s, tail, s + hex - tail, s + hex);
        return buf;
    }
    tail = (width - 2) / 3;
    snprintf(buf, size, "%.*s..%s", width - 2 - tail, s, s + len - tail);
    return buf;
}

/* Words of text after `used` columns, wrapped at TABLE_COLUMNS with `indent` spaces. */
static void print_wrapped(const char *text, int used, int indent)
{
    const char *p = text;

    while (*p) {
        int room = TABLE_COLUMNS - used, n = (int)strlen(p), cut = n;

        if (n > room) {
            cut = room;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0) /* one word longer than the line: cut it */
                cut = room > 0 ? room : 1;
        }
        printf("%.*s", cut, p);
        p += cut;
        while (*p == ' ')
            p++;
        if (*p) {
            printf("\n%*s", indent, "");
            used = indent;
        }
    }
    printf("\n");
}

static int print_text(const struct verify_args *a, const struct evidence_info *ev,
                      const struct igk_verify_table *t)
{
    int fw = 5, ew = 8, aw = 6, cap = 1 << 20;
    size_t n_failed = 0;

    if (!a->input && ev->snp)
        print_snp_fields(ev->snp, a->wide);
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct igk_verify_row *row = &t->rows[i];

        if ((int)strlen(row->field) > fw)
            fw = (int)strlen(row->field);
        /* long values (64-byte ids) overflow their column rather than widen it */
        if ((int)strlen(row->expected) > ew && strlen(row->expected) <= 96)
            ew = (int)strlen(row->expected);
        if ((int)strlen(row->actual) > aw && strlen(row->actual) <= 96)
            aw = (int)strlen(row->actual);
    }
    if (!a->wide) {
        /* CHECK, EXPECTED, ACTUAL and "not checked:" within TABLE_COLUMNS: the two
         * value columns share what the check names leave. */
        cap = (TABLE_COLUMNS - fw - 2 - 2 - 2 - 12) / 2;
        if (cap < CELL_MIN)
            cap = CELL_MIN;
        ew = ew < cap ? ew : cap;
        aw = aw < cap ? aw : cap;
    }
    printf("%-*s  %-*s  %-*s  %s\n", fw, "CHECK", ew, "EXPECTED", aw, "ACTUAL", "RESULT");
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct igk_verify_row *row = &t->rows[i];
        bool fails = row->required && row->status != IGK_VERIFY_MATCH && !row->waived;
        char eb[128], ab[128], tail[600];
        const char *e = row->expected[0] ? row->expected : "-";
        const char *v = row->actual[0] ? row->actual : "-";
        int used;

        n_failed += fails;
        if (!a->wide) {
            e = fit_cell(e, ew, eb, sizeof(eb));
            v = fit_cell(v, aw, ab, sizeof(ab));
        }
        used = printf("%-*s  %-*s  %-*s  ", fw, row->field, ew, e, aw, v);
        snprintf(tail, sizeof(tail), "%s%s%s%s", result_word(row), row->reason[0] ? ": " : "",
                 row->reason, row->required ? "" : " [informational]");
        if (a->wide || used + (int)strlen(tail) <= TABLE_COLUMNS) {
            printf("%s\n", tail);
        } else {
            /* The result on the row, the reason below it under EXPECTED. */
            printf("%s%s\n%*s", result_word(row), row->reason[0] ? ":" : "", fw + 2, "");
            snprintf(tail, sizeof(tail), "%s%s", row->reason,
                     row->required ? "" : row->reason[0] ? " [informational]" : "[informational]");
            print_wrapped(tail, fw + 2, fw + 2);
        }
    }
    for (size_t i = 0; i < t->n_notes; i++) {
        if (a->wide) {
            printf("note: %s\n", t->notes[i]);
        } else {
            printf("note: ");
            print_wrapped(t->notes[i], 6, 6);
        }
    }
    if (igk_verify_passed(t)) {
        size_t waived = 0;

        for (size_t i = 0; i < t->n_rows; i++)
            waived += t->rows[i].waived;
        if (waived)
            printf("%s: VERIFIED WITH EXCEPTIONS: %zu check%s skipped on request, the others "
                   "match\n",
                   ev->kind, waived, waived == 1 ? "" : "s");
        else
            printf("%s: verified: all %zu checks match\n", ev->kind, t->n_rows);
    } else {
        printf("%s: NOT VERIFIED: %zu of %zu checks failed\n", ev->kind, n_failed + t->overflow,
               t->n_rows);
    }
    return cli_write_stdout("", 0);
}

/* One line on stderr naming the file and the first failed check. */
static void report_failure(const struct evidence_info *ev, const struct igk_verify_table *t)
{
    const struct igk_verify_row *row = igk_verify_first_failure(t);
    const char *path = ev->path;

    if (!row) {
        cli_error(IGK_EXIT_MISMATCH, "%s: too many checks for one table", ev->path);
        return;
    }
    if (ev->cert_path && about_certificate(row))
        path = ev->cert_path;
    cli_error(IGK_EXIT_MISMATCH, "%s: %s %s%s%s", path, row->field,
              row->status == IGK_VERIFY_MISMATCH ? "failed" : "not checked",
              row->reason[0] ? ": " : "", row->reason);
}

/* ---- SEV-SNP ---- */

/* Reads a certificate file (at most IGK_CERT_FILE_MAX bytes); err->path is set. */
static int load_certs(const char *path, struct igk_cert_list *list, struct igk_error *err)
{
    struct igk_mapped_file m;
    int r = igk_map_file(path, &m, err);

    if (r < 0)
        return r;
    if (m.size == 0)
        r = igk_error_set(err, IGK_E_INVALID, "empty certificate file");
    else
        r = igk_cert_list_parse(m.data, m.size, list, err);
    igk_unmap_file(&m);
    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}

static int verify_snp(const struct verify_args *a, const struct igk_igvm *igvm,
                      struct igk_verify_table *t, struct evidence_info *ev,
                      struct igk_snp_report *rep, struct igk_error *err)
{
    struct igk_cert_list vcek = {0}, chain = {0};
    struct igk_snp_trust_options o = {.at = a->at, .no_signature = a->no_signature};
    struct igk_snp_expected e;
    struct igk_mapped_file m;
    int r;

    r = igk_map_file(a->snp_report, &m, err);
    if (r < 0)
        return r;
    r = igk_snp_report_parse(m.data, m.size, rep, err);
    if (r < 0) {
        igk_error_set_path(err, a->snp_report);
        goto out;
    }
    ev->version = rep->version;
    ev->snp = rep;
    if (a->vcek) {
        r = load_certs(a->vcek, &vcek, err);
        if (r == 0 && a->cert_chain)
            r = load_certs(a->cert_chain, &chain, err);
        if (r < 0)
            goto out;
        o.vcek = &vcek;
        o.chain = a->cert_chain ? &chain : NULL;
    }
    memset(&e, 0, sizeof(e));
    if (igvm) {
        r = igk_snp_expected_from_igvm(igvm, a->loader, &e, err);
        if (r < 0)
            goto out;
    }
    /* Authenticity first: the fields of a report mean nothing before it. */
    if (o.vcek && rep->signature_algo != IGK_SNP_SIGNATURE_ALGO_ECDSA_P384) {
        r = igk_error_set(err, IGK_E_INVALID,
                          "report signature algorithm %u is not ECDSA P-384 with SHA-384 (1)",
                          rep->signature_algo);
        igk_error_set_path(err, a->snp_report);
        goto out;
    }
    r = igk_snp_authenticate(m.data, m.size, rep, &o, t, err);
    if (r < 0) {
        igk_error_set_path(err, a->vcek);
        goto out;
    }
    e.has_host_data = a->has_host_data;
    memcpy(e.host_data, a->host_data, 32);
    e.has_report_data = a->has_report_data;
    memcpy(e.report_data, a->report_data, 64);
    e.has_vmpl = a->has_vmpl;
    e.vmpl = a->vmpl;
    e.has_min_tcb = a->has_min_tcb;
    e.min_tcb = a->min_tcb;
    igk_snp_compare(&e, rep, igk_snp_report_product(rep), t);
out:
    igk_cert_list_free(&vcek);
    igk_cert_list_free(&chain);
    igk_unmap_file(&m);
    return r;
}

/* ---- TDX (quote parsing, authentication and event logs: cli/verify-tdx.c) ---- */

static int verify_tdx(struct verify_args *a, const struct igk_igvm *igvm,
                      struct igk_verify_table *t, struct evidence_info *ev, struct igk_error *err)
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

    return cli_verify_tdx(&req, &a->tdx, t, &ev->version, err);
}

/*
 * The mismatch assistant on a measurement mismatch (what `explain --expect`
 * runs): which launch of FILE -- loader profile, vCPU count -- gives the
 * reported MEASUREMENT (SEV-SNP) or MRTD (TDX).  Its finding becomes a note
 * of the table, so text and JSON both carry it.  0 or an exit status.
 */
static int assist_mismatch(const struct verify_args *a, const struct igk_igvm *igvm,
                           struct igk_verify_table *t)
{
    const char *field = a->snp_report ? "MEASUREMENT" : "MRTD";
    enum igk_platform_type platform = a->snp_report ? IGK_PLATFORM_SEV_SNP : IGK_PLATFORM_TDX;

    for (size_t i = 0; igvm && i < t->n_rows; i++) {
        const struct igk_verify_row *row = &t->rows[i];
        struct igk_measure_variant v;
        struct igk_error err;
        uint8_t reported[48];
        char hex[97], why[300];

        if (strcmp(row->field, field) || row->status != IGK_VERIFY_MISMATCH ||
            strlen(row->actual) < 96)
            continue;
        memcpy(hex, row->actual, 96);
        hex[96] = 0;
        if (igk_hex_decode(hex, reported, sizeof(reported)) < 0)
            continue;
        igk_error_clear(&err);
        if (igk_measure_find_variant(igvm, platform, a->loader, reported, sizeof(reported),
                                     CLI_VARIANT_MAX_VCPUS, &v, &err) < 0) {
            if (!err.path[0])
                igk_error_set_path(&err, a->input);
            return cli_fail(&err);
        }
        cli_describe_variant(&v, why, sizeof(why));
        igk_verify_add_note(t, "mismatch assistant: the reported %s: %s", field, why);
    }
    return IGK_EXIT_OK;
}

int verb_verify(int argc, char **argv)
{
    static struct igk_verify_table t; /* ~30 KiB: not on the stack */
    struct evidence_info ev = {0};
    struct igk_snp_report rep;
    struct verify_args a;
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    int r = parse_args(argc, argv, &a);

    if (r)
        return r < 0 ? IGK_EXIT_OK : r;
    igk_error_clear(&err);
    memset(&t, 0, sizeof(t));
    ev.kind = a.snp_report ? "sev-snp-report" : "tdx-quote";
    ev.path = a.snp_report ? a.snp_report : a.tdx_quote;
    ev.cert_path = a.vcek;
    if (a.input)
        r = cli_load_model(a.input, CLI_LOAD_DESCRIPTOR, &igvm, &err);
    if (r == 0)
        r = a.snp_report ? verify_snp(&a, igvm, &t, &ev, &rep, &err)
                         : verify_tdx(&a, igvm, &t, &ev, &err);
    if (r == 0 && (r = assist_mismatch(&a, igvm, &t)) != IGK_EXIT_OK) {
        igk_igvm_free(igvm);
        cli_tdx_args_done(&a.tdx);
        return r;
    }
    igk_igvm_free(igvm);
    if (r < 0) {
        cli_tdx_args_done(&a.tdx);
        return cli_fail(&err);
    }
    r = a.json ? print_json(&a, &ev, &t) : print_text(&a, &ev, &t);
    if (r == IGK_EXIT_OK && a.tdx_quote && !a.json)
        r = cli_tdx_print_notes(&a.tdx, a.wide);
    cli_tdx_args_done(&a.tdx);
    if (r != IGK_EXIT_OK)
        return r;
    if (igk_verify_passed(&t))
        return IGK_EXIT_OK;
    report_failure(&ev, &t);
    return IGK_EXIT_MISMATCH;
}
