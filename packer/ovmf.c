/* SPDX-License-Identifier: MIT */
/*
 * OVMF footer GUID table, SEV metadata and TDVF metadata parser
 * (docs/firmware.md sections 1, 2 and 4).  Every length
 * and offset read from the image is checked before use; the image is never
 * read outside [0, size).
 */
#include <string.h>

#include "le.h"
#include "ovmf.h"
#include "util.h"

static const uint8_t guid_footer[16] =
    IGK_EFI_GUID(0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
static const uint8_t guid_reset_block[16] =
    IGK_EFI_GUID(0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e);
static const uint8_t guid_sev_metadata[16] =
    IGK_EFI_GUID(0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc);
static const uint8_t guid_hash_table[16] =
    IGK_EFI_GUID(0x7255371f, 0x3a3b, 0x4b04, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54);
static const uint8_t guid_secret_block[16] =
    IGK_EFI_GUID(0x4c2eb361, 0x7d9b, 0x4cc3, 0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94);
static const uint8_t guid_svsm_info[16] =
    IGK_EFI_GUID(0xa789a612, 0x0597, 0x4c4b, 0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd);
static const uint8_t guid_tdx_metadata[16] =
    IGK_EFI_GUID(0xe47a6535, 0x984a, 0x4798, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2);

#define SEV_HEADER_SIZE 16u
#define SEV_ITEM_SIZE 12u
#define TDVF_HEADER_SIZE 16u
#define TDVF_SECTION_SIZE 32u

const char *igk_sev_section_name(uint32_t type)
{
    switch (type) {
    case IGK_SEV_SECTION_SNP_SEC_MEM:
        return "SNP_SEC_MEM";
    case IGK_SEV_SECTION_SNP_SECRETS:
        return "SNP_SECRETS";
    case IGK_SEV_SECTION_CPUID:
        return "CPUID";
    case IGK_SEV_SECTION_SVSM_CAA:
        return "SVSM_CAA";
    case IGK_SEV_SECTION_SNP_KERNEL_HASHES:
        return "SNP_KERNEL_HASHES";
    default:
        return "unknown";
    }
}

const char *igk_tdvf_section_name(uint32_t type)
{
    static const char *const names[] = {"BFV",     "CFV",          "TD_HOB",  "TempMem", "PermMem",
                                        "Payload", "PayloadParam", "TD_INFO", "TD_PARAMS"};

    return type < IGK_ARRAY_SIZE(names) ? names[type] : "unknown";
}

const struct igk_sev_section *igk_ovmf_find_sev_section(const struct igk_ovmf_info *info,
                                                        uint32_t type)
{
    for (size_t i = 0; i < info->n_sev; i++)
        if (info->sev[i].type == type)
            return &info->sev[i];
    return NULL;
}

static int fail(struct igk_error *err, const char *path, uint64_t offset, const char *fmt, ...)
    IGK_PRINTF(4, 5);

static int fail(struct igk_error *err, const char *path, uint64_t offset, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    igk_error_setv(err, IGK_E_INVALID, fmt, ap);
    va_end(ap);
    igk_error_set_path(err, path);
    igk_error_set_offset(err, offset);
    return IGK_E_INVALID;
}

/* Resolves "u32 offset counted back from the end of the image" to a file offset. */
static int from_end(const uint8_t *payload, uint64_t entry_offset, uint64_t size,
                    uint64_t min_len, const char *what, const char *path, uint64_t *ret,
                    struct igk_error *err)
{
    uint32_t back = igk_le32(payload);

    if (back > size || back < min_len)
        return fail(err, path, entry_offset,
                    "%s offset 0x%x (counted from the end) does not fit in the %llu-byte image",
                    what, back, (unsigned long long)size);
    *ret = size - back;
    return 0;
}

static int parse_sev_metadata(const uint8_t *image, uint64_t size, uint64_t off, const char *path,
                              struct igk_ovmf_info *info, struct igk_error *err)
{
    uint32_t length, version, count;
    uint64_t need;

    if (memcmp(image + off, "ASEV", 4) != 0)
        return fail(err, path, off, "SEV metadata: bad signature (expected \"ASEV\")");
    length = igk_le32(image + off + 4);
    version = igk_le32(image + off + 8);
    count = igk_le32(image + off + 12);
    if (version != 1)
        return fail(err, path, off + 8, "SEV metadata: unsupported version %u (expected 1)",
                    version);
    if (count > IGK_OVMF_MAX_SEV_SECTIONS)
        return fail(err, path, off + 12, "SEV metadata: %u sections (at most %u supported)",
                    count, IGK_OVMF_MAX_SEV_SECTIONS);
    need = SEV_HEADER_SIZE + (uint64_t)count * SEV_ITEM_SIZE;
    if (length < need)
        return fail(err, path, off + 4,
                    "SEV metadata: length %u is too small for %u sections (%llu bytes)", length,
                    count, (unsigned long long)need);
    if (need > size - off)
        return fail(err, path, off,
                    "SEV metadata: %u sections run past the end of the %llu-byte image", count,
                    (unsigned long long)size);
    for (uint32_t i = 0; i < count; i++) {
        uint64_t item = off + SEV_HEADER_SIZE + (uint64_t)i * SEV_ITEM_SIZE;
        struct igk_sev_section *s = &info->sev[i];

        s->gpa = igk_le32(image + item);
        s->size = igk_le32(image + item + 4);
        s->type = igk_le32(image + item + 8);
        s->file_offset = item;
        if (strcmp(igk_sev_section_name(s->type), "unknown") == 0)
            return fail(err, path, item + 8, "SEV metadata section %u: unknown type 0x%x", i,
                        s->type);
    }
    info->n_sev = count;
    info->has_sev_metadata = true;
    info->sev_metadata_offset = off;
    return 0;
}

static int parse_tdvf_metadata(const uint8_t *image, uint64_t size, uint64_t off,
                               const char *path, struct igk_ovmf_info *info,
                               struct igk_error *err)
{
    uint32_t length, version, count;
    uint64_t need;

    if (memcmp(image + off, "TDVF", 4) != 0)
        return fail(err, path, off, "TDVF metadata: bad signature (expected \"TDVF\")");
    length = igk_le32(image + off + 4);
    version = igk_le32(image + off + 8);
    count = igk_le32(image + off + 12);
    if (version != 1)
        return fail(err, path, off + 8, "TDVF metadata: unsupported version %u (expected 1)",
                    version);
    if (count > IGK_OVMF_MAX_TDVF_SECTIONS)
        return fail(err, path, off + 12, "TDVF metadata: %u sections (at most %u supported)",
                    count, IGK_OVMF_MAX_TDVF_SECTIONS);
    need = TDVF_HEADER_SIZE + (uint64_t)count * TDVF_SECTION_SIZE;
    if (length != need)
        return fail(err, path, off + 4,
                    "TDVF metadata: length %u does not match %u sections (expected %llu)", length,
                    count, (unsigned long long)need);
    if (need > size - off)
        return fail(err, path, off,
                    "TDVF metadata: %u sections run past the end of the %llu-byte image", count,
                    (unsigned long long)size);
    for (uint32_t i = 0; i < count; i++) {
        uint64_t e = off + TDVF_HEADER_SIZE + (uint64_t)i * TDVF_SECTION_SIZE;
        struct igk_tdvf_section *s = &info->tdvf[i];

        s->data_offset = igk_le32(image + e);
        s->raw_size = igk_le32(image + e + 4);
        s->gpa = igk_le64(image + e + 8);
        s->memory_size = igk_le64(image + e + 16);
        s->type = igk_le32(image + e + 24);
        s->attributes = igk_le32(image + e + 28);
        s->file_offset = e;
    }
    info->n_tdvf = count;
    info->has_tdvf = true;
    info->tdvf_offset = off;
    return 0;
}

/* Payload sizes each known entry needs, checked before reading it. */
static int need_payload(uint64_t have, uint64_t want, const char *what, uint64_t entry_offset,
                        const char *path, struct igk_error *err)
{
    if (have < want)
        return fail(err, path, entry_offset,
                    "OVMF table: %s entry has %llu payload bytes (needs %llu)", what,
                    (unsigned long long)have, (unsigned long long)want);
    return 0;
}

static int duplicate(bool seen, const char *what, uint64_t entry_offset, const char *path,
                     struct igk_error *err)
{
    if (seen)
        return fail(err, path, entry_offset, "OVMF table: duplicate %s entry", what);
    return 0;
}

int igk_ovmf_parse(const uint8_t *image, size_t size, const char *path,
                   struct igk_ovmf_info *ret, struct igk_error *err)
{
    struct igk_ovmf_info *info = ret;
    uint64_t footer, table_size, start, end;
    uint64_t sev_off = 0, tdx_off = 0;
    bool want_sev = false, want_tdx = false;
    int r;

    memset(info, 0, sizeof(*info));
    info->image_size = size;

    /* docs/firmware.md 1: the footer entry ends 32 bytes before the end. */
    if (size < IGK_OVMF_FOOTER_GAP + IGK_OVMF_ENTRY_HEADER)
        return fail(err, path, IGK_NO_OFFSET,
                    "no OVMF footer table: the %zu-byte image is too small to hold one", size);
    footer = size - IGK_OVMF_FOOTER_GAP - IGK_OVMF_ENTRY_HEADER;
    if (memcmp(image + footer + 2, guid_footer, 16) != 0)
        return fail(err, path, footer + 2,
                    "no OVMF footer table (GUID 96b582de-1fb2-45f7-baea-a366c55a082d expected "
                    "32 bytes before the end of the image)");
    table_size = igk_le16(image + footer);
    if (table_size < IGK_OVMF_ENTRY_HEADER)
        return fail(err, path, footer,
                    "OVMF footer table: length %llu is smaller than its own 18-byte entry",
                    (unsigned long long)table_size);
    /* The table length includes the footer entry itself. */
    if (table_size - IGK_OVMF_ENTRY_HEADER > footer)
        return fail(err, path, footer,
                    "OVMF footer table: length %llu runs past the start of the image",
                    (unsigned long long)table_size);
    start = footer - (table_size - IGK_OVMF_ENTRY_HEADER);
    info->table_offset = start;
    info->table_size = table_size;

    /* Entries are walked downwards: payload, u16 length, GUID. */
    end = footer;
    while (end - start >= IGK_OVMF_ENTRY_HEADER) {
        uint64_t hdr = end - IGK_OVMF_ENTRY_HEADER;
        uint64_t len = igk_le16(image + hdr);
        const uint8_t *guid = image + hdr + 2;
        uint64_t payload, plen;

        if (len < IGK_OVMF_ENTRY_HEADER)
            return fail(err, path, hdr,
                        "OVMF table entry: length %llu is smaller than its 18-byte header",
                        (unsigned long long)len);
        if (len > end - start)
            return fail(err, path, hdr,
                        "OVMF table entry: length %llu runs past the start of the table at "
                        "0x%llx",
                        (unsigned long long)len, (unsigned long long)start);
        payload = end - len;
        plen = len - IGK_OVMF_ENTRY_HEADER;

        if (memcmp(guid, guid_reset_block, 16) == 0) {
            if ((r = duplicate(info->has_reset_block, "SEV-ES reset block", hdr, path, err)) ||
                (r = need_payload(plen, 4, "SEV-ES reset block", hdr, path, err)))
                return r;
            info->has_reset_block = true;
            info->reset_eip = igk_le32(image + payload);
        } else if (memcmp(guid, guid_sev_metadata, 16) == 0) {
            if ((r = duplicate(want_sev, "SEV metadata", hdr, path, err)) ||
                (r = need_payload(plen, 4, "SEV metadata", hdr, path, err)) ||
                (r = from_end(image + payload, hdr, size, SEV_HEADER_SIZE, "SEV metadata", path,
                              &sev_off, err)))
                return r;
            want_sev = true;
        } else if (memcmp(guid, guid_hash_table, 16) == 0) {
            if ((r = duplicate(info->has_hash_table, "SEV hash table", hdr, path, err)) ||
                (r = need_payload(plen, 8, "SEV hash table", hdr, path, err)))
                return r;
            info->has_hash_table = true;
            info->hash_table_gpa = igk_le32(image + payload);
            info->hash_table_size = igk_le32(image + payload + 4);
        } else if (memcmp(guid, guid_secret_block, 16) == 0) {
            if ((r = duplicate(info->has_secret_block, "SEV secret block", hdr, path, err)) ||
                (r = need_payload(plen, 8, "SEV secret block", hdr, path, err)))
                return r;
            info->has_secret_block = true;
            info->secret_gpa = igk_le32(image + payload);
            info->secret_size = igk_le32(image + payload + 4);
        } else if (memcmp(guid, guid_svsm_info, 16) == 0) {
            if ((r = duplicate(info->has_svsm_info, "SVSM info", hdr, path, err)) ||
                (r = need_payload(plen, 4, "SVSM info", hdr, path, err)))
                return r;
            info->has_svsm_info = true;
            info->svsm_entry_offset = igk_le32(image + payload);
        } else if (memcmp(guid, guid_tdx_metadata, 16) == 0) {
            if ((r = duplicate(want_tdx, "TDX metadata", hdr, path, err)) ||
                (r = need_payload(plen, 4, "TDX metadata", hdr, path, err)) ||
                (r = from_end(image + payload, hdr, size, TDVF_HEADER_SIZE, "TDVF metadata",
                              path, &tdx_off, err)))
                return r;
            want_tdx = true;
        }
        end = payload;
    }

    if (want_sev && (r = parse_sev_metadata(image, size, sev_off, path, info, err)) < 0)
        return r;
    if (want_tdx && (r = parse_tdvf_metadata(image, size, tdx_off, path, info, err)) < 0)
        return r;
    return 0;
}
