/* SPDX-License-Identifier: MIT */
/*
 * igvmkit explain FILE [--platform P] [--loader L] [--vcpus N] [--expect HEX]
 *                      [--json]
 *
 * One line per measurement step: step number, directive, GPA, page type, the
 * digest of what entered the measurement and the running digest, then the
 * final digest (the same value 'measure' prints).  With --expect, says
 * whether it matches and exits 4 when it does not; on a mismatch it asks
 * igk_measure_find_variant() which loader profile and vCPU count give the
 * expected digest.  This is what a user runs when an attestation report
 * does not match.  --json prints the same as one document (schema 1).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/measure.h>

#include "cli.h"
#include "options.h"
#include "progress.h"
#include "direct-labels.h"
#include "json.h"
#include "load-model.h"
#include "le.h"
#include "util.h"

#define PREFIX_BYTES 8 /* digest prefixes in step lines: 16 hex digits */
#define EXPLAIN_SCHEMA 1 /* "schema" of the --json document */

/* Shared with verb-measure.c. */

enum { OPT_PLATFORM = 1, OPT_LOADER, OPT_VCPUS, OPT_EXPECT, OPT_JSON, OPT_QUIET };

static const struct cli_option explain_options[] = {
    {"platform", 'p', "P", 0, OPT_PLATFORM,
     "sev-snp, tdx, sev-es, sev or vbs (needed when the file\n"
     "declares more than one measurable platform)"},
    {"loader", 'l', "L", 0, OPT_LOADER,
     "qemu (default), qemu-classic, openvmm or qemu-8 (TDX:\n"
     "pages added in two passes, as QEMU 8.x TDX launches did)"},
    {"vcpus", 0, "N", 0, OPT_VCPUS, "model N vCPUs (copies of the lowest-index VMSA)"},
    {"expect", 0, "HEX", 0, OPT_EXPECT,
     "the digest you expected (any case, optional 0x): prints\n"
     "match or MISMATCH; on a mismatch tries the other loader\n"
     "profiles and 1..64 vCPUs and says which gives HEX; exit 4"},
    {"json", 'j', NULL, 0, OPT_JSON, "one JSON document (schema 1): steps with full digests"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "no progress line"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "explain",
    .usage = "FILE [OPTIONS]",
    .about = "Show every step of a launch measurement: step, directive, GPA, page type,\n"
             "digest of the measured contents and running digest (first 16 hex digits),\n"
             "then the final digest.",
    .options = explain_options,
    .exits = {"ok (or match)", NULL, NULL, "", "the digest is not the --expect one",
              "unsupported platform", ""},
};

struct explain {
    const struct igk_igvm *igvm;
    uint32_t mask; /* the platform's compatibility mask */
    bool classic_sev; /* SEV or SEV-ES under qemu-classic: the hash table is hashed alone */
    FILE *out;
    struct igk_json *json; /* --json: steps go here instead of out */
};

/* OVMF's SEV hash table header GUID (9438d606-4f22-4cc9-b479-a793d411fd21, EFI byte order). */
static const uint8_t sev_hash_table_guid[16] = {0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
                                                0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21};

/* Whether a page carries OVMF's kernel-hashes table (at a 16-byte aligned offset). */
static bool holds_hash_table(const struct igk_page_event *ev)
{
    if (ev->header_type != IGK_VHT_PAGE_DATA || !ev->data)
        return false;
    for (uint32_t off = 0; off + 16 <= ev->data_size; off += 16)
        if (!memcmp(ev->data + off, sev_hash_table_guid, 16))
            return true;
    return false;
}

/*
 * Extension point: a name for the guest region an event belongs to ("kernel",
 * "initrd", "OVMF SEC", ...), printed at the end of the step line.  The model
 * carries no region names yet; a packer that records them (or a lookup over
 * the descriptor) plugs in here.  NULL: no label.
 */
static const char *region_label(const struct explain *x, const struct igk_page_event *ev)
{
    /* The kernel-hashes page of OVMF images (SEV-SNP, SEV-ES, SEV). */
    if (holds_hash_table(ev))
        return x->classic_sev ? "kernel-hashes table (its 176 bytes hashed)"
                              : "kernel-hashes table";
    /* Direct-boot images (firmware type none) name their regions. */
    return igk_direct_region_label(x->igvm, ev->header_type, x->mask, ev->gpa);
}

static void prefix(const uint8_t *d, size_t len, char *out)
{
    igk_hex_encode(d, len < PREFIX_BYTES ? len : PREFIX_BYTES, out);
}

static int on_step(const struct igk_measure_step *st, void *user, struct igk_error *err)
{
    const struct explain *x = user;
    const struct igk_page_event *ev = st->event;
    const char *label = region_label(x, ev);
    char step[24], dir[48], where[40], type[48], contents[2 * PREFIX_BYTES + 1] = "-";
    char running[2 * PREFIX_BYTES + 1];

    (void)err;
    if (x->json) {
        struct igk_json *j = x->json;

        igk_json_begin_object(j);
        igk_json_key(j, "step");
        igk_json_uint(j, st->step);
        igk_json_key(j, "directive");
        igk_json_uint(j, ev->directive_index);
        igk_json_key(j, "header_type");
        igk_json_string(j, igk_header_type_name(ev->header_type));
        igk_json_key(j, "gpa");
        igk_json_hex_u64(j, ev->gpa);
        igk_json_key(j, "type");
        igk_json_string(j, igk_event_kind_name(ev->kind));
        if (ev->kind == IGK_EVENT_VMSA) {
            igk_json_key(j, "vp_index");
            igk_json_uint(j, ev->vp_index);
            igk_json_key(j, "copy");
            igk_json_bool(j, ev->event_flags & IGK_EVENT_F_REPLICATED);
        }
        igk_json_key(j, "measured");
        igk_json_bool(j, st->step != 0);
        igk_json_key(j, "contents");
        if (st->contents_len)
            igk_json_hex(j, st->contents, st->contents_len);
        else
            igk_json_null(j);
        igk_json_key(j, "running");
        igk_json_hex(j, st->running, st->running_len);
        igk_json_key(j, "region");
        if (label)
            igk_json_string(j, label);
        else
            igk_json_null(j);
        igk_json_end_object(j);
        return 0;
    }
    if (st->step)
        snprintf(step, sizeof(step), "%lu", st->step);
    else
        snprintf(step, sizeof(step), "-");
    snprintf(dir, sizeof(dir), "#%u %s", ev->directive_index, igk_header_type_name(ev->header_type));
    if (ev->kind == IGK_EVENT_REGISTER)
        snprintf(where, sizeof(where), "vtl %u reg %#x", ev->data[0], igk_le32(ev->data + 1));
    else
        snprintf(where, sizeof(where), "0x%016llx", (unsigned long long)ev->gpa);
    if (ev->kind == IGK_EVENT_VMSA)
        snprintf(type, sizeof(type), "vmsa vp %u%s", ev->vp_index,
                 ev->event_flags & IGK_EVENT_F_REPLICATED ? " (copy)" : "");
    else if (st->tdx_op)
        /* TDX: what the host did at this step (the order is the loader's). */
        snprintf(type, sizeof(type), "%s %s", igk_event_kind_name(ev->kind),
                 !strcmp(st->tdx_op, "PAGE.ADD")   ? "add"
                 : !strcmp(st->tdx_op, "MR.EXTEND") ? "extend"
                                                    : "add+ext");
    else
        snprintf(type, sizeof(type), "%s", igk_event_kind_name(ev->kind));
    if (st->contents_len)
        prefix(st->contents, st->contents_len, contents);
    prefix(st->running, st->running_len, running);
    if (!st->step)
        fprintf(x->out, "%6s  %-24s %-20s %-16s (not measured)%s%s\n", step, dir, where, type,
                label ? "  " : "", label ? label : "");
    else
        fprintf(x->out, "%6s  %-24s %-20s %-16s %-16s  %s%s%s\n", step, dir, where, type,
                contents, running, label ? "  " : "", label ? label : "");
    return 0;
}

static bool parse_expect(const char *s, char *hex, size_t size)
{
    size_t n;

    if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
        s += 2;
    n = strlen(s);
    if (!n || n >= size)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return false;
        hex[i] = (char)tolower((unsigned char)s[i]);
    }
    hex[n] = '\0';
    return true;
}

/* The only measurable platform the file declares, or a usage error. */
static int pick_platform(const struct igk_igvm *igvm, const char *path, int *ret)
{
    enum igk_platform_type declared[IGK_PLATFORM_MAX];
    struct igk_error err;
    char names[256] = "";
    size_t n, used = 0;

    igk_error_clear(&err);
    if (igk_measure_declared_platforms(igvm, declared, &n, &err) < 0) {
        igk_error_set_path(&err, path);
        return cli_fail(&err);
    }
    if (n == 1) {
        *ret = declared[0];
        return 0;
    }
    for (size_t i = 0; i < n && used < sizeof(names); i++)
        used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
                                 igk_platform_name(declared[i]));
    return cli_usage("explain", "--platform is needed: %s declares %s", path, names);
}

/* Runs the mismatch assistant; 0 or an exit status. */
static int find_variant(const struct igk_igvm *igvm, enum igk_platform_type platform,
                        enum igk_loader loader, const char *expect_hex,
                        struct igk_measure_variant *ret, const char *path)
{
    uint8_t want[64];
    size_t len = strlen(expect_hex) / 2;
    struct igk_error err;

    igk_error_clear(&err);
    if (len > sizeof(want) || igk_hex_decode(expect_hex, want, len) < 0)
        return cli_error(IGK_EXIT_INTERNAL, "cannot decode %s", expect_hex);
    if (igk_measure_find_variant(igvm, platform, loader, want, len, CLI_VARIANT_MAX_VCPUS, ret,
                                 &err) < 0) {
        if (!err.path[0])
            igk_error_set_path(&err, path);
        return cli_fail(&err);
    }
    return 0;
}

static int finish_text(const struct igk_measurement *m, const char *hex, const char *expect_hex,
                       bool match, const struct igk_measure_variant *variant)
{
    char why[300];

    printf("digest: %s (%s)\n", hex, m->algorithm);
    if (expect_hex) {
        printf("expected: %s: %s\n", expect_hex, match ? "match" : "MISMATCH");
        if (!match) {
            cli_describe_variant(variant, why, sizeof(why));
            printf("expected: %s\n", why);
        }
    }
    return cli_write_stdout("", 0);
}

static int finish_json(struct igk_json *j, const struct igk_measurement *m,
                       const char *expect_hex, bool match,
                       const struct igk_measure_variant *variant)
{
    char *text = NULL, why[300];
    size_t len = 0;
    int r;

    igk_json_end_array(j);
    igk_json_key(j, "digest");
    igk_json_hex(j, m->digest, m->digest_len);
    igk_json_key(j, "algorithm");
    igk_json_string(j, m->algorithm);
    if (expect_hex) {
        igk_json_key(j, "expected");
        igk_json_string(j, expect_hex);
        igk_json_key(j, "match");
        igk_json_bool(j, match);
        if (!match) {
            cli_describe_variant(variant, why, sizeof(why));
            igk_json_key(j, "variant");
            igk_json_begin_object(j);
            igk_json_key(j, "found");
            igk_json_bool(j, variant->found);
            if (variant->found) {
                igk_json_key(j, "loader");
                igk_json_string(j, igk_loader_name(variant->loader));
                igk_json_key(j, "vcpus");
                if (variant->vcpus)
                    igk_json_uint(j, variant->vcpus);
                else
                    igk_json_null(j);
                igk_json_key(j, "guest_features");
                if (variant->sev_features_changed)
                    igk_json_uint(j, variant->sev_features);
                else
                    igk_json_null(j);
            }
            igk_json_key(j, "tried");
            igk_json_uint(j, variant->tried);
            igk_json_key(j, "summary");
            igk_json_string(j, why);
            igk_json_end_object(j);
        }
    }
    igk_json_end_object(j);
    if (igk_json_finish(j, &text, &len) < 0)
        return cli_error(IGK_EXIT_INTERNAL, "out of memory");
    r = cli_write_stdout(text, len);
    free(text);
    return r;
}

int verb_explain(int argc, char **argv)
{
    struct igk_measure_options options = {.loader = IGK_LOADER_QEMU};
    const char *path = NULL, *expect = NULL, *tdx_order;
    char expect_hex[200];
    int platform = -2;
    struct igk_igvm *igvm = NULL;
    struct igk_measurement m;
    struct igk_error err;
    struct explain x = {.out = stdout};
    struct igk_measure_variant variant = {0};
    struct cli_parser pa;
    int c;
    struct igk_json j;
    bool json = false, match = false, quiet = false;
    struct cli_progress progress;
    char hex[129];
    int r;

    cli_parser_init(&pa, &command, argc, argv);
    while ((c = cli_next(&pa)) != CLI_END) {
        const char *v = pa.value;

        switch (c) {
        case CLI_STOP:
            return pa.status;
        case OPT_PLATFORM:
            r = cli_parse_measure_platform("explain", v, &platform);
            if (r)
                return r;
            break;
        case OPT_LOADER:
            r = cli_parse_loader("explain", v, &options.loader);
            if (r)
                return r;
            break;
        case OPT_VCPUS:
            r = cli_parse_vcpus("explain", v, &options.vcpus);
            if (r)
                return r;
            break;
        case OPT_EXPECT:
            if (!parse_expect(v, expect_hex, sizeof(expect_hex)))
                return cli_usage("explain", "--expect: '%s' is not a hex digest", v);
            expect = v;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        }
    }
    if (pa.n_operands > 1)
        return cli_usage("explain", "only one FILE can be explained, got '%s' and '%s'",
                         pa.operands[0], pa.operands[1]);
    path = pa.n_operands ? pa.operands[0] : NULL;
    if (!path)
        return cli_usage("explain", "missing FILE");

    igk_error_clear(&err);
    r = cli_load_model(path, CLI_LOAD_DESCRIPTOR | CLI_LOAD_LEAN | CLI_LOAD_PACK_LEAN, &igvm,
                       &err);
    if (r < 0)
        return cli_fail(&err);
    x.igvm = igvm;
    if (platform < 0) {
        r = pick_platform(igvm, path, &platform);
        if (r)
            goto out;
    }
    if (expect) {
        size_t want = (platform == IGK_PLATFORM_SEV_SNP || platform == IGK_PLATFORM_TDX) ? 96 : 64;
        if (strlen(expect_hex) != want) {
            r = cli_usage("explain", "--expect has %zu hex digits; a %s digest has %zu",
                          strlen(expect_hex), igk_platform_name((enum igk_platform_type)platform),
                          want);
            goto out;
        }
    }
    /* An undeclared platform leaves the mask 0: igk_measure_trace() reports it. */
    igk_igvm_platform_mask(igvm, (enum igk_platform_type)platform, &x.mask, NULL);
    x.classic_sev = options.loader == IGK_LOADER_QEMU_CLASSIC &&
                    (platform == IGK_PLATFORM_SEV || platform == IGK_PLATFORM_SEV_ES);
    tdx_order = options.loader == IGK_LOADER_QEMU8
                    ? "two passes per region: every page of a run of consecutive pages is added "
                      "(TDH.MEM.PAGE.ADD), then its measured pages are extended (TDH.MR.EXTEND); "
                      "QEMU 8.x TDX stacks"
                    : "single pass: each page is added (TDH.MEM.PAGE.ADD) and, when measured, "
                      "extended (TDH.MR.EXTEND) before the next; upstream KVM, QEMU 9 and later";
    /* Before the heading: a refused --vcpus prints nothing on stdout. */
    if ((r = igk_measure_check_vcpus(igvm, (enum igk_platform_type)platform, options.vcpus,
                                     &err)) < 0) {
        igk_error_set_path(&err, path);
        r = cli_fail(&err);
        goto out;
    }
    if (json) {
        igk_json_init(&j, true);
        x.json = &j;
        igk_json_begin_object(&j);
        igk_json_key(&j, "schema");
        igk_json_uint(&j, EXPLAIN_SCHEMA);
        igk_json_key(&j, "file");
        igk_json_string(&j, path);
        igk_json_key(&j, "platform");
        igk_json_string(&j, igk_platform_name((enum igk_platform_type)platform));
        igk_json_key(&j, "loader");
        igk_json_string(&j, igk_loader_name(options.loader));
        if (platform == IGK_PLATFORM_TDX) {
            igk_json_key(&j, "order");
            igk_json_string(&j, tdx_order);
        }
        igk_json_key(&j, "steps");
        igk_json_begin_array(&j);
    } else {
        printf("%s, loader %s\n", igk_platform_name((enum igk_platform_type)platform),
               igk_loader_name(options.loader));
        if (platform == IGK_PLATFORM_TDX)
            printf("order: %s\n", tdx_order);
        printf("%6s  %-24s %-20s %-16s %-16s  %s\n", "step", "directive", "gpa", "type",
               "contents", "running");
    }
    /* The steps go to standard output as they are made: on the same terminal
     * they would break the progress line, and they show the progress there. */
    cli_progress_start(&progress, "hashing", quiet || isatty(STDOUT_FILENO));
    if (progress.enabled) {
        options.progress = cli_progress_update;
        options.progress_user = &progress;
    }
    r = igk_measure_trace(igvm, (enum igk_platform_type)platform, &options, on_step, &x, &m,
                          &err);
    cli_progress_end(&progress);
    options.progress = NULL;
    if (r < 0) {
        fflush(stdout);
        if (!err.path[0])
            igk_error_set_path(&err, path);
        r = cli_fail(&err);
        goto out;
    }
    igk_hex_encode(m.digest, m.digest_len, hex);
    match = expect && !strcmp(hex, expect_hex);
    if (expect && !match) {
        r = find_variant(igvm, (enum igk_platform_type)platform, options.loader, expect_hex,
                         &variant, path);
        if (r)
            goto out;
    }
    if (json)
        r = finish_json(&j, &m, expect ? expect_hex : NULL, match, &variant);
    else
        r = finish_text(&m, hex, expect ? expect_hex : NULL, match, &variant);
    if (!r && expect && !match)
        r = cli_error(IGK_EXIT_MISMATCH, "%s: the %s digest %s is not the expected %s", path,
                      igk_platform_name((enum igk_platform_type)platform), hex, expect_hex);
out:
    if (x.json && r)
        igk_json_discard(&j);
    igk_igvm_free(igvm);
    return r;
}
