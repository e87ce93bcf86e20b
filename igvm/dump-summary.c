/* SPDX-License-Identifier: MIT */
/*
 * The summary form of a dump (see dump.h): counts per header type, the
 * platforms, the guest-physical ranges the PAGE_DATA directives cover and
 * the sizes -- what a person reads first, and what 'inspect' prints for
 * files too large to list header by header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "dump.h"
#include "json.h"

#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull

struct type_count {
    uint32_t type;
    uint64_t count, data_bytes;
};

/* A run of PAGE_DATA pages: contiguous in GPA and file order, one mask. */
struct range {
    uint64_t start, end; /* [start, end) */
    uint64_t pages;
    uint32_t mask;
};

struct summary {
    struct type_count types[64];
    size_t n_types;
    struct range *ranges;
    size_t n_ranges, cap;
    uint64_t data_bytes;
    bool failed;
};

static void count_type(struct summary *s, const struct igk_header *h)
{
    uint64_t bytes = h->data ? h->data_size : 0;
    size_t i;

    s->data_bytes += bytes;
    for (i = 0; i < s->n_types; i++)
        if (s->types[i].type == h->type)
            break;
    if (i == s->n_types) {
        if (s->n_types == sizeof(s->types) / sizeof(s->types[0]))
            return; /* more distinct types than IGVM defines: uncounted */
        s->types[s->n_types++] = (struct type_count){h->type, 0, 0};
    }
    s->types[i].count++;
    s->types[i].data_bytes += bytes;
}

static void add_page(struct summary *s, const struct igk_page_data *p)
{
    uint64_t size = p->flags & IGK_PAGE_FLAG_IS_2MB ? PAGE_2M : PAGE_4K;
    struct range *last = s->n_ranges ? &s->ranges[s->n_ranges - 1] : NULL;

    if (last && last->mask == p->compatibility_mask && last->end == p->gpa &&
        p->gpa + size > p->gpa) {
        last->end = p->gpa + size;
        last->pages++;
        return;
    }
    if (s->n_ranges == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct range *n = realloc(s->ranges, cap * sizeof(*n));
        if (!n) {
            s->failed = true;
            return;
        }
        s->ranges = n;
        s->cap = cap;
    }
    s->ranges[s->n_ranges++] = (struct range){p->gpa, p->gpa + size, 1, p->compatibility_mask};
}

static int summarize(const struct igk_igvm *m, const struct igk_dump_options *opt,
                     struct summary *s)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < m->n_headers && !s->failed; i++) {
        const struct igk_header *h = &m->headers[i];
        uint32_t mask;

        if (opt->filter && igk_header_mask(h, &mask) && !(mask & opt->platform_mask))
            continue;
        count_type(s, h);
        if (h->type == IGK_VHT_PAGE_DATA)
            add_page(s, &h->u.page_data);
    }
    return s->failed ? IGK_E_INTERNAL : 0;
}

static void print_text(FILE *f, const struct igk_igvm *m, const struct igk_dump_options *opt,
                       const struct summary *s)
{
    size_t shown = s->n_ranges < IGK_SUMMARY_MAX_RANGES ? s->n_ranges : IGK_SUMMARY_MAX_RANGES;

    fprintf(f, "format_version: %u\narchitecture: %s\n", m->format_version,
            m->arch == IGK_ARCH_AARCH64 ? "aarch64" : "x64");
    if (m->file)
        fprintf(f, "file_size: %llu\n", (unsigned long long)m->file_size);
    fprintf(f, "header_count: %zu\n", m->n_headers);
    if (opt->filter)
        fprintf(f, "platform_filter: %s (mask 0x%x)\n",
                opt->platform_name ? opt->platform_name : "?", opt->platform_mask);
    fprintf(f, "data_bytes: %llu\n", (unsigned long long)s->data_bytes);
    fprintf(f, "platforms:\n");
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct igk_header *h = &m->headers[i];
        if (h->type == IGK_VHT_SUPPORTED_PLATFORM)
            fprintf(f, "  %-8s mask 0x%x, version %u\n",
                    igk_platform_name(h->u.platform.platform_type),
                    h->u.platform.compatibility_mask, h->u.platform.platform_version);
    }
    fprintf(f, "headers by type:\n");
    for (size_t i = 0; i < s->n_types; i++)
        fprintf(f, "  %-32s %10llu  data %llu bytes\n", igk_header_type_name(s->types[i].type),
                (unsigned long long)s->types[i].count,
                (unsigned long long)s->types[i].data_bytes);
    fprintf(f, "PAGE_DATA ranges (%zu):\n", s->n_ranges);
    for (size_t i = 0; i < shown; i++)
        fprintf(f, "  0x%016llx-0x%016llx mask 0x%x  %llu page%s\n",
                (unsigned long long)s->ranges[i].start,
                (unsigned long long)(s->ranges[i].end - 1), s->ranges[i].mask,
                (unsigned long long)s->ranges[i].pages, s->ranges[i].pages == 1 ? "" : "s");
    if (shown < s->n_ranges)
        fprintf(f, "  ... %zu more (--json lists them all)\n", s->n_ranges - shown);
}

static void print_json(struct igk_json *j, const struct igk_igvm *m,
                       const struct igk_dump_options *opt, const struct summary *s)
{
    igk_json_begin_object(j);
    igk_json_key(j, "schema");
    igk_json_uint(j, IGK_DUMP_SCHEMA);
    igk_json_key(j, "summary");
    igk_json_bool(j, true);
    igk_json_key(j, "format_version");
    igk_json_uint(j, m->format_version);
    igk_json_key(j, "architecture");
    igk_json_string(j, m->arch == IGK_ARCH_AARCH64 ? "aarch64" : "x64");
    igk_json_key(j, "file_size");
    if (m->file)
        igk_json_uint(j, m->file_size);
    else
        igk_json_null(j);
    igk_json_key(j, "header_count");
    igk_json_uint(j, m->n_headers);
    igk_json_key(j, "platform_filter");
    if (opt->filter)
        igk_json_string(j, opt->platform_name ? opt->platform_name : "");
    else
        igk_json_null(j);
    igk_json_key(j, "data_bytes");
    igk_json_uint(j, s->data_bytes);
    igk_json_key(j, "platforms");
    igk_json_begin_array(j);
    for (size_t i = 0; i < m->n_headers; i++) {
        const struct igk_header *h = &m->headers[i];
        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        igk_json_begin_object(j);
        igk_json_key(j, "platform");
        igk_json_string(j, igk_platform_name(h->u.platform.platform_type));
        igk_json_key(j, "compatibility_mask");
        igk_json_uint(j, h->u.platform.compatibility_mask);
        igk_json_key(j, "platform_version");
        igk_json_uint(j, h->u.platform.platform_version);
        igk_json_end_object(j);
    }
    igk_json_end_array(j);
    igk_json_key(j, "header_types");
    igk_json_begin_array(j);
    for (size_t i = 0; i < s->n_types; i++) {
        igk_json_begin_object(j);
        igk_json_key(j, "type");
        igk_json_string(j, igk_header_type_name(s->types[i].type));
        igk_json_key(j, "count");
        igk_json_uint(j, s->types[i].count);
        igk_json_key(j, "data_bytes");
        igk_json_uint(j, s->types[i].data_bytes);
        igk_json_end_object(j);
    }
    igk_json_end_array(j);
    igk_json_key(j, "page_ranges");
    igk_json_begin_array(j);
    for (size_t i = 0; i < s->n_ranges; i++) {
        igk_json_begin_object(j);
        igk_json_key(j, "gpa");
        igk_json_uint(j, s->ranges[i].start);
        igk_json_key(j, "size");
        igk_json_uint(j, s->ranges[i].end - s->ranges[i].start);
        igk_json_key(j, "pages");
        igk_json_uint(j, s->ranges[i].pages);
        igk_json_key(j, "compatibility_mask");
        igk_json_uint(j, s->ranges[i].mask);
        igk_json_end_object(j);
    }
    igk_json_end_array(j);
    igk_json_end_object(j);
}

int igk_igvm_summary(const struct igk_igvm *m, const struct igk_dump_options *opt,
                     char **ret_text, size_t *ret_len, struct igk_error *err)
{
    struct summary s;
    int r;

    *ret_text = NULL;
    *ret_len = 0;
    if ((r = summarize(m, opt, &s)) < 0) {
        free(s.ranges);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    if (opt->json) {
        struct igk_json j;

        igk_json_init(&j, true);
        print_json(&j, m, opt, &s);
        r = igk_json_finish(&j, ret_text, ret_len);
    } else {
        FILE *f = open_memstream(ret_text, ret_len);

        r = -1;
        if (f) {
            print_text(f, m, opt, &s);
            r = fclose(f) == 0 ? 0 : -1;
        }
    }
    free(s.ranges);
    if (r < 0) {
        free(*ret_text);
        *ret_text = NULL;
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    return 0;
}
