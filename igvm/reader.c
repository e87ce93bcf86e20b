/* SPDX-License-Identifier: MIT */
/*
 * IGVM reader: decodes a file into the model and validates it with the same
 * verdict as the reference parser (docs/igvm-format.md section 7): fixed header
 * checks (section 2.3), then every variable header in file order, then the
 * cross-header rules (check.c).  Header data pointers reference the input
 * bytes; nothing is copied except the bodies kept out of line, so the work
 * per header is O(1).  A lean read (igvm.h) runs the same checks and keeps
 * every header but PAGE_DATA; cursor.c finds those in the file again.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <igvmkit/igvm.h>

#include "check.h"
#include "codec.h"
#include "le.h"
#include "model-private.h"
#include "util.h"

/* Fixed header field offsets (section 2.1). */
enum {
    FH_MAGIC = 0,
    FH_VERSION = 4,
    FH_VAR_OFFSET = 8,
    FH_VAR_SIZE = 12,
    FH_TOTAL_SIZE = 16,
    FH_CHECKSUM = 20,
    FH_ARCH = 24,
    FH_PAGE_SIZE = 28,
};
_Static_assert(FH_CHECKSUM + 4 == IGK_FIXED_HEADER_V1_SIZE, "v1 fixed header size");
_Static_assert(FH_PAGE_SIZE + 4 == IGK_FIXED_HEADER_V2_SIZE, "v2 fixed header size");

IGK_PUBLIC void igk_read_limits_default(struct igk_read_limits *limits)
{
    limits->max_file_size = UINT32_MAX; /* total_file_size is a u32 */
    limits->max_headers = (size_t)4 << 20;
}

/* A fixed-header failure: no header index, the offset of the field. */
static int fixed_fail(struct igk_error *err, uint64_t offset, const char *fmt, ...)
    IGK_PRINTF(3, 4);
static int fixed_fail(struct igk_error *err, uint64_t offset, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_offset(err, offset);
    return IGK_E_INVALID;
}

/* CRC-32 over the fixed header with the checksum zeroed and the TLVs (section 2.2). */
uint32_t igk_igvm_crc32(const uint8_t *fixed, uint32_t fixed_size, const uint8_t *vh,
                        uint32_t vh_size)
{
    uint8_t copy[IGK_FIXED_HEADER_V2_SIZE];
    uLong crc = crc32(0L, Z_NULL, 0);

    memcpy(copy, fixed, fixed_size);
    igk_put_le32(copy + FH_CHECKSUM, 0);
    crc = crc32(crc, copy, fixed_size);
    /* zlib takes uInt lengths; the section is at most 4 GiB - 1 bytes. */
    crc = crc32(crc, vh, (uInt)vh_size);
    return (uint32_t)crc;
}

/* Section 1.4, in the crate's order. */
static int read_fixed_header(struct igk_igvm *igvm, const uint8_t *buf, size_t len,
                             struct igk_error *err)
{
    uint32_t magic, version, var_off, var_size, total, checksum, fixed_size, end, crc;

    if (len < IGK_FIXED_HEADER_V1_SIZE)
        return fixed_fail(err, 0, "file too short: %zu bytes, an IGVM fixed header needs %u",
                          len, IGK_FIXED_HEADER_V1_SIZE);
    magic = igk_le32(buf + FH_MAGIC);
    if (magic != IGK_IGVM_MAGIC)
        return fixed_fail(err, FH_MAGIC, "bad magic 0x%08X, expected 0x%08X (\"IGVM\")", magic,
                          IGK_IGVM_MAGIC);
    version = igk_le32(buf + FH_VERSION);
    if (version == 1) {
        fixed_size = IGK_FIXED_HEADER_V1_SIZE;
        igvm->arch = IGK_ARCH_X64;
    } else if (version == 2) {
        uint32_t arch, page_size;
        fixed_size = IGK_FIXED_HEADER_V2_SIZE;
        if (len < IGK_FIXED_HEADER_V2_SIZE)
            return fixed_fail(err, 0, "file too short: %zu bytes, a version 2 fixed header needs %u",
                              len, IGK_FIXED_HEADER_V2_SIZE);
        arch = igk_le32(buf + FH_ARCH);
        if (arch != IGK_ARCH_X64 && arch != IGK_ARCH_AARCH64)
            return fixed_fail(err, FH_ARCH, "unknown architecture %u (0 = x64, 1 = aarch64)", arch);
        page_size = igk_le32(buf + FH_PAGE_SIZE);
        if (page_size != IGK_PAGE_SIZE)
            return fixed_fail(err, FH_PAGE_SIZE, "unsupported page size %u (must be 4096)",
                              page_size);
        igvm->arch = arch;
    } else {
        return fixed_fail(err, FH_VERSION, "unsupported format version %u (must be 1 or 2)",
                          version);
    }
    igvm->format_version = version;
    igvm->page_size = IGK_PAGE_SIZE;

    total = igk_le32(buf + FH_TOTAL_SIZE);
    if (total != len)
        return fixed_fail(err, FH_TOTAL_SIZE,
                          "total_file_size 0x%X does not match the file size 0x%zX", total, len);
    var_off = igk_le32(buf + FH_VAR_OFFSET);
    if (var_off >= len)
        return fixed_fail(err, FH_VAR_OFFSET,
                          "variable header offset 0x%X is not inside the file (size 0x%zX)",
                          var_off, len);
    var_size = igk_le32(buf + FH_VAR_SIZE);
    /* The crate's 32-bit add wraps and then panics: a plain error here. */
    if (__builtin_add_overflow(var_off, var_size, &end))
        return fixed_fail(err, FH_VAR_SIZE,
                          "variable header offset 0x%X + size 0x%X overflows 32 bits", var_off,
                          var_size);
    if (end > len)
        return fixed_fail(err, FH_VAR_SIZE,
                          "variable header section [0x%X, 0x%X) runs past the end of the file "
                          "(size 0x%zX)",
                          var_off, end, len);
    if (end == len)
        return fixed_fail(err, FH_VAR_SIZE,
                          "the file data section is empty (variable headers end at the end of "
                          "the file, 0x%X); the reference parser requires at least one byte of "
                          "file data",
                          end);
    checksum = igk_le32(buf + FH_CHECKSUM);
    crc = igk_igvm_crc32(buf, fixed_size, buf + var_off, var_size);
    if (crc != checksum)
        return fixed_fail(err, FH_CHECKSUM, "checksum mismatch: header says 0x%08X, computed 0x%08X",
                          checksum, crc);
    igvm->variable_header_offset = var_off;
    igvm->variable_header_size = var_size;
    igvm->data_section_offset = end;
    igvm->checksum = checksum;
    return 0;
}

/*
 * Resolves n bytes of file data at an absolute file offset (section 6.1):
 * they must lie wholly in the data section.
 */
static int resolve_data(struct igk_check *c, const struct igk_igvm *igvm, size_t index,
                        const struct igk_header *h, uint32_t file_offset, uint64_t n,
                        const char *what)
{
    uint64_t end;

    if (file_offset < igvm->data_section_offset || !igk_add_u64(file_offset, n, &end) ||
        end > igvm->file_size)
        return igk_check_fail(c, index, h->type, h->file_offset,
                              "%s at file offset 0x%X (0x%llX bytes) is outside the file data "
                              "section [0x%X, 0x%llX)",
                              what, file_offset, (unsigned long long)n,
                              igvm->data_section_offset, (unsigned long long)igvm->file_size);
    return 0;
}

/* Sets h->data / data_size for the headers that reference file data. */
static int read_header_data(struct igk_check *c, struct igk_igvm *igvm, size_t index,
                            struct igk_header *h)
{
    const uint8_t *file = igvm->file;
    uint32_t off;
    uint64_t n;
    int r;

    switch (h->type) {
    case IGK_VHT_PAGE_DATA: /* rule 13: a whole page when file_offset != 0 */
        off = h->u.page_data.file_offset;
        if (!off)
            return 0;
        n = IGK_PAGE_SIZE;
        r = resolve_data(c, igvm, index, h, off, n, "page data");
        break;
    case IGK_VHT_PARAMETER_AREA: /* rule 14: initial data in full */
        off = h->u.parameter_area.file_offset;
        if (!off)
            return 0;
        n = h->u.parameter_area.number_of_bytes;
        r = resolve_data(c, igvm, index, h, off, n, "parameter area initial data");
        break;
    case IGK_VHT_VP_CONTEXT: { /* rule 17: format decided by the platform */
        int platform = igk_check_vp_platform(c, h->u.vp_context.compatibility_mask);
        off = h->u.vp_context.file_offset;
        if (platform < 0 || platform == IGK_PLATFORM_TDX)
            return 0; /* igk_check_header() reports it */
        if (platform == IGK_PLATFORM_VSM) {
            r = resolve_data(c, igvm, index, h, off, 4, "VBS register count");
            if (r < 0)
                return r;
            n = 4 + (uint64_t)igk_le32(file + off) * 32u;
        } else {
            n = IGK_PAGE_SIZE;
        }
        r = resolve_data(c, igvm, index, h, off, n, "VP context");
        break;
    }
    default:
        return 0;
    }
    if (r < 0)
        return r;
    h->data = file + off;
    h->data_size = (uint32_t)n; /* <= file size < 4 GiB */
    return 0;
}

/* Walks the TLVs in file order (rules 4-6 and the per-header rules). */
static int read_variable_headers(struct igk_igvm *igvm, struct igk_check *c,
                                 const struct igk_read_limits *limits, struct igk_error *err)
{
    const uint8_t *buf = igvm->file;
    uint64_t pos = igvm->variable_header_offset;
    uint64_t end = igvm->data_section_offset;
    size_t index = 0;
    int r;

    while (pos < end) {
        struct igk_header h;
        uint32_t type, length, size;
        uint64_t next;

        if (end - pos < IGK_TLV_PREFIX_SIZE)
            return fixed_fail(err, pos,
                              "truncated header: %llu bytes left in the variable header "
                              "section, a header needs at least 8",
                              (unsigned long long)(end - pos));
        if (index >= limits->max_headers)
            return fixed_fail(err, pos, "more than %zu headers (limit)", limits->max_headers);
        type = igk_le32(buf + pos);
        length = igk_le32(buf + pos + 4);
        r = igk_check_type(c, index, type, pos);
        if (r < 0)
            return r;
        size = igk_header_struct_size(type);
        if (length != size)
            return igk_check_fail(c, index, type, pos,
                                  "header length %u does not match the %u-byte %s structure",
                                  length, size, igk_header_type_name(type));
        if (end - pos - IGK_TLV_PREFIX_SIZE < size)
            return igk_check_fail(c, index, type, pos,
                                  "%u-byte header body runs past the end of the variable header "
                                  "section (0x%llX)",
                                  size, (unsigned long long)end);
        next = pos + igk_tlv_stride(size);
        /* Rule 6: the crate insists the padding after VP_CONTEXT is there. */
        if (next > end)
            return igk_check_fail(c, index, type, pos,
                                  "%s is missing its %llu padding bytes at the end of the "
                                  "variable header section",
                                  igk_header_type_name(type),
                                  (unsigned long long)(next - pos - IGK_TLV_PREFIX_SIZE - size));
        memset(&h, 0, sizeof(h));
        r = igk_decode_body(igvm, type, buf + pos + IGK_TLV_PREFIX_SIZE, &h, err);
        if (r < 0)
            return r;
        h.file_offset = pos;
        r = read_header_data(c, igvm, index, &h);
        if (r == 0)
            r = igk_check_header(c, index, &h);
        /* A lean model leaves PAGE_DATA in the file: no cross-header rule
         * looks at it (check.c), and cursor.c decodes it again. */
        if (r == 0 && !(igvm->priv->lean && type == IGK_VHT_PAGE_DATA))
            r = igk_igvm_append_numbered(igvm, &h, index, err);
        if (r < 0)
            return r;
        index++;
        pos = next;
    }
    igvm->priv->n_file_headers = index;
    return 0;
}

static int read_buffer(const uint8_t *buf, size_t len, const struct igk_read_limits *limits,
                       bool lean, struct igk_igvm **ret_igvm, struct igk_error *err)
{
    struct igk_read_limits defaults;
    struct igk_igvm *igvm;
    struct igk_check c;
    int r;

    *ret_igvm = NULL;
    igk_error_clear(err);
    if (!limits) {
        igk_read_limits_default(&defaults);
        limits = &defaults;
    }
    if (len > limits->max_file_size)
        return igk_error_set(err, IGK_E_INVALID, "file of %zu bytes exceeds the limit of %llu",
                             len, (unsigned long long)limits->max_file_size);
    igvm = igk_igvm_new(1, IGK_ARCH_X64);
    if (!igvm)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    igvm->file = buf;
    igvm->file_size = len;
    igvm->priv->lean = lean;
    r = read_fixed_header(igvm, buf, len, err);
    if (r == 0) {
        igk_check_init(&c, igvm->arch, true, err);
        r = read_variable_headers(igvm, &c, limits, err);
    }
    if (r == 0)
        r = igk_check_cross(&c, igvm);
    if (r < 0) {
        igk_igvm_free(igvm);
        return r;
    }
    *ret_igvm = igvm;
    return 0;
}

IGK_PUBLIC int igk_igvm_read_buffer(const uint8_t *buf, size_t len,
                                    const struct igk_read_limits *limits,
                                    struct igk_igvm **ret_igvm, struct igk_error *err)
{
    return read_buffer(buf, len, limits, false, ret_igvm, err);
}

IGK_PUBLIC int igk_igvm_read_buffer_lean(const uint8_t *buf, size_t len,
                                         const struct igk_read_limits *limits,
                                         struct igk_igvm **ret_igvm, struct igk_error *err)
{
    return read_buffer(buf, len, limits, true, ret_igvm, err);
}

static int read_file(const char *path, const struct igk_read_limits *limits, bool lean,
                     struct igk_igvm **ret_igvm, struct igk_error *err)
{
    struct igk_mapped_file map;
    int r;

    *ret_igvm = NULL;
    igk_error_clear(err);
    r = igk_map_file(path, &map, err);
    if (r < 0) {
        igk_error_set_path(err, path);
        return r;
    }
    r = read_buffer(map.data ? map.data : (const uint8_t *)"", map.size, limits, lean, ret_igvm,
                    err);
    if (r < 0) {
        igk_unmap_file(&map);
        igk_error_set_path(err, path);
        return r;
    }
    /* The model owns the mapping from now on (model-private.h). */
    (*ret_igvm)->priv->mapping = map;
    return 0;
}

IGK_PUBLIC int igk_igvm_read_file(const char *path, const struct igk_read_limits *limits,
                                  struct igk_igvm **ret_igvm, struct igk_error *err)
{
    return read_file(path, limits, false, ret_igvm, err);
}

IGK_PUBLIC int igk_igvm_read_file_lean(const char *path, const struct igk_read_limits *limits,
                                       struct igk_igvm **ret_igvm, struct igk_error *err)
{
    return read_file(path, limits, true, ret_igvm, err);
}
