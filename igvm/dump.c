/* SPDX-License-Identifier: MIT */
/*
 * Text and JSON dumps of a model (see dump.h).  One table maps each header
 * type to a function listing its decoded fields through a tiny emitter, so
 * the text and the JSON form cannot drift apart.
 *
 * Text layout:
 *   format_version: 1
 *   ...
 *   header #3 at 0x60: GUEST_POLICY
 *     policy: 0x30000
 *     ...
 *     data: none
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "dump.h"
#include "json.h"
#include "le.h"
#include "util.h"

struct out {
    bool json;
    struct igk_json j;
    char *buf;
    size_t len, cap;
    bool failed;
    const char *indent; /* text: prefix of field lines */
    const struct igk_igvm *igvm; /* for fields that depend on other headers */
};

static void text(struct out *o, const char *fmt, ...) IGK_PRINTF(2, 3);
static void text(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->failed)
        return;
    for (;;) {
        size_t room = o->cap - o->len;
        va_start(ap, fmt);
        n = vsnprintf(o->buf ? o->buf + o->len : NULL, o->buf ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = true;
            return;
        }
        if (o->buf && (size_t)n < room) {
            o->len += (size_t)n;
            return;
        }
        {
            size_t cap = o->cap ? o->cap : 4096;
            char *nb;
            while (cap < o->len + (size_t)n + 1)
                cap *= 2;
            nb = realloc(o->buf, cap);
            if (!nb) {
                o->failed = true;
                return;
            }
            o->buf = nb;
            o->cap = cap;
        }
    }
}

/* ---- field emitters ---- */

static void f_num(struct out *o, const char *key, uint64_t v)
{
    if (o->json) {
        igk_json_key(&o->j, key);
        igk_json_uint(&o->j, v);
    } else {
        text(o, "%s%s: %llu\n", o->indent, key, (unsigned long long)v);
    }
}

/* Addresses, masks, sizes: hex in text, plain integers in JSON. */
static void f_hex(struct out *o, const char *key, uint64_t v)
{
    if (o->json) {
        igk_json_key(&o->j, key);
        igk_json_uint(&o->j, v);
    } else {
        text(o, "%s%s: 0x%llx\n", o->indent, key, (unsigned long long)v);
    }
}

/* An enumerated value: the number under key, its name under key_name. */
static void f_enum(struct out *o, const char *key, uint64_t v, const char *name)
{
    if (o->json) {
        char k[64];
        igk_json_key(&o->j, key);
        igk_json_uint(&o->j, v);
        snprintf(k, sizeof(k), "%s_name", key);
        igk_json_key(&o->j, k);
        igk_json_string(&o->j, name);
    } else {
        text(o, "%s%s: %llu (%s)\n", o->indent, key, (unsigned long long)v, name);
    }
}

static void f_bytes(struct out *o, const char *key, const uint8_t *b, size_t n)
{
    if (o->json) {
        igk_json_key(&o->j, key);
        igk_json_hex(&o->j, b, n);
    } else {
        char hex[2 * 512 + 1];
        if (n > 512)
            n = 512;
        igk_hex_encode(b, n, hex);
        text(o, "%s%s: %s\n", o->indent, key, hex);
    }
}

/* ---- per-type fields ---- */

static void flags_text(char *buf, size_t size, uint32_t flags)
{
    snprintf(buf, size, "%s%s%s%s", flags & IGK_PAGE_FLAG_IS_2MB ? "is_2mb_page," : "",
             flags & IGK_PAGE_FLAG_UNMEASURED ? "unmeasured," : "",
             flags & IGK_PAGE_FLAG_SHARED ? "shared," : "",
             flags & ~7u ? "reserved_bits," : "");
    if (buf[0])
        buf[strlen(buf) - 1] = '\0';
    else
        snprintf(buf, size, "none");
}

static void d_platform(struct out *o, const struct igk_header *h)
{
    const struct igk_supported_platform *p = &h->u.platform;
    f_hex(o, "compatibility_mask", p->compatibility_mask);
    f_num(o, "highest_vtl", p->highest_vtl);
    f_enum(o, "platform_type", p->platform_type, igk_platform_name(p->platform_type));
    f_num(o, "platform_version", p->platform_version);
    f_hex(o, "shared_gpa_boundary", p->shared_gpa_boundary);
}

/*
 * The policy as every verb prints it (igk_policy_format(): decoded for the
 * platform whose SUPPORTED_PLATFORM shares its compatibility mask; a hex
 * string in JSON, as measure and export write it).
 */
static void d_guest_policy(struct out *o, const struct igk_header *h)
{
    enum igk_platform_type platform = IGK_PLATFORM_MAX;
    char buf[IGK_POLICY_TEXT_MAX];

    for (size_t i = 0; o->igvm && i < o->igvm->n_headers; i++) {
        const struct igk_header *p = &o->igvm->headers[i];

        if (p->type == IGK_VHT_SUPPORTED_PLATFORM &&
            (p->u.platform.compatibility_mask & h->u.guest_policy.compatibility_mask)) {
            platform = (enum igk_platform_type)p->u.platform.platform_type;
            break;
        }
    }
    if (o->json) {
        igk_json_key(&o->j, "policy");
        igk_json_string(&o->j, igk_policy_hex(h->u.guest_policy.policy, buf, sizeof(buf)));
    } else {
        text(o, "%spolicy: %s\n", o->indent,
             igk_policy_format(platform, h->u.guest_policy.policy, buf, sizeof(buf)));
    }
    f_hex(o, "compatibility_mask", h->u.guest_policy.compatibility_mask);
    f_hex(o, "reserved", h->u.guest_policy.reserved);
}

static void d_relocatable(struct out *o, const struct igk_header *h)
{
    const struct igk_relocatable_region *r = h->u.relocatable_region;
    f_hex(o, "compatibility_mask", r->compatibility_mask);
    f_num(o, "vp_index", r->vp_index);
    f_num(o, "vtl", r->vtl);
    f_hex(o, "flags", r->flags);
    f_hex(o, "relocation_alignment", r->relocation_alignment);
    f_hex(o, "relocation_region_gpa", r->relocation_region_gpa);
    f_hex(o, "relocation_region_size", r->relocation_region_size);
    f_hex(o, "minimum_relocation_gpa", r->minimum_relocation_gpa);
    f_hex(o, "maximum_relocation_gpa", r->maximum_relocation_gpa);
}

static void d_page_table(struct out *o, const struct igk_header *h)
{
    const struct igk_page_table_relocation *r = h->u.page_table_relocation;
    f_hex(o, "compatibility_mask", r->compatibility_mask);
    f_num(o, "vp_index", r->vp_index);
    f_num(o, "vtl", r->vtl);
    f_hex(o, "gpa", r->gpa);
    f_hex(o, "size", r->size);
    f_hex(o, "used_size", r->used_size);
}

static void d_cca_policy(struct out *o, const struct igk_header *h)
{
    static const char *const hashes[] = {"sha256", "sha512", "sha384"};
    const struct igk_cca_policy *c = h->u.cca_policy;
    f_hex(o, "compatibility_mask", c->compatibility_mask);
    f_hex(o, "attributes_required_zeroes", c->attributes_required_zeroes);
    f_hex(o, "attributes_required_ones", c->attributes_required_ones);
    f_enum(o, "hash_algorithm", c->hash_algorithm,
           c->hash_algorithm < 3 ? hashes[c->hash_algorithm] : "unknown");
    f_enum(o, "lfa_policy", c->lfa_policy,
           c->lfa_policy == 0 ? "disallow" : c->lfa_policy == 1 ? "allow" : "unknown");
}

static void d_parameter_area(struct out *o, const struct igk_header *h)
{
    f_hex(o, "number_of_bytes", h->u.parameter_area.number_of_bytes);
    f_num(o, "parameter_area_index", h->u.parameter_area.parameter_area_index);
    f_hex(o, "file_offset", h->u.parameter_area.file_offset);
}

static void d_page_data(struct out *o, const struct igk_header *h)
{
    const struct igk_page_data *p = &h->u.page_data;
    char flags[64];
    f_hex(o, "gpa", p->gpa);
    f_hex(o, "compatibility_mask", p->compatibility_mask);
    f_hex(o, "file_offset", p->file_offset);
    flags_text(flags, sizeof(flags), p->flags);
    f_enum(o, "flags", p->flags, flags);
    f_enum(o, "data_type", p->data_type, igk_page_data_type_name(p->data_type));
}

static void d_parameter_insert(struct out *o, const struct igk_header *h)
{
    f_hex(o, "gpa", h->u.parameter_insert.gpa);
    f_hex(o, "compatibility_mask", h->u.parameter_insert.compatibility_mask);
    f_num(o, "parameter_area_index", h->u.parameter_insert.parameter_area_index);
}

static void d_vp_context(struct out *o, const struct igk_header *h)
{
    const struct igk_vp_context *v = &h->u.vp_context;
    f_hex(o, "gpa", v->gpa);
    f_hex(o, "compatibility_mask", v->compatibility_mask);
    f_hex(o, "file_offset", v->file_offset);
    f_num(o, "vp_index", v->vp_index);
}

static void d_required_memory(struct out *o, const struct igk_header *h)
{
    const struct igk_required_memory *r = &h->u.required_memory;
    f_hex(o, "gpa", r->gpa);
    f_hex(o, "compatibility_mask", r->compatibility_mask);
    f_hex(o, "number_of_bytes", r->number_of_bytes);
    f_hex(o, "flags", r->flags);
}

static void d_parameter(struct out *o, const struct igk_header *h)
{
    f_num(o, "parameter_area_index", h->u.parameter.parameter_area_index);
    f_hex(o, "byte_offset", h->u.parameter.byte_offset);
}

static void d_error_range(struct out *o, const struct igk_header *h)
{
    f_hex(o, "gpa", h->u.error_range.gpa);
    f_hex(o, "compatibility_mask", h->u.error_range.compatibility_mask);
    f_hex(o, "size_bytes", h->u.error_range.size_bytes);
}

static void d_key(struct out *o, const char *prefix, const struct igk_snp_public_key *k)
{
    char key[64];
    snprintf(key, sizeof(key), "%s_curve", prefix);
    f_num(o, key, k->curve);
    snprintf(key, sizeof(key), "%s_qx", prefix);
    f_bytes(o, key, k->qx, sizeof(k->qx));
    snprintf(key, sizeof(key), "%s_qy", prefix);
    f_bytes(o, key, k->qy, sizeof(k->qy));
}

static void d_sig(struct out *o, const char *prefix, const struct igk_snp_signature *s)
{
    char key[64];
    snprintf(key, sizeof(key), "%s_r", prefix);
    f_bytes(o, key, s->r, sizeof(s->r));
    snprintf(key, sizeof(key), "%s_s", prefix);
    f_bytes(o, key, s->s, sizeof(s->s));
}

static void d_id_block(struct out *o, const struct igk_header *h)
{
    const struct igk_snp_id_block *b = h->u.snp_id_block;
    f_hex(o, "compatibility_mask", b->compatibility_mask);
    f_num(o, "author_key_enabled", b->author_key_enabled);
    f_bytes(o, "ld", b->ld, sizeof(b->ld));
    f_bytes(o, "family_id", b->family_id, sizeof(b->family_id));
    f_bytes(o, "image_id", b->image_id, sizeof(b->image_id));
    f_num(o, "version", b->version);
    f_num(o, "guest_svn", b->guest_svn);
    f_num(o, "id_key_algorithm", b->id_key_algorithm);
    f_num(o, "author_key_algorithm", b->author_key_algorithm);
    d_sig(o, "id_key_signature", &b->id_key_signature);
    d_key(o, "id_public_key", &b->id_public_key);
    d_sig(o, "author_key_signature", &b->author_key_signature);
    d_key(o, "author_public_key", &b->author_public_key);
}

static void d_vbs_measurement(struct out *o, const struct igk_header *h)
{
    const struct igk_vbs_measurement *m = h->u.vbs_measurement;
    f_hex(o, "compatibility_mask", m->compatibility_mask);
    f_num(o, "version", m->version);
    f_num(o, "product_id", m->product_id);
    f_num(o, "module_id", m->module_id);
    f_num(o, "security_version", m->security_version);
    f_hex(o, "policy_flags", m->policy_flags);
    f_num(o, "boot_digest_algo", m->boot_digest_algo);
    f_num(o, "signing_algo", m->signing_algo);
    f_bytes(o, "boot_measurement_digest", m->boot_measurement_digest,
            sizeof(m->boot_measurement_digest));
    f_bytes(o, "signature", m->signature, sizeof(m->signature));
    f_bytes(o, "public_key", m->public_key, sizeof(m->public_key));
}

static const struct {
    uint32_t type;
    void (*fields)(struct out *o, const struct igk_header *h);
} dumpers[] = {
    {IGK_VHT_SUPPORTED_PLATFORM, d_platform},
    {IGK_VHT_GUEST_POLICY, d_guest_policy},
    {IGK_VHT_RELOCATABLE_REGION, d_relocatable},
    {IGK_VHT_PAGE_TABLE_RELOCATION_REGION, d_page_table},
    {IGK_VHT_CCA_POLICY, d_cca_policy},
    {IGK_VHT_PARAMETER_AREA, d_parameter_area},
    {IGK_VHT_PAGE_DATA, d_page_data},
    {IGK_VHT_PARAMETER_INSERT, d_parameter_insert},
    {IGK_VHT_VP_CONTEXT, d_vp_context},
    {IGK_VHT_REQUIRED_MEMORY, d_required_memory},
    {IGK_VHT_VP_COUNT_PARAMETER, d_parameter},
    {IGK_VHT_SRAT, d_parameter},
    {IGK_VHT_MADT, d_parameter},
    {IGK_VHT_MMIO_RANGES, d_parameter},
    {IGK_VHT_SNP_ID_BLOCK, d_id_block},
    {IGK_VHT_MEMORY_MAP, d_parameter},
    {IGK_VHT_ERROR_RANGE, d_error_range},
    {IGK_VHT_COMMAND_LINE, d_parameter},
    {IGK_VHT_SLIT, d_parameter},
    {IGK_VHT_PPTT, d_parameter},
    {IGK_VHT_VBS_MEASUREMENT, d_vbs_measurement},
    {IGK_VHT_DEVICE_TREE, d_parameter},
    {IGK_VHT_ENVIRONMENT_INFO_PARAMETER, d_parameter},
};

static int dump_header(struct out *o, size_t index, const struct igk_header *h)
{
    uint8_t digest[IGK_SHA256_LEN];

    if (o->json) {
        igk_json_begin_object(&o->j);
        igk_json_key(&o->j, "index");
        igk_json_uint(&o->j, index);
        igk_json_key(&o->j, "offset");
        igk_json_uint(&o->j, h->file_offset);
        igk_json_key(&o->j, "type");
        igk_json_string(&o->j, igk_header_type_name(h->type));
        igk_json_key(&o->j, "type_code");
        igk_json_uint(&o->j, h->type);
        igk_json_key(&o->j, "fields");
        igk_json_begin_object(&o->j);
    } else {
        text(o, "header #%zu at 0x%llx: %s\n", index, (unsigned long long)h->file_offset,
             igk_header_type_name(h->type));
    }
    for (size_t k = 0; k < IGK_ARRAY_SIZE(dumpers); k++)
        if (dumpers[k].type == h->type)
            dumpers[k].fields(o, h);
    if (h->data && igk_sha256(h->data, h->data_size, digest) < 0)
        return igk_error_set(NULL, IGK_E_INTERNAL, "sha256 failed");
    if (o->json) {
        igk_json_end_object(&o->j);
        igk_json_key(&o->j, "data_size");
        igk_json_uint(&o->j, h->data ? h->data_size : 0);
        igk_json_key(&o->j, "data_sha256");
        if (h->data)
            igk_json_hex(&o->j, digest, sizeof(digest));
        else
            igk_json_null(&o->j);
        igk_json_end_object(&o->j);
    } else if (h->data) {
        char hex[2 * IGK_SHA256_LEN + 1];
        igk_hex_encode(digest, sizeof(digest), hex);
        text(o, "  data: %u bytes, sha256 %s\n", h->data_size, hex);
    } else {
        text(o, "  data: none\n");
    }
    return 0;
}

static void dump_fixed(struct out *o, const struct igk_igvm *m,
                       const struct igk_dump_options *opt)
{
    const char *arch = m->arch == IGK_ARCH_AARCH64 ? "aarch64" : "x64";

    if (o->json) {
        igk_json_key(&o->j, "format_version");
        igk_json_uint(&o->j, m->format_version);
        igk_json_key(&o->j, "architecture");
        igk_json_string(&o->j, arch);
        igk_json_key(&o->j, "page_size");
        igk_json_uint(&o->j, m->page_size);
    } else {
        text(o, "format_version: %u\narchitecture: %s\npage_size: %u\n", m->format_version,
             arch, m->page_size);
    }
    o->indent = "";
    if (m->file) {
        f_hex(o, "variable_header_offset", m->variable_header_offset);
        f_hex(o, "variable_header_size", m->variable_header_size);
        f_hex(o, "data_section_offset", m->data_section_offset);
        f_hex(o, "total_file_size", m->file_size);
        f_hex(o, "checksum", m->checksum);
    }
    if (o->json) {
        igk_json_key(&o->j, "header_count");
        igk_json_uint(&o->j, m->n_headers);
        igk_json_key(&o->j, "platform_filter");
        if (opt->filter)
            igk_json_string(&o->j, opt->platform_name ? opt->platform_name : "");
        else
            igk_json_null(&o->j);
    } else {
        text(o, "header_count: %zu\n", m->n_headers);
        if (opt->filter)
            text(o, "platform_filter: %s (mask 0x%x)\n",
                 opt->platform_name ? opt->platform_name : "?", opt->platform_mask);
    }
}

int igk_igvm_dump(const struct igk_igvm *m, const struct igk_dump_options *opt, char **ret_text,
                  size_t *ret_len, struct igk_error *err)
{
    struct out o;
    int r = 0;

    memset(&o, 0, sizeof(o));
    o.json = opt->json;
    o.igvm = m;
    *ret_text = NULL;
    *ret_len = 0;
    r = igk_igvm_require_full(m, "a dump", err);
    if (r < 0)
        return r;
    if (o.json) {
        igk_json_init(&o.j, true);
        igk_json_begin_object(&o.j);
        igk_json_key(&o.j, "schema");
        igk_json_uint(&o.j, IGK_DUMP_SCHEMA);
    }
    dump_fixed(&o, m, opt);
    if (o.json) {
        igk_json_key(&o.j, "headers");
        igk_json_begin_array(&o.j);
    }
    o.indent = "  ";
    for (size_t i = 0; i < m->n_headers && r == 0; i++) {
        const struct igk_header *h = &m->headers[i];
        uint32_t mask;
        /* section 3: a loader for P uses headers with its bit, and all
         * headers without a mask. */
        if (opt->filter && igk_header_mask(h, &mask) && !(mask & opt->platform_mask))
            continue;
        r = dump_header(&o, i, h);
    }
    if (o.json) {
        char *t;
        size_t n;
        igk_json_end_array(&o.j);
        igk_json_end_object(&o.j);
        if (r < 0) {
            igk_json_discard(&o.j);
            return igk_error_set(err, IGK_E_INTERNAL, "sha256 failed");
        }
        if (igk_json_finish(&o.j, &t, &n) < 0)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        *ret_text = t;
        *ret_len = n;
        return 0;
    }
    if (r < 0 || o.failed) {
        free(o.buf);
        return igk_error_set(err, IGK_E_INTERNAL, r < 0 ? "sha256 failed" : "out of memory");
    }
    if (!o.buf)
        text(&o, "%s", "");
    *ret_text = o.buf;
    *ret_len = o.len;
    return 0;
}
