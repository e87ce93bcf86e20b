/* SPDX-License-Identifier: MIT */
/*
 * IGVM writer: serializes a model exactly as the reference serializer lays
 * out a file (docs/igvm-format.md section 8), so that files it wrote come back
 * byte for byte after read -> write:
 *
 *   fixed header (24 bytes for v1, 32 for v2)
 *   variable headers in model order, each padded with zeros to 8 bytes
 *   file data right after the last header, blobs in the order of the headers
 *   that reference them; PAGE_DATA blobs are whole pages (zero padded) and
 *   an identical 4 KiB blob already written is referenced again
 *   CRC-32 (section 2.2) computed last
 *
 * One deliberate difference: the reference serializer emits an empty data
 * section when no header carries data, which its own parser then rejects
 * (section 2.3 step 5, the no_file_data_v1 sample).  We append a single zero
 * byte instead: the smallest data section the parser accepts, referenced by
 * nothing, so it changes no measurement.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "le.h"
#include "model-private.h"
#include "util.h"

/* Identical-page lookup: content hash -> file offset of the first copy. */
struct page_slot {
    uint64_t hash;
    uint32_t offset; /* 0: empty slot (no blob can start at 0) */
};

struct page_table {
    struct page_slot *slots;
    size_t cap;
};

/* A fast 64-bit content hash of one page; collisions are resolved by memcmp. */
static uint64_t page_hash(const uint8_t *p)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;

    for (size_t k = 0; k < IGK_PAGE_SIZE; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8); /* host order is fine: the hash is never stored */
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    return h;
}

/* Returns the offset of an identical page already in out, or 0. */
static uint32_t page_lookup(const struct page_table *t, const uint8_t *out, const uint8_t *page,
                            uint64_t hash, size_t *ret_slot)
{
    size_t k = (size_t)hash & (t->cap - 1);

    while (t->slots[k].offset) {
        if (t->slots[k].hash == hash && !memcmp(out + t->slots[k].offset, page, IGK_PAGE_SIZE))
            return t->slots[k].offset;
        k = (k + 1) & (t->cap - 1);
    }
    *ret_slot = k;
    return 0;
}

/* The bytes a header contributes to the data section, before dedup. */
static int blob_of(const struct igk_header *h, const uint8_t **data, uint32_t *size,
                   bool *is_page)
{
    *data = NULL;
    *size = 0;
    *is_page = false;
    switch (h->type) {
    case IGK_VHT_PAGE_DATA:
        if (!h->data)
            return 0;
        *data = h->data;
        *size = IGK_PAGE_SIZE; /* padded by the caller */
        *is_page = true;
        return 0;
    case IGK_VHT_PARAMETER_AREA:
    case IGK_VHT_VP_CONTEXT:
        if (!h->data)
            return 0;
        *data = h->data;
        *size = h->data_size;
        *is_page = h->data_size == IGK_PAGE_SIZE;
        return 0;
    default:
        return 0;
    }
}

IGK_PUBLIC int igk_igvm_write_buffer(const struct igk_igvm *igvm, uint8_t **ret_buf,
                                     size_t *ret_len, struct igk_error *err)
{
    uint32_t fixed_size = igvm->format_version == 2 ? IGK_FIXED_HEADER_V2_SIZE
                                                    : IGK_FIXED_HEADER_V1_SIZE;
    uint64_t headers_size = 0, data_bound = 0, total, pos, hpos;
    struct page_table pages = {NULL, 16};
    size_t n_pages = 0;
    uint8_t *out, page[IGK_PAGE_SIZE];
    int r;

    *ret_buf = NULL;
    *ret_len = 0;
    r = igk_igvm_require_full(igvm, "writing a file", err);
    if (r == 0)
        r = igk_igvm_validate(igvm, err);
    if (r < 0)
        return r;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        const uint8_t *d;
        uint32_t sz;
        bool is_page;
        headers_size += igk_tlv_stride(igk_header_struct_size(h->type));
        blob_of(h, &d, &sz, &is_page);
        data_bound += sz;
        n_pages += is_page;
    }
    /* At least one byte of file data (see the top of this file). */
    total = fixed_size + headers_size + (data_bound ? data_bound : 1);
    if (total > UINT32_MAX)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "the file would be %llu bytes; IGVM files are limited to 4 GiB",
                             (unsigned long long)total);
    while (pages.cap < 2 * n_pages + 16)
        pages.cap *= 2;
    pages.slots = calloc(pages.cap, sizeof(*pages.slots));
    out = calloc(1, (size_t)total); /* an upper bound: dedup only shrinks it */
    if (!pages.slots || !out) {
        free(pages.slots);
        free(out);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }

    hpos = fixed_size;
    pos = fixed_size + headers_size;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t size = igk_header_struct_size(h->type), offset = 0, sz;
        const uint8_t *d;
        bool is_page;

        blob_of(h, &d, &sz, &is_page);
        if (d) {
            if (h->type == IGK_VHT_PAGE_DATA && h->data_size < IGK_PAGE_SIZE) {
                memset(page, 0, sizeof(page));
                memcpy(page, h->data, h->data_size);
                d = page;
            }
            if (is_page) {
                uint64_t hash = page_hash(d);
                size_t slot = 0;
                offset = page_lookup(&pages, out, d, hash, &slot);
                if (!offset) {
                    pages.slots[slot].hash = hash;
                    pages.slots[slot].offset = (uint32_t)pos;
                }
            }
            if (!offset) {
                offset = (uint32_t)pos;
                memcpy(out + pos, d, sz);
                pos += sz;
            }
        }
        igk_put_le32(out + hpos, h->type);
        igk_put_le32(out + hpos + 4, size);
        igk_encode_body(h, offset, out + hpos + IGK_TLV_PREFIX_SIZE);
        hpos += igk_tlv_stride(size);
    }
    free(pages.slots);
    if (pos == fixed_size + headers_size)
        pos++; /* the one zero byte of an otherwise empty data section */

    igk_put_le32(out + 0, IGK_IGVM_MAGIC);
    igk_put_le32(out + 4, igvm->format_version);
    igk_put_le32(out + 8, fixed_size);
    igk_put_le32(out + 12, (uint32_t)headers_size);
    igk_put_le32(out + 16, (uint32_t)pos);
    if (igvm->format_version == 2) {
        igk_put_le32(out + 24, igvm->arch);
        igk_put_le32(out + 28, IGK_PAGE_SIZE);
    }
    igk_put_le32(out + 20, igk_igvm_crc32(out, fixed_size, out + fixed_size,
                                          (uint32_t)headers_size));
    if (pos < total) {
        uint8_t *shrunk = realloc(out, (size_t)pos);
        if (shrunk)
            out = shrunk;
    }
    *ret_buf = out;
    *ret_len = (size_t)pos;
    return 0;
}

/* igk_igvm_write_file() streams to a file: write-file.c. */
