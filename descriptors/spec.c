/* SPDX-License-Identifier: MIT */
/*
 * YAML descriptor -> struct igk_spec (see <igvmkit/descriptor.h> and
 * igvmkit-descriptor(5)).  libyaml's document API builds the node tree; the
 * walk below checks it against the version-1 schema key by key, so every
 * error names the offending node's line and column (1-based; libyaml's
 * marks are 0-based).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uuid/uuid.h>
#include <yaml.h>

#include <igvmkit/descriptor.h>

#include "file-input.h"
#include "resource-limits.h"
#include "spec-private.h"
#include "util.h"

#define MIN_MEMORY (16ull << 20)
#define PAGE_SIZE_4K 4096ull
#define MAX_VCPUS 512

struct loader {
    yaml_document_t doc;
    const char *name;     /* descriptor name for messages */
    const char *base_dir; /* relative paths resolve against this */
    bool check_files;
    struct igk_error *err;
    struct igk_spec *spec;
};

/* One key a mapping may hold; filled by get_fields(). */
struct field {
    const char *name;
    yaml_node_t *key, *value;
    const char *alias; /* another spelling of the same key (platforms: "snp") */
};

/* The keys of the top level, for a hint when one is misplaced in a nested mapping. */
static const char *const top_level_keys[] = {"version", "firmware", "kernel",  "initrd", "cmdline",
                                             "vcpus",   "memory",   "platforms", "kernel-format"};

/*
 * "; did you mean 'x'?" when word is a likely typo of one of names[] (igk_closest_name()),
 * else "".  No hint when another name is as close ("EPYC-v5" is as near EPYC-v1 as
 * EPYC-v4): a guess between equals would mislead.  Written to buf, which is returned.
 */
static const char *did_you_mean(const char *word, const char *const *names, size_t n, char *buf,
                                size_t size)
{
    const char *best = igk_closest_name(word, names, n);

    buf[0] = '\0';
    if (!best)
        return buf;
    for (size_t i = 0; i < n; i++)
        if (names[i] && names[i] != best &&
            igk_edit_distance(word, names[i]) == igk_edit_distance(word, best))
            return buf;
    snprintf(buf, size, "; did you mean '%s'?", best);
    return buf;
}

static int fail_at(struct loader *l, yaml_mark_t mark, const char *fmt, ...) IGK_PRINTF(3, 4);

static int fail_at(struct loader *l, yaml_mark_t mark, const char *fmt, ...)
{
    va_list ap;

    igk_error_clear(l->err);
    va_start(ap, fmt);
    igk_error_setv(l->err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_path(l->err, l->name);
    igk_error_set_mark(l->err, (unsigned)mark.line + 1, (unsigned)mark.column + 1);
    return IGK_E_INVALID;
}

#define fail(l, node, ...) fail_at((l), (node)->start_mark, __VA_ARGS__)

static const char *node_kind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a sequence";
    default:
        return "a scalar";
    }
}

static const char *scalar(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

/* A plain empty scalar, "~" or "null": YAML's null. */
static bool is_null(const yaml_node_t *node)
{
    const char *s = NULL;

    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    s = scalar(node);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

/*
 * Checks that node is a mapping whose keys are distinct scalars, each one
 * of fields[]; stores each key and value node in its field.  where names the
 * mapping in messages ("" for the top level).
 */
/* Records where a value stands (1-based) for messages about it after loading. */
static void set_mark(struct igk_spec_mark *mark, const yaml_node_t *value)
{
    mark->line = (unsigned)value->start_mark.line + 1;
    mark->column = (unsigned)value->start_mark.column + 1;
}

static const char *const firmware_types[] = {"ovmf", "raw", "none"};
static const char *const vmm_names[] = {"qemu", "ec2", "gce"};
static const char *const kernel_formats[] = {"bzimage", "any"};

/* The hint for a value of a fixed list (a compound literal buffer per use). */
#define DID_YOU_MEAN(word, list)                                                                   \
    did_you_mean((word), (list), IGK_ARRAY_SIZE(list), (char[120]){0}, 120)

static int get_fields(struct loader *l, yaml_node_t *node, const char *where, struct field *fields,
                      size_t n_fields)
{
    char allowed[256];
    size_t used = 0;

    for (size_t i = 0; i < n_fields; i++) {
        int k = snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "",
                         fields[i].name);
        if (k > 0 && (size_t)k < sizeof(allowed) - used)
            used += (size_t)k;
        fields[i].key = fields[i].value = NULL;
    }
    if (node->type != YAML_MAPPING_NODE)
        return fail(l, node, "%s%s must be a mapping of keys (%s), not %s", *where ? "" : "the ",
                    *where ? where : "descriptor", allowed, node_kind(node));

    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = yaml_document_get_node(&l->doc, pair->key);
        yaml_node_t *value = yaml_document_get_node(&l->doc, pair->value);
        struct field *f = NULL;

        if (!key || !value)
            return igk_error_set(l->err, IGK_E_INTERNAL, "libyaml returned a dangling node");
        if (key->type != YAML_SCALAR_NODE)
            return fail(l, key, "keys must be plain names, not %s", node_kind(key));
        /* "vcpus\0hidden" must not pass for "vcpus". */
        if (strlen(scalar(key)) != key->data.scalar.length)
            return fail(l, key, "keys must not contain a NUL character");
        for (size_t i = 0; i < n_fields; i++)
            if (!strcmp(fields[i].name, scalar(key)) ||
                (fields[i].alias && !strcmp(fields[i].alias, scalar(key))))
                f = &fields[i];
        if (!f) {
            const char *names[16];
            char hint[120];
            size_t n = 0;

            for (size_t i = 0; i < n_fields && n < IGK_ARRAY_SIZE(names); i++)
                names[n++] = fields[i].name;
            did_you_mean(scalar(key), names, n, hint, sizeof(hint));
            if (!hint[0] && *where) {
                char top[120];

                if (*did_you_mean(scalar(key), top_level_keys, IGK_ARRAY_SIZE(top_level_keys),
                                  top, sizeof(top)))
                    snprintf(hint, sizeof(hint), "; did you mean the top-level key '%s'?",
                             igk_closest_name(scalar(key), top_level_keys,
                                              IGK_ARRAY_SIZE(top_level_keys)));
            }
            if (*where)
                return fail(l, key, "unknown key '%s' in %s (allowed: %s)%s", scalar(key), where,
                            allowed, hint);
            return fail(l, key, "unknown key '%s' (allowed: %s)%s", scalar(key), allowed, hint);
        }
        if (f->key && strcmp(scalar(f->key), scalar(key)))
            return fail(l, key, "'%s' is another name of '%s' (first given at line %u)",
                        scalar(key), scalar(f->key), (unsigned)f->key->start_mark.line + 1);
        if (f->key)
            return fail(l, key, "duplicate key '%s' (first given at line %u)", scalar(key),
                        (unsigned)f->key->start_mark.line + 1);
        f->key = key;
        f->value = value;
    }
    return 0;
}

/* The scalar text of a value; what says what was expected ("an integer"). */
static int get_scalar(struct loader *l, const yaml_node_t *value, const char *key,
                      const char *what, const char **ret)
{
    if (value->type != YAML_SCALAR_NODE)
        return fail(l, value, "'%s' must be %s, not %s", key, what, node_kind(value));
    if (strlen(scalar(value)) != value->data.scalar.length)
        return fail(l, value, "'%s' must not contain a NUL character", key);
    *ret = scalar(value);
    return 0;
}

static int get_uint(struct loader *l, const yaml_node_t *value, const char *key, uint64_t max,
                    const char *range, uint64_t *ret)
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "an integer", &s);

    if (r < 0)
        return r;
    if (!igk_parse_uint(s, UINT64_MAX, ret))
        return fail(l, value, "'%s' must be an integer (decimal or 0x-hex, %s), not '%s'", key,
                    range, s);
    if (*ret > max)
        return fail(l, value, "'%s' %s is out of range (%s)", key, s, range);
    return 0;
}

static int get_string(struct loader *l, const yaml_node_t *value, const char *key, char **ret)
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "a string", &s);

    if (r < 0)
        return r;
    *ret = strdup(s);
    if (!*ret)
        return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
    return 0;
}

/*
 * An input file: keeps the path as written and the path to open, and (when
 * checking files) opens it so that a missing file, a directory or an
 * unreadable file is reported at the descriptor line that names it.
 */
static int get_file(struct loader *l, const yaml_node_t *value, const char *key,
                    enum igk_limit_id limit, struct igk_spec_file *file)
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "a file path", &s);
    size_t len;

    if (r < 0)
        return r;
    if (!*s || is_null(value))
        return fail(l, value, "'%s' needs a file path", key);
    file->mark.line = (unsigned)value->start_mark.line + 1;
    file->mark.column = (unsigned)value->start_mark.column + 1;
    file->path = strdup(s);
    if (!file->path)
        return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
    if (s[0] == '/' || !strcmp(l->base_dir, ".")) {
        file->open_path = strdup(s);
    } else {
        size_t dir_len = strlen(l->base_dir);
        bool slash = dir_len && l->base_dir[dir_len - 1] == '/';

        len = dir_len + 1 + strlen(s) + 1;
        file->open_path = malloc(len);
        if (file->open_path)
            snprintf(file->open_path, len, "%s%s%s", l->base_dir, slash ? "" : "/", s);
    }
    if (!file->open_path)
        return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
    file->present = true;

    if (l->check_files) {
        char resolved[600] = "";
        struct stat st;
        int fd;

        if (strcmp(file->open_path, file->path))
            snprintf(resolved, sizeof(resolved), " (resolved to '%s')", file->open_path);
        /* O_NONBLOCK: a FIFO must be refused, not waited on (file-input.h). */
        fd = open(file->open_path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            return fail(l, value, "cannot open %s '%s'%s: %s", key, s, resolved, strerror(errno));
        r = fstat(fd, &st);
        close(fd);
        if (r < 0)
            return fail(l, value, "cannot stat %s '%s'%s: %s", key, s, resolved, strerror(errno));
        if (S_ISDIR(st.st_mode))
            return fail(l, value, "%s '%s'%s is a directory, not a file", key, s, resolved);
        if (!S_ISREG(st.st_mode))
            return fail(l, value, "%s '%s'%s is not a regular file", key, s, resolved);
        if ((uint64_t)st.st_size > igk_limit_value(limit)) {
            const struct igk_limit *lim = igk_limit(limit);
            return fail(l, value, "%s '%s'%s is %llu bytes, more than the limit '%s' of %llu bytes",
                        key, s, resolved, (unsigned long long)st.st_size, lim->name,
                        (unsigned long long)lim->value);
        }
    }
    return 0;
}

static int get_uuid(struct loader *l, const yaml_node_t *value, const char *key, uint8_t out[16])
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "a UUID", &s);
    uuid_t u;

    if (r < 0)
        return r;
    if (uuid_parse(s, u) < 0)
        return fail(l, value,
                    "'%s' must be a UUID like 01234567-89ab-cdef-0123-456789abcdef, not '%s'", key,
                    s);
    memcpy(out, u, 16);
    return 0;
}

/*
 * memory / prevalidate / vars-size: a size by QEMU's rule (igk_parse_size():
 * a bare number counts bare_unit bytes, MiB for the memory sizes as QEMU's
 * -m has it), a multiple of 4 KiB (guest memory is handed out in 4 KiB
 * pages), at least min.
 */
static int get_size(struct loader *l, const yaml_node_t *value, const char *key, uint64_t bare_unit,
                    uint64_t min, uint64_t *ret)
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "a size", &s);

    if (r < 0)
        return r;
    if (!igk_parse_size(s, bare_unit, ret))
        return fail(l, value,
                    "'%s' must be a size: a number of %s, or a number with unit B, K, M, G or T "
                    "(e.g. 2G), not '%s'",
                    key, bare_unit == 1 ? "bytes" : "MiB", s);
    if (*ret % PAGE_SIZE_4K)
        return fail(l, value, "'%s' %s is not a multiple of 4 KiB", key, s);
    if (*ret < min)
        return fail(l, value, "'%s' %s is below the minimum of %llu MiB", key, s,
                    (unsigned long long)(min >> 20));
    return 0;
}

/* 96 hex digits (a SHA-384 value), optionally with a 0x prefix. */
static int get_digest48(struct loader *l, const yaml_node_t *value, const char *key,
                        uint8_t out[48])
{
    const char *s = NULL;
    int r = get_scalar(l, value, key, "96 hex digits (a SHA-384 digest)", &s);

    if (r < 0)
        return r;
    if (igk_hex_decode(s, out, 48) < 0)
        return fail(l, value, "'%s' must be 96 hex digits (a SHA-384 digest), not '%s'", key, s);
    return 0;
}

static int load_firmware(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "type"}, {.name = "path"}, {.name = "vars"}, {.name = "gpa"},
                        {.name = "digest"}};
    struct igk_spec *spec = l->spec;
    const char *type = NULL;
    int r;

    r = get_fields(l, node, "firmware", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (!f[0].value)
        return fail(l, node, "missing required key 'type' in firmware (ovmf, raw or none)");
    r = get_scalar(l, f[0].value, "type", "one of ovmf, raw, none", &type);
    if (r < 0)
        return r;
    if (!strcmp(type, "ovmf"))
        spec->firmware_type = IGK_FIRMWARE_OVMF;
    else if (!strcmp(type, "raw"))
        spec->firmware_type = IGK_FIRMWARE_RAW;
    else if (!strcmp(type, "none"))
        spec->firmware_type = IGK_FIRMWARE_NONE;
    else
        return fail(l, f[0].value, "unknown firmware type '%s' (allowed: ovmf, raw, none)%s", type,
                    DID_YOU_MEAN(type, firmware_types));

    if (spec->firmware_type == IGK_FIRMWARE_NONE) {
        if (f[1].key)
            return fail(l, f[1].key, "'path' is not allowed with firmware type none "
                                     "(direct Linux boot has no firmware image)");
    } else if (!f[1].value) {
        return fail(l, node, "missing required key 'path' in firmware (required unless type is "
                             "none)");
    } else {
        r = get_file(l, f[1].value, "firmware", IGK_LIMIT_FIRMWARE_SIZE, &spec->firmware);
        if (r < 0)
            return r;
    }

    if (f[2].key) {
        if (spec->firmware_type != IGK_FIRMWARE_OVMF)
            return fail(l, f[2].key, "'vars' is only allowed with firmware type ovmf, not %s",
                        type);
        r = get_file(l, f[2].value, "vars", IGK_LIMIT_FIRMWARE_SIZE, &spec->vars);
        if (r < 0)
            return r;
    }

    if (f[3].key) {
        if (spec->firmware_type != IGK_FIRMWARE_RAW)
            return fail(l, f[3].key, "'gpa' is only allowed with firmware type raw, not %s", type);
        r = get_uint(l, f[3].value, "gpa", 0xFFFFF000ull, "a 4 KiB aligned address below 4 GiB",
                     &spec->firmware_gpa);
        if (r < 0)
            return r;
        if (spec->firmware_gpa % PAGE_SIZE_4K)
            return fail(l, f[3].value, "'gpa' %s is not 4 KiB aligned", scalar(f[3].value));
        spec->has_firmware_gpa = true;
    }

    if (f[4].key) {
        if (spec->firmware_type != IGK_FIRMWARE_OVMF)
            return fail(l, f[4].key, "'digest' is only allowed with firmware type ovmf, not %s",
                        type);
        r = get_digest48(l, f[4].value, "digest", spec->firmware_digest);
        if (r < 0)
            return r;
        spec->has_firmware_digest = true;
    }
    return 0;
}

static int load_id_block(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "id-key"},   {.name = "author-key"}, {.name = "family-id"},
                        {.name = "image-id"}, {.name = "version"},    {.name = "svn"}};
    struct igk_spec_id_block *id = &l->spec->snp.id_block;
    uint64_t v;
    int r;

    r = get_fields(l, node, "platforms.sev-snp.id-block", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (!f[0].value)
        return fail(l, node, "missing required key 'id-key' in platforms.sev-snp.id-block "
                             "(the P-384 private key that signs the ID block)");
    id->present = true;
    id->version = 1;
    r = get_file(l, f[0].value, "id-key", IGK_LIMIT_SMALL_FILE, &id->id_key);
    if (r == 0 && f[1].value)
        r = get_file(l, f[1].value, "author-key", IGK_LIMIT_SMALL_FILE, &id->author_key);
    if (r == 0 && f[2].value) {
        r = get_uuid(l, f[2].value, "family-id", id->family_id);
        id->has_family_id = true;
    }
    if (r == 0 && f[3].value) {
        r = get_uuid(l, f[3].value, "image-id", id->image_id);
        id->has_image_id = true;
    }
    if (r == 0 && f[4].value) {
        /* SNP firmware takes ID block version 1 only (SEV-SNP ABI, SNP_LAUNCH_FINISH ID
         * block); another one packs a block that 'igvmkit measure' reports as invalid. */
        r = get_uint(l, f[4].value, "version", 1, "1, the only version SEV-SNP firmware takes", &v);
        if (r == 0 && v != 1)
            r = fail(l, f[4].value, "'version' %s is out of range (1, the only version SEV-SNP "
                                    "firmware takes)", scalar(f[4].value));
        id->version = (uint32_t)v;
    }
    if (r == 0 && f[5].value) {
        r = get_uint(l, f[5].value, "svn", UINT32_MAX, "0..0xffffffff", &v);
        id->svn = (uint32_t)v;
    }
    return r;
}

/* platforms.sev-snp.svsm: {path: FILE, vars-size: N} (igvmkit-descriptor(5)). */
static int load_svsm(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "path"}, {.name = "vars-size"}};
    struct igk_spec_svsm *svsm = &l->spec->snp.svsm;
    int r;

    r = get_fields(l, node, "platforms.sev-snp.svsm", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (!f[0].value)
        return fail(l, node, "missing required key 'path' in platforms.sev-snp.svsm "
                             "(the COCONUT-SVSM image)");
    if (!f[1].value)
        return fail(l, node, "missing required key 'vars-size' in platforms.sev-snp.svsm "
                             "(bytes of the OVMF vars area between the SVSM and OVMF)");
    if ((r = get_file(l, f[0].value, "svsm", IGK_LIMIT_FIRMWARE_SIZE, &svsm->image)) < 0)
        return r;
    /* Bytes when bare, as sev-snp-measure's --vars-size (igvmkit-descriptor(5)). */
    if ((r = get_size(l, f[1].value, "vars-size", 1, 0, &svsm->vars_size)) < 0)
        return r;
    if (svsm->vars_size > 0xFFFFF000ull)
        return fail(l, f[1].value, "'vars-size' %s is out of range (a multiple of 4096 below "
                                   "4 GiB)", scalar(f[1].value));
    svsm->present = true;
    set_mark(&svsm->mark, node);
    set_mark(&svsm->vars_size_mark, f[1].value);
    return 0;
}

static int vcpu_type_error(struct loader *l, const yaml_node_t *value, const char *name)
{
    char allowed[400], hint[120];
    const char *names[64];
    size_t used = 0, n = 0;
    const char *t;

    allowed[0] = '\0';
    for (size_t i = 0; (t = igk_snp_vcpu_type_name(i)); i++) {
        int k = snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "", t);
        if (k > 0 && (size_t)k < sizeof(allowed) - used)
            used += (size_t)k;
        if (n < IGK_ARRAY_SIZE(names))
            names[n++] = t;
    }
    return fail(l, value, "unknown vcpu-type '%s' (allowed: %s; or give vcpu-sig)%s", name,
                allowed, did_you_mean(name, names, n, hint, sizeof(hint)));
}

static int load_snp(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "policy"},         {.name = "vcpu-type"},   {.name = "vcpu-sig"},
                        {.name = "vmm"},            {.name = "guest-features"},
                        {.name = "prevalidate"},    {.name = "id-block"},
                        {.name = "svsm"}};
    struct igk_spec_snp *snp = &l->spec->snp;
    uint64_t v;
    const char *s = NULL;
    int r;

    if (is_null(node))
        return 0;
    r = get_fields(l, node, "platforms.sev-snp", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (f[0].value && (r = get_uint(l, f[0].value, "policy", UINT64_MAX, "a 64-bit value",
                                    &snp->policy)) < 0)
        return r;
    if (f[0].value)
        set_mark(&snp->policy_mark, f[0].value);
    if (f[1].value && f[2].value)
        return fail(l, f[2].key, "give either vcpu-type or vcpu-sig, not both (vcpu-type "
                                 "names a model whose signature is known)");
    if (f[1].value) {
        r = get_scalar(l, f[1].value, "vcpu-type", "a vCPU model name", &s);
        if (r < 0)
            return r;
        if (!igk_snp_vcpu_signature(s))
            return vcpu_type_error(l, f[1].value, s);
        free(snp->vcpu_type);
        snp->vcpu_type = strdup(s);
        if (!snp->vcpu_type)
            return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
        snp->vcpu_sig = igk_snp_vcpu_signature(s);
    }
    if (f[2].value) {
        r = get_uint(l, f[2].value, "vcpu-sig", UINT32_MAX, "a 32-bit CPUID signature", &v);
        if (r < 0)
            return r;
        snp->vcpu_type = (free(snp->vcpu_type), NULL);
        snp->vcpu_sig = (uint32_t)v;
    }
    if (f[3].value) {
        r = get_scalar(l, f[3].value, "vmm", "one of qemu, ec2, gce", &s);
        if (r < 0)
            return r;
        if (!strcmp(s, "qemu"))
            snp->vmm = IGK_SNP_VMM_QEMU;
        else if (!strcmp(s, "ec2"))
            snp->vmm = IGK_SNP_VMM_EC2;
        else if (!strcmp(s, "gce"))
            snp->vmm = IGK_SNP_VMM_GCE;
        else
            return fail(l, f[3].value, "unknown vmm '%s' (allowed: qemu, ec2, gce)%s", s,
                        DID_YOU_MEAN(s, vmm_names));
    }
    if (f[4].value && (r = get_uint(l, f[4].value, "guest-features", UINT64_MAX,
                                    "a 64-bit SEV_FEATURES value", &snp->guest_features)) < 0)
        return r;
    if (f[5].value) {
        /* Only the direct-boot packer pre-validates RAM; with firmware the
         * firmware validates it, so the setting would be dropped silently. */
        if (l->spec->firmware_type != IGK_FIRMWARE_NONE)
            return fail(l, f[5].key, "'prevalidate' applies to direct boot (firmware type none) "
                                     "only; with firmware type %s the firmware validates memory",
                        igk_firmware_type_to_string(l->spec->firmware_type));
        r = get_size(l, f[5].value, "prevalidate", 1ull << 20, 0, &snp->prevalidate);
        if (r < 0)
            return r;
        snp->has_prevalidate = true;
        set_mark(&snp->prevalidate_mark, f[5].value);
    }
    if (f[6].value && (r = load_id_block(l, f[6].value)) < 0)
        return r;
    if (f[7].value)
        return load_svsm(l, f[7].value);
    return 0;
}

static int load_tdx(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "policy"}};
    int r;

    if (is_null(node))
        return 0;
    r = get_fields(l, node, "platforms.tdx", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (f[0].value) {
        set_mark(&l->spec->tdx.policy_mark, f[0].value);
        return get_uint(l, f[0].value, "policy", UINT64_MAX, "a 64-bit value", &l->spec->tdx.policy);
    }
    return 0;
}

/* platforms.sev-es: vcpu-type or vcpu-sig, vmm (as for sev-snp). */
static int load_sev_es(struct loader *l, yaml_node_t *node)
{
    struct field f[] = {{.name = "vcpu-type"}, {.name = "vcpu-sig"}, {.name = "vmm"}};
    struct igk_spec_sev_es *es = &l->spec->sev_es;
    const char *s = NULL;
    uint64_t v;
    int r;

    if (is_null(node))
        return 0;
    r = get_fields(l, node, "platforms.sev-es", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (f[0].value && f[1].value)
        return fail(l, f[1].key, "give either vcpu-type or vcpu-sig, not both (vcpu-type "
                                 "names a model whose signature is known)");
    if (f[0].value) {
        if ((r = get_scalar(l, f[0].value, "vcpu-type", "a vCPU model name", &s)) < 0)
            return r;
        if (!igk_snp_vcpu_signature(s))
            return vcpu_type_error(l, f[0].value, s);
        free(es->vcpu_type);
        if (!(es->vcpu_type = strdup(s)))
            return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
        es->vcpu_sig = igk_snp_vcpu_signature(s);
    }
    if (f[1].value) {
        if ((r = get_uint(l, f[1].value, "vcpu-sig", UINT32_MAX, "a 32-bit CPUID signature",
                          &v)) < 0)
            return r;
        es->vcpu_type = (free(es->vcpu_type), NULL);
        es->vcpu_sig = (uint32_t)v;
    }
    if (f[2].value) {
        if ((r = get_scalar(l, f[2].value, "vmm", "one of qemu, ec2, gce", &s)) < 0)
            return r;
        if (!strcmp(s, "qemu"))
            es->vmm = IGK_SNP_VMM_QEMU;
        else if (!strcmp(s, "ec2"))
            es->vmm = IGK_SNP_VMM_EC2;
        else if (!strcmp(s, "gce"))
            es->vmm = IGK_SNP_VMM_GCE;
        else
            return fail(l, f[2].value, "unknown vmm '%s' for sev-es (allowed: qemu, ec2, gce)%s", s,
                        DID_YOU_MEAN(s, vmm_names));
    }
    return 0;
}

/* platforms.sev: plain SEV has no per-platform settings yet. */
static int load_sev(struct loader *l, yaml_node_t *node)
{
    if (is_null(node))
        return 0;
    if (node->type != YAML_MAPPING_NODE)
        return fail(l, node, "platforms.sev takes no settings (write 'sev: {}'), not %s",
                    node_kind(node));
    if (node->data.mapping.pairs.top != node->data.mapping.pairs.start) {
        yaml_node_t *key = yaml_document_get_node(&l->doc, node->data.mapping.pairs.start->key);
        return fail(l, key ? key : node, "platforms.sev takes no settings (write 'sev: {}')");
    }
    return 0;
}

static int load_native(struct loader *l, yaml_node_t *node)
{
    if (is_null(node))
        return 0;
    if (node->type != YAML_MAPPING_NODE)
        return fail(l, node, "platforms.native takes no settings (write 'native: {}'), not %s",
                    node_kind(node));
    if (node->data.mapping.pairs.top != node->data.mapping.pairs.start) {
        yaml_node_t *key = yaml_document_get_node(&l->doc, node->data.mapping.pairs.start->key);
        return fail(l, key ? key : node, "platforms.native takes no settings (write 'native: {}')");
    }
    return 0;
}

static int load_platforms(struct loader *l, yaml_node_t *node)
{
    /* Header order in the file is fixed by the packer (SNP, native, TDX), not by this order. */
    /* "snp" as igk_platform_from_name() and every --platform option take it. */
    struct field f[] = {{.name = "sev-snp", .alias = "snp"}, {.name = "tdx"}, {.name = "native"},
                        {.name = "sev-es"},  {.name = "sev"}};
    static const enum igk_platform_type types[] = {IGK_PLATFORM_SEV_SNP, IGK_PLATFORM_TDX,
                                                   IGK_PLATFORM_NATIVE, IGK_PLATFORM_SEV_ES,
                                                   IGK_PLATFORM_SEV};
    struct igk_spec *spec = l->spec;
    int r;

    if (is_null(node) ||
        (node->type == YAML_MAPPING_NODE &&
         node->data.mapping.pairs.top == node->data.mapping.pairs.start))
        return fail(l, node, "'platforms' must name at least one platform (sev-snp, tdx, "
                             "native, sev-es, sev)");
    /* Platforms igvmkit knows (and measures) but does not pack: say so rather than "unknown". */
    if (node->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
             pair < node->data.mapping.pairs.top; pair++) {
            yaml_node_t *key = yaml_document_get_node(&l->doc, pair->key);
            int p;

            if (!key || key->type != YAML_SCALAR_NODE)
                continue;
            p = igk_platform_from_name(scalar(key));
            if (p == IGK_PLATFORM_VSM || p == IGK_PLATFORM_CCA)
                return fail(l, key, "platform '%s' is not packed by igvmkit (it packs sev-snp, "
                                    "tdx, native, sev-es, sev)", scalar(key));
        }
    }
    r = get_fields(l, node, "platforms", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    for (size_t i = 0; i < IGK_ARRAY_SIZE(f); i++) {
        if (!f[i].key)
            continue;
        spec->platforms |= 1u << types[i];
        spec->platform_mark[types[i]].line = (unsigned)f[i].key->start_mark.line + 1;
        spec->platform_mark[types[i]].column = (unsigned)f[i].key->start_mark.column + 1;
    }
    if (f[0].value && (r = load_snp(l, f[0].value)) < 0)
        return r;
    if (f[1].value && (r = load_tdx(l, f[1].value)) < 0)
        return r;
    if (f[2].value && (r = load_native(l, f[2].value)) < 0)
        return r;
    if (f[3].value && (r = load_sev_es(l, f[3].value)) < 0)
        return r;
    if (f[4].value && (r = load_sev(l, f[4].value)) < 0)
        return r;
    return 0;
}

static int load_root(struct loader *l, yaml_node_t *root)
{
    struct field f[] = {{.name = "version"}, {.name = "firmware"}, {.name = "kernel"},
                        {.name = "initrd"},  {.name = "cmdline"},  {.name = "vcpus"},
                        {.name = "memory"},  {.name = "platforms"}, {.name = "kernel-format"}};
    struct igk_spec *spec = l->spec;
    uint64_t v;
    int r;

    r = get_fields(l, root, "", f, IGK_ARRAY_SIZE(f));
    if (r < 0)
        return r;
    if (!f[0].value)
        return fail(l, root, "missing required key 'version' (this igvmkit reads version: 1)");
    r = get_uint(l, f[0].value, "version", UINT32_MAX, "1", &v);
    if (r < 0)
        return r;
    if (v != 1)
        return fail(l, f[0].value, "unsupported descriptor version %s (this igvmkit reads "
                                   "version: 1)", scalar(f[0].value));
    spec->version = 1;

    if (!f[1].value)
        return fail(l, root, "missing required key 'firmware' (a mapping with at least "
                             "'type': ovmf, raw or none)");
    r = load_firmware(l, f[1].value);
    if (r < 0)
        return r;
    if (f[2].value && (r = get_file(l, f[2].value, "kernel", IGK_LIMIT_KERNEL_SIZE, &spec->kernel)) < 0)
        return r;
    if (f[3].value && (r = get_file(l, f[3].value, "initrd", IGK_LIMIT_INITRD_SIZE, &spec->initrd)) < 0)
        return r;
    if (f[4].value) {
        r = get_string(l, f[4].value, "cmdline", &spec->cmdline);
        if (r < 0)
            return r;
        spec->has_cmdline = true;
        set_mark(&spec->cmdline_mark, f[4].value);
    }
    if (spec->firmware_type == IGK_FIRMWARE_NONE && !spec->kernel.present) {
        /* Point at 'type: none': that is the choice that makes the kernel required. */
        yaml_node_t *type = NULL;
        struct field ff[] = {{.name = "type"}, {.name = "path"}, {.name = "vars"}, {.name = "gpa"}};

        if (get_fields(l, f[1].value, "firmware", ff, IGK_ARRAY_SIZE(ff)) == 0)
            type = ff[0].value;
        return fail(l, type ? type : f[1].value,
                    "firmware type none (direct Linux boot) needs a 'kernel'");
    }
    if (f[5].value) {
        r = get_uint(l, f[5].value, "vcpus", MAX_VCPUS, "1..512", &v);
        if (r < 0)
            return r;
        if (v < 1)
            return fail(l, f[5].value, "'vcpus' %s is out of range (1..512)", scalar(f[5].value));
        spec->vcpus = (unsigned)v;
        set_mark(&spec->vcpus_mark, f[5].value);
    }
    if (f[6].value && (r = get_size(l, f[6].value, "memory", 1ull << 20, MIN_MEMORY, &spec->memory)) < 0)
        return r;
    if (f[6].value)
        set_mark(&spec->memory_mark, f[6].value);
    if (f[6].value && spec->memory > igk_limit_value(IGK_LIMIT_MEMORY))
        return fail(l, f[6].value, "'memory' %s is more than the limit 'memory' of %llu TiB",
                    scalar(f[6].value),
                    (unsigned long long)(igk_limit_value(IGK_LIMIT_MEMORY) >> 40));
    if (f[8].value) {
        const char *s = NULL;

        if ((r = get_scalar(l, f[8].value, "kernel-format", "bzimage or any", &s)) < 0)
            return r;
        if (!strcmp(s, "bzimage"))
            spec->kernel_format = IGK_KERNEL_BZIMAGE;
        else if (!strcmp(s, "any"))
            spec->kernel_format = IGK_KERNEL_ANY;
        else
            return fail(l, f[8].value, "unknown kernel-format '%s' (allowed: bzimage, any)%s", s,
                        DID_YOU_MEAN(s, kernel_formats));
    }
    if (!f[7].value)
        return fail(l, root, "missing required key 'platforms' (a mapping naming any of "
                             "sev-snp, tdx, native, sev-es, sev)");
    return load_platforms(l, f[7].value);
}

/* Defaults documented in igvmkit-descriptor(5); the vCPU model is the one QEMU's "EPYC" alias uses. */
static int set_defaults(struct igk_spec *spec)
{
    spec->version = 1;
    spec->vcpus = 1;
    spec->memory = 2ull << 30;
    spec->snp.policy = 0x30000;
    spec->snp.vmm = IGK_SNP_VMM_QEMU;
    spec->snp.guest_features = 0x1;
    spec->tdx.policy = 0;
    spec->snp.vcpu_type = strdup("EPYC-v4");
    spec->snp.vcpu_sig = igk_snp_vcpu_signature("EPYC-v4");
    spec->sev_es.vmm = IGK_SNP_VMM_QEMU;
    spec->sev_es.vcpu_type = strdup("EPYC-v4");
    spec->sev_es.vcpu_sig = igk_snp_vcpu_signature("EPYC-v4");
    return spec->snp.vcpu_type && spec->sev_es.vcpu_type ? 0 : IGK_E_INTERNAL;
}

static int syntax_error(struct loader *l, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "malformed YAML";

    if (parser->error == YAML_MEMORY_ERROR)
        return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory parsing YAML");
    if (parser->context)
        return fail_at(l, parser->problem_mark, "invalid YAML: %s %s", problem, parser->context);
    return fail_at(l, parser->problem_mark, "invalid YAML: %s", problem);
}

/*
 * Refuses a document nested deeper than the yaml-depth limit before
 * libyaml builds it: building deeply nested flow collections costs time
 * quadratic in the depth, and no descriptor needs more than four levels.
 */
static int check_depth(struct loader *l, const char *yaml, size_t len)
{
    uint64_t max = igk_limit_value(IGK_LIMIT_YAML_DEPTH);
    yaml_parser_t parser;
    yaml_event_t event;
    uint64_t depth = 0;
    int r = 0;
    bool done = false;

    if (!yaml_parser_initialize(&parser))
        return igk_error_set(l->err, IGK_E_INTERNAL, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    while (!done && r == 0) {
        if (!yaml_parser_parse(&parser, &event))
            break; /* yaml_parser_load() reports the syntax error with its mark */
        switch (event.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > max)
                r = fail_at(l, event.start_mark,
                            "YAML nested more than %llu levels deep (limit 'yaml-depth')",
                            (unsigned long long)max);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return r;
}

IGK_PUBLIC int igk_spec_load_buffer(const char *yaml, size_t len, const char *name,
                                    const char *base_dir, bool check_files,
                                    struct igk_spec **ret_spec, struct igk_error *err)
{
    struct loader l = {.name = name ? name : "<descriptor>",
                       .base_dir = base_dir && *base_dir ? base_dir : ".",
                       .check_files = check_files,
                       .err = err};
    yaml_parser_t parser;
    yaml_document_t extra;
    yaml_node_t *root;
    int r;

    if (!yaml || !ret_spec)
        return igk_error_set(err, IGK_E_USAGE, "igk_spec_load_buffer: NULL argument");
    l.spec = calloc(1, sizeof(*l.spec));
    if (!l.spec)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    l.spec->descriptor_path = strdup(l.name);
    l.spec->base_dir = strdup(l.base_dir);
    if (set_defaults(l.spec) < 0 || !l.spec->descriptor_path || !l.spec->base_dir) {
        igk_spec_free(l.spec);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }

    if (len > igk_limit_value(IGK_LIMIT_DESCRIPTOR_SIZE)) {
        igk_spec_free(l.spec);
        igk_limit_fail(err, IGK_LIMIT_DESCRIPTOR_SIZE, "descriptor", len);
        igk_error_set_path(err, l.name);
        igk_error_set_mark(err, 1, 1);
        return IGK_E_INVALID;
    }
    if ((r = check_depth(&l, yaml, len)) < 0) {
        igk_spec_free(l.spec);
        return r;
    }
    if (!yaml_parser_initialize(&parser)) {
        igk_spec_free(l.spec);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &l.doc)) {
        r = syntax_error(&l, &parser);
        yaml_parser_delete(&parser);
        igk_spec_free(l.spec);
        return r;
    }

    root = yaml_document_get_root_node(&l.doc);
    if (!root) {
        yaml_mark_t start = {0, 0, 0};
        r = fail_at(&l, start, "empty descriptor (expected a mapping starting with 'version: 1')");
    } else {
        r = load_root(&l, root);
    }
    /* A second document would be silently ignored: refuse it instead. */
    if (r == 0) {
        if (!yaml_parser_load(&parser, &extra)) {
            r = syntax_error(&l, &parser);
        } else {
            yaml_node_t *second = yaml_document_get_root_node(&extra);
            if (second)
                r = fail(&l, second, "a descriptor holds one YAML document; found a second one");
            yaml_document_delete(&extra);
        }
    }
    yaml_document_delete(&l.doc);
    yaml_parser_delete(&parser);
    if (r < 0) {
        igk_spec_free(l.spec);
        return r;
    }
    *ret_spec = l.spec;
    return 0;
}

IGK_PUBLIC int igk_spec_load(const char *path, struct igk_spec **ret_spec, struct igk_error *err)
{
    uint8_t *data = NULL;
    size_t size = 0;
    char *dir;
    const char *slash;
    int r;

    if (!path || !ret_spec)
        return igk_error_set(err, IGK_E_USAGE, "igk_spec_load: NULL argument");
    r = igk_read_file_limit(path, IGK_LIMIT_DESCRIPTOR_SIZE, "descriptor", &data, &size, err);
    if (r < 0) {
        igk_error_set_path(err, path);
        return r;
    }
    slash = strrchr(path, '/');
    if (!slash)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else
        dir = strndup(path, (size_t)(slash - path));
    if (!dir) {
        free(data);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    r = igk_spec_load_buffer((const char *)data, size, path, dir, true, ret_spec, err);
    free(dir);
    free(data);
    return r;
}

static void file_done(struct igk_spec_file *file)
{
    free(file->path);
    free(file->open_path);
    memset(file, 0, sizeof(*file));
}

IGK_PUBLIC struct igk_spec *igk_spec_free(struct igk_spec *spec)
{
    if (!spec)
        return NULL;
    free(spec->descriptor_path);
    free(spec->base_dir);
    file_done(&spec->firmware);
    file_done(&spec->vars);
    file_done(&spec->kernel);
    file_done(&spec->initrd);
    free(spec->cmdline);
    free(spec->snp.vcpu_type);
    file_done(&spec->snp.id_block.id_key);
    file_done(&spec->snp.id_block.author_key);
    file_done(&spec->snp.svsm.image);
    free(spec->sev_es.vcpu_type);
    free(spec);
    return NULL;
}
