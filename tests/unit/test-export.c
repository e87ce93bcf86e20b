/* SPDX-License-Identifier: MIT */
/*
 * The exporters on inputs built here: exact JSON/RVPS text for a TDX
 * measurement with an RTMR prediction (what a descriptor with TDX + OVMF +
 * kernel exports), the exact CoRIM bytes for one SEV-SNP digest, format
 * names, and the refusals.  tests/cli/export.sh decodes real exports with
 * independent decoders; this pins the bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/export.h>

#include "tap.h"
#include "util.h"

static void fill(uint8_t *p, size_t n, uint8_t v)
{
    memset(p, v, n);
}

static struct igk_export_input *tdx_input(void)
{
    struct igk_export_input *in = calloc(1, sizeof(*in));

    strcpy(in->name, "guest.igvm");
    strcpy(in->subject, "guest.igvm");
    in->file_size = 4096;
    fill(in->sha256, 32, 0x11);
    fill(in->sha384, 48, 0x22);
    in->n_measurements = 1;
    in->measurements[0].platform = IGK_PLATFORM_TDX;
    in->measurements[0].loader = IGK_LOADER_QEMU;
    in->measurements[0].algorithm = "sha384";
    in->measurements[0].digest_len = 48;
    in->measurements[0].has_policy = true;
    in->measurements[0].policy = 0x2;
    fill(in->measurements[0].digest, 48, 0xaa);
    in->has_rtmr = true;
    in->rtmr.memory = 1ull << 30;
    in->rtmr.rtmr1.n_events = 1;
    in->rtmr.rtmr1.events[0].description = "kernel";
    fill(in->rtmr.rtmr1.events[0].digest, 48, 0x01);
    fill(in->rtmr.rtmr1.value, 48, 0x02);
    in->rtmr.rtmr2.n_events = 2;
    in->rtmr.rtmr2.events[0].description = "kernel command line (UTF-16LE)";
    fill(in->rtmr.rtmr2.events[0].digest, 48, 0x03);
    in->rtmr.rtmr2.events[1].description = "initrd";
    fill(in->rtmr.rtmr2.events[1].digest, 48, 0x04);
    fill(in->rtmr.rtmr2.value, 48, 0x05);
    return in;
}

static char *hexrep(uint8_t v, size_t n)
{
    static char buf[8][2 * 64 + 1];
    static int k;
    char *s = buf[k++ % 8];

    for (size_t i = 0; i < n; i++)
        sprintf(s + 2 * i, "%02x", v);
    return s;
}

static void test_names(void)
{
    is_int(igk_export_format_from_name("json"), IGK_EXPORT_JSON, "json");
    is_int(igk_export_format_from_name("rvps"), IGK_EXPORT_RVPS, "rvps");
    is_int(igk_export_format_from_name("corim"), IGK_EXPORT_CORIM, "corim");
    is_int(igk_export_format_from_name("intoto"), IGK_EXPORT_INTOTO, "intoto");
    is_int(igk_export_format_from_name("JSON"), -1, "names are case-sensitive");
    is_int(igk_export_format_from_name(NULL), -1, "NULL name");
    is_str(igk_export_format_name(IGK_EXPORT_CORIM), "corim", "name of corim");
    is_str(igk_export_format_name(IGK_EXPORT_FORMAT_MAX), "unknown", "name out of range");
}

static void test_document_with_rtmr(void)
{
    struct igk_export_input *in = tdx_input();
    struct igk_error err;
    uint8_t *out = NULL;
    size_t len = 0;
    char want[8192];

    snprintf(want, sizeof(want),
             "{\n"
             "  \"schema\": 1,\n"
             "  \"file\": \"guest.igvm\",\n"
             "  \"size\": 4096,\n"
             "  \"sha256\": \"%s\",\n"
             "  \"sha384\": \"%s\",\n"
             "  \"measurements\": [\n"
             "    {\n"
             "      \"name\": \"tdx\",\n"
             "      \"digest\": \"%s\",\n"
             "      \"algorithm\": \"sha384\",\n"
             "      \"loader\": \"qemu\",\n"
             "      \"vcpus\": 0,\n"
             "      \"vmsa_count\": 0,\n"
             "      \"vcpus_replicated\": false,\n"
             "      \"policy\": \"0x2\",\n"
             "      \"policy_fields\": {\n"
             "        \"debug\": false,\n"
             "        \"sept_ve_disable\": true\n"
             "      },\n"
             "      \"id_block\": {\n"
             "        \"present\": false,\n"
             "        \"ld_match\": null,\n"
             "        \"id_signature\": null,\n"
             "        \"author_signature\": null\n"
             "      }\n"
             "    }\n"
             "  ],\n"
             "  \"tdx_rtmr\": {\n"
             "    \"memory\": 1073741824,\n"
             "    \"rtmr1\": {\n"
             "      \"value\": \"%s\",\n"
             "      \"events\": [\n"
             "        {\n"
             "          \"description\": \"kernel\",\n"
             "          \"digest\": \"%s\"\n"
             "        }\n"
             "      ]\n"
             "    },\n"
             "    \"rtmr2\": {\n"
             "      \"value\": \"%s\",\n"
             "      \"events\": [\n"
             "        {\n"
             "          \"description\": \"kernel command line (UTF-16LE)\",\n"
             "          \"digest\": \"%s\"\n"
             "        },\n"
             "        {\n"
             "          \"description\": \"initrd\",\n"
             "          \"digest\": \"%s\"\n"
             "        }\n"
             "      ]\n"
             "    }\n"
             "  }\n"
             "}\n",
             hexrep(0x11, 32), hexrep(0x22, 48), hexrep(0xaa, 48), hexrep(0x02, 48),
             hexrep(0x01, 48), hexrep(0x05, 48), hexrep(0x03, 48), hexrep(0x04, 48));
    is_int(igk_export(in, IGK_EXPORT_JSON, &out, &len, &err), 0, "json export");
    ok(out && len == strlen(want) && !memcmp(out, want, len), "json document, byte for byte");
    if (out && (len != strlen(want) || memcmp(out, want, len)))
        diag("got:\n%.*s", (int)len, out);
    free(out);
    free(in);
}

/* Base64 by hand (RFC 4648 §4), independent of the exporter's OpenSSL call. */
static void base64(const char *in, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), o = 0;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(uint8_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)(uint8_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= (uint8_t)in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
}

static void check_rvps(const struct igk_export_input *in, const char *payload, const char *name)
{
    static char b64[4096], want[4200];
    struct igk_error err;
    uint8_t *out = NULL;
    size_t len = 0;

    base64(payload, b64);
    snprintf(want, sizeof(want),
             "{\n  \"version\": \"0.1.0\",\n  \"type\": \"sample\",\n  \"payload\": \"%s\"\n}\n",
             b64);
    is_int(igk_export(in, IGK_EXPORT_RVPS, &out, &len, &err), 0, "rvps export (%s)", name);
    ok(out && len == strlen(want) && !memcmp(out, want, len), "rvps: %s", name);
    if (out && (len != strlen(want) || memcmp(out, want, len)))
        diag("got:\n%.*s", (int)len, out);
    free(out);
}

static void test_rvps_with_rtmr(void)
{
    struct igk_export_input *in = tdx_input();
    char payload[2048];

    snprintf(payload, sizeof(payload),
             "{\"mr_td\":[\"%s\"],\"rtmr_1\":[\"%s\"],\"rtmr_2\":[\"%s\"],"
             "\"tdvfkernel\":[\"%s\"],\"tdvfkernelparams\":[\"%s\"]}",
             hexrep(0xaa, 48), hexrep(0x02, 48), hexrep(0x05, 48), hexrep(0x01, 48),
             hexrep(0x03, 48));
    check_rvps(in, payload, "mr_td, rtmr_1, rtmr_2, tdvfkernel, tdvfkernelparams");

    /* Without a command-line event there is no tdvfkernelparams. */
    in->rtmr.rtmr2.events[0] = in->rtmr.rtmr2.events[1];
    in->rtmr.rtmr2.n_events = 1;
    snprintf(payload, sizeof(payload),
             "{\"mr_td\":[\"%s\"],\"rtmr_1\":[\"%s\"],\"rtmr_2\":[\"%s\"],"
             "\"tdvfkernel\":[\"%s\"]}",
             hexrep(0xaa, 48), hexrep(0x02, 48), hexrep(0x05, 48), hexrep(0x01, 48));
    check_rvps(in, payload, "no tdvfkernelparams without a command-line event");
    free(in);
}

static void test_corim_bytes(void)
{
    struct igk_export_input *in = calloc(1, sizeof(*in));
    struct igk_error err;
    uint8_t *out = NULL;
    size_t len = 0;

    in->n_measurements = 1;
    in->measurements[0].platform = IGK_PLATFORM_SEV_SNP;
    in->measurements[0].digest_len = 48;
    in->measurements[0].algorithm = "sha384";
    in->svn = 300; /* a two-byte SVN argument */
    is_int(igk_export(in, IGK_EXPORT_CORIM, &out, &len, &err), 0, "corim export");
    /* Prefix: 501({0: "<36-char id>", 1: [506(h'...')] ... */
    ok(len > 48 && out[0] == 0xd9 && out[1] == 0x01 && out[2] == 0xf5 && out[3] == 0xa3 &&
           out[4] == 0x00 && out[5] == 0x78 && out[6] == 36 && out[43] == 0x01 &&
           out[44] == 0x81 && out[45] == 0xd9 && out[46] == 0x01 && out[47] == 0xfa,
       "corim: 501 map{0: text(36), 1: [506(...)]}");
    /* ... and it ends with 3: 32("tag:microsoft.com,2026:launch-measurement/v1") */
    static const char tail[] = "\x03\xd8\x20\x78\x2c"
                               "tag:microsoft.com,2026:launch-measurement/v1";
    ok(len > sizeof(tail) && !memcmp(out + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1),
       "corim: ends with the profile URI (tag 32)");
    /* The endorsed SVN: 552(300) = d9 0228 19 012c, closing the CoMID. */
    static const uint8_t svn[] = {0xd9, 0x02, 0x28, 0x19, 0x01, 0x2c};
    ok(len > sizeof(tail) + 6 &&
           !memcmp(out + len - (sizeof(tail) - 1) - 6, svn, sizeof(svn)),
       "corim: exact SVN 552(300) in its shortest form");
    free(out);

    in->measurements[0].platform = IGK_PLATFORM_SEV_ES;
    in->measurements[0].digest_len = 32;
    igk_error_clear(&err);
    is_int(igk_export(in, IGK_EXPORT_CORIM, &out, &len, &err), IGK_E_UNSUPPORTED,
           "corim without SNP/TDX/VBS: unsupported");
    is_str(err.message, "no SEV-SNP, TDX or VBS measurement to export as a CoRIM",
           "corim without SNP/TDX/VBS: message");
    igk_error_clear(&err);
    is_int(igk_export(in, IGK_EXPORT_RVPS, &out, &len, &err), IGK_E_UNSUPPORTED,
           "rvps without SNP/TDX: unsupported");
    igk_error_clear(&err);
    is_int(igk_export(in, IGK_EXPORT_FORMAT_MAX, &out, &len, &err), IGK_E_USAGE,
           "unknown format: usage error");
    is_str(err.message, "unknown export format 4", "unknown format: message");
    free(in);
}

int main(void)
{
    test_names();
    test_document_with_rtmr();
    test_rvps_with_rtmr();
    test_corim_bytes();
    return tap_done();
}
