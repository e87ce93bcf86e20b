/* SPDX-License-Identifier: MIT */
/*
 * Reader/writer round trips: the four valid sample files written by the
 * reference serializer come back byte for byte (docs/igvm-format.md section 8);
 * every header type decodes and re-encodes to the same bytes; identical pages
 * are stored once; a model without file data still gets a one-byte data
 * section; no_file_data_v1.igvm is rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "le.h"
#include "tap.h"
#include "util.h"

static char path_buf[4096];

static const char *data_path(const char *name)
{
    const char *dir = getenv("TESTDATA");
    snprintf(path_buf, sizeof(path_buf), "%s/%s", dir ? dir : "tests/data", name);
    return path_buf;
}

/* Types seen by check_codec(), to prove every type was covered. */
static uint32_t covered[64];
static size_t n_covered;

static void note_type(uint32_t type)
{
    for (size_t i = 0; i < n_covered; i++)
        if (covered[i] == type)
            return;
    covered[n_covered++] = type;
}

/* Each header body re-encodes to exactly the bytes it was decoded from. */
static void check_codec(const char *name, const struct igk_igvm *m)
{
    size_t bad = 0;

    for (size_t i = 0; i < m->n_headers; i++) {
        const struct igk_header *h = &m->headers[i];
        uint32_t size = igk_header_struct_size(h->type), off = 0;
        uint8_t body[1024] = {0};
        const uint8_t *file_body = m->file + h->file_offset + IGK_TLV_PREFIX_SIZE;

        if (h->type == IGK_VHT_PAGE_DATA)
            off = h->u.page_data.file_offset;
        else if (h->type == IGK_VHT_PARAMETER_AREA)
            off = h->u.parameter_area.file_offset;
        else if (h->type == IGK_VHT_VP_CONTEXT)
            off = h->u.vp_context.file_offset;
        igk_encode_body(h, off, body);
        if (memcmp(body, file_body, size)) {
            diag("%s header #%zu (%s) re-encodes differently", name, i,
                 igk_header_type_name(h->type));
            bad++;
        }
        note_type(h->type);
    }
    is_int((long long)bad, 0, "%s: every header body re-encodes to its file bytes", name);
}

static void roundtrip_sample(const char *name, size_t want_headers, uint32_t want_version)
{
    struct igk_igvm *m = NULL;
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;
    int r;

    r = igk_igvm_read_file(data_path(name), NULL, &m, &e);
    if (!is_int(r, 0, "%s: read", name)) {
        diag("%s", e.message);
        return;
    }
    is_int((long long)m->n_headers, (long long)want_headers, "%s: %zu headers", name,
           want_headers);
    is_int(m->format_version, want_version, "%s: format version", name);
    check_codec(name, m);
    r = igk_igvm_write_buffer(m, &out, &len, &e);
    is_int(r, 0, "%s: write", name);
    is_int((long long)len, (long long)m->file_size, "%s: same length", name);
    ok(out && len == m->file_size && !memcmp(out, m->file, len), "%s: byte-for-byte identical",
       name);
    free(out);
    igk_igvm_free(m);
}

static struct igk_header platform_header(uint32_t mask, enum igk_platform_type type)
{
    struct igk_header h;
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_SUPPORTED_PLATFORM;
    h.u.platform.compatibility_mask = mask;
    h.u.platform.platform_type = (uint8_t)type;
    h.u.platform.platform_version = 1;
    return h;
}

static struct igk_header page_header(uint64_t gpa, const uint8_t *data, uint32_t size)
{
    struct igk_header h;
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_PAGE_DATA;
    h.u.page_data.gpa = gpa;
    h.u.page_data.compatibility_mask = 1;
    h.data = data;
    h.data_size = size;
    return h;
}

static void test_dedup(void)
{
    static uint8_t a_short[100], a_full[IGK_PAGE_SIZE], b_full[IGK_PAGE_SIZE];
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64), *back = NULL;
    struct igk_header h;
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;
    const size_t headers = 24 + 4 * 32; /* platform TLV, 4 page TLVs */

    memset(a_short, 'A', sizeof(a_short));
    memset(a_full, 0, sizeof(a_full));
    memset(a_full, 'A', sizeof(a_short)); /* = a_short zero padded */
    memset(b_full, 'B', sizeof(b_full));
    h = platform_header(1, IGK_PLATFORM_SEV_SNP);
    igk_igvm_append(m, &h, &e);
    h = page_header(0x1000, a_short, sizeof(a_short));
    igk_igvm_append(m, &h, &e);
    h = page_header(0x2000, b_full, sizeof(b_full));
    igk_igvm_append(m, &h, &e);
    h = page_header(0x3000, a_full, sizeof(a_full));
    igk_igvm_append(m, &h, &e);
    h = page_header(0x4000, NULL, 0);
    igk_igvm_append(m, &h, &e);

    is_int(igk_igvm_write_buffer(m, &out, &len, &e), 0, "dedup: write");
    is_int((long long)len, (long long)(24 + headers + 2 * IGK_PAGE_SIZE),
           "dedup: two distinct pages stored, the padded short page once");
    is_int(igk_le32(out + 24 + 24 + 8 + 12), (long long)(24 + headers),
           "dedup: first page at the start of the data section");
    is_int(igk_le32(out + 24 + 24 + 32 + 8 + 12), (long long)(24 + headers + IGK_PAGE_SIZE),
           "dedup: second page right after it");
    is_int(igk_le32(out + 24 + 24 + 64 + 8 + 12), (long long)(24 + headers),
           "dedup: identical third page references the first copy");
    is_int(igk_le32(out + 24 + 24 + 96 + 8 + 12), 0, "dedup: data-less page has file_offset 0");
    is_int(igk_igvm_read_buffer(out, len, NULL, &back, &e), 0, "dedup: output reads back");
    if (back)
        is_mem(back->headers[1].data, a_full, IGK_PAGE_SIZE, "dedup: padded page contents");
    igk_igvm_free(back);
    free(out);
    igk_igvm_free(m);
}

static void test_empty_data_section(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64), *back = NULL;
    struct igk_header h;
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;

    h = platform_header(1, IGK_PLATFORM_SEV_SNP);
    igk_igvm_append(m, &h, &e);
    h = page_header(0x1000, NULL, 0);
    igk_igvm_append(m, &h, &e);
    is_int(igk_igvm_write_buffer(m, &out, &len, &e), 0, "no data: write");
    is_int((long long)len, 24 + 24 + 32 + 1, "no data: one byte of file data appended");
    ok(out && out[len - 1] == 0, "no data: the appended byte is zero");
    is_int(igk_le32(out + 16), (long long)len, "no data: total_file_size counts it");
    is_int(igk_igvm_read_buffer(out, len, NULL, &back, &e), 0, "no data: output reads back");
    igk_igvm_free(back);
    free(out);
    igk_igvm_free(m);
}

/* ERROR_RANGE is in no sample (the reference serializer cannot write it). */
static void test_error_range(void)
{
    struct igk_igvm *m = NULL, *back = NULL;
    struct igk_header h;
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;

    if (igk_igvm_read_file(data_path("minimal_snp_v1.igvm"), NULL, &m, &e) < 0) {
        ok(0, "error range: read minimal_snp_v1.igvm: %s", e.message);
        return;
    }
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_ERROR_RANGE;
    h.u.error_range.gpa = 0x7000;
    h.u.error_range.compatibility_mask = 1;
    h.u.error_range.size_bytes = 0x2000;
    igk_igvm_append(m, &h, &e);
    is_int(igk_igvm_write_buffer(m, &out, &len, &e), 0, "error range: write");
    is_int(igk_igvm_read_buffer(out, len, NULL, &back, &e), 0, "error range: reads back");
    if (back) {
        const struct igk_header *r = &back->headers[back->n_headers - 1];
        is_int(r->type, IGK_VHT_ERROR_RANGE, "error range: last header type");
        is_int((long long)r->u.error_range.gpa, 0x7000, "error range: gpa");
        is_int(r->u.error_range.size_bytes, 0x2000, "error range: size");
        check_codec("error range file", back);
    }
    igk_igvm_free(back);
    free(out);
    igk_igvm_free(m);
}

static void test_no_file_data(void)
{
    struct igk_igvm *m = NULL;
    struct igk_error e;
    char buf[1200];

    is_int(igk_igvm_read_file(data_path("no_file_data_v1.igvm"), NULL, &m, &e), IGK_E_INVALID,
           "no_file_data_v1.igvm: rejected as invalid");
    ok(m == NULL, "no_file_data_v1.igvm: no model returned");
    is_int((long long)e.offset, 0xC, "no_file_data_v1.igvm: offset of variable_header_size");
    is_int(e.header_index, IGK_NO_INDEX, "no_file_data_v1.igvm: no header index");
    is_str(e.message,
           "the file data section is empty (variable headers end at the end of the file, "
           "0x88); the reference parser requires at least one byte of file data",
           "no_file_data_v1.igvm: message");
    igk_error_format(&e, buf, sizeof(buf));
    ok(strstr(buf, "no_file_data_v1.igvm: offset 0xC: the file data section is empty") != NULL,
       "no_file_data_v1.igvm: formatted error names the file and offset");
}

/* tdx_openvmm_test.igvm was not written with dedup: the writer dedups it. */
static void test_non_crate_file(void)
{
    struct igk_igvm *m = NULL, *back = NULL;
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;
    bool same = true;

    if (igk_igvm_read_file(data_path("tdx/tdx_openvmm_test.igvm"), NULL, &m, &e) < 0) {
        ok(0, "openvmm file: read: %s", e.message);
        return;
    }
    is_int(igk_igvm_write_buffer(m, &out, &len, &e), 0, "openvmm file: write");
    is_int((long long)len, 8680, "openvmm file: identical pages stored once (20968 -> 8680)");
    is_int(igk_igvm_read_buffer(out, len, NULL, &back, &e), 0, "openvmm file: reads back");
    for (size_t i = 0; back && i < m->n_headers; i++) {
        const struct igk_header *a = &m->headers[i], *b = &back->headers[i];
        if (a->type != b->type || a->data_size != b->data_size || (!a->data) != (!b->data) ||
            (a->data && memcmp(a->data, b->data, a->data_size)))
            same = false;
    }
    ok(back && back->n_headers == m->n_headers && same, "openvmm file: same headers and data");
    igk_igvm_free(back);
    free(out);
    igk_igvm_free(m);
}

int main(void)
{
    static const uint32_t all_types[] = {
        0x001, 0x101, 0x102, 0x103, 0x106, 0x301, 0x302, 0x303, 0x304, 0x305, 0x307, 0x308,
        0x309, 0x30A, 0x30B, 0x30C, 0x30D, 0x30E, 0x30F, 0x310, 0x311, 0x312, 0x313,
    };
    size_t missing = 0;

    is_str(igk_page_data_type_name(IGK_PAGE_DATA_NORMAL), "normal", "data type name: normal");
    is_str(igk_page_data_type_name(IGK_PAGE_DATA_CPUID_XF), "cpuid_xf", "data type name: cpuid_xf");
    is_str(igk_page_data_type_name(4), "unknown", "data type name: 4 is unknown");
    roundtrip_sample("snp_tdx_v1.igvm", 23, 1);
    roundtrip_sample("minimal_snp_v1.igvm", 3, 1);
    roundtrip_sample("native_vbs_v2.igvm", 25, 2);
    roundtrip_sample("cca_aarch64_v2.igvm", 5, 2);
    roundtrip_sample("snp/snp_extras_idblock.igvm", 74, 1);
    test_error_range();
    for (size_t i = 0; i < IGK_ARRAY_SIZE(all_types); i++) {
        bool seen = false;
        for (size_t k = 0; k < n_covered; k++)
            seen |= covered[k] == all_types[i];
        if (!seen) {
            diag("type 0x%X not covered", all_types[i]);
            missing++;
        }
    }
    is_int((long long)missing, 0, "codec round trip covered all %zu header types",
           IGK_ARRAY_SIZE(all_types));
    test_no_file_data();
    test_dedup();
    test_empty_data_section();
    test_non_crate_file();
    return tap_done();
}
