/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF Authenticode digest over untrusted bytes (see pe.h for the rules).
 * Layout facts from the PE/COFF specification: the DOS header keeps the PE
 * header offset (e_lfanew) at 0x3C; "PE\0\0" is followed by the 20-byte COFF
 * file header, then the optional header (PE32 magic 0x10B, PE32+ 0x20B) with
 * CheckSum at +64, SizeOfHeaders at +60, NumberOfRvaAndSizes at +92/+108 and
 * the data directories at +96/+112; the section table (40 bytes a section)
 * follows the optional header.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "le.h"
#include "pe.h"
#include "util.h"

#define DOS_LFANEW_OFFSET 0x3c
#define COFF_HEADER_SIZE 20
#define SECTION_HEADER_SIZE 40
#define PE32_MAGIC 0x10b
#define PE32PLUS_MAGIC 0x20b
#define OPT_SIZE_OF_HEADERS 60
#define OPT_CHECKSUM 64
#define DATA_DIRECTORY_SIZE 8
#define DIRECTORY_ENTRY_SECURITY 4

struct pe_section {
    uint32_t raw_offset;
    uint32_t raw_size;
    unsigned index; /* table position, to keep the sort deterministic on ties */
};

struct pe_layout {
    size_t checksum_offset;
    bool has_cert_dir;
    size_t cert_dir_offset;
    uint32_t cert_size;
    uint32_t size_of_headers;
    size_t section_table;
    unsigned n_sections;
};

/* Is [off, off + n) inside a buffer of len bytes? */
static bool in_bounds(uint64_t off, uint64_t n, size_t len)
{
    uint64_t end;
    return igk_add_u64(off, n, &end) && end <= len;
}

static int parse_layout(const uint8_t *img, size_t len, struct pe_layout *pe,
                        struct igk_error *err)
{
    if (!in_bounds(0, DOS_LFANEW_OFFSET + 4, len) || img[0] != 'M' || img[1] != 'Z')
        return igk_error_set(err, IGK_E_INVALID, "not a PE/COFF image: no MZ header");
    uint64_t pe_off = igk_le32(img + DOS_LFANEW_OFFSET);
    if (!in_bounds(pe_off, 4 + COFF_HEADER_SIZE, len))
        return igk_error_set(err, IGK_E_INVALID,
                             "PE header offset %#llx is past the end of the image",
                             (unsigned long long)pe_off);
    if (img[pe_off] != 'P' || img[pe_off + 1] != 'E' || img[pe_off + 2] || img[pe_off + 3])
        return igk_error_set(err, IGK_E_INVALID, "not a PE/COFF image: no PE signature");

    uint64_t coff = pe_off + 4;
    unsigned n_sections = igk_le16(img + coff + 2);
    unsigned opt_size = igk_le16(img + coff + 16);
    uint64_t opt = coff + COFF_HEADER_SIZE;
    if (!in_bounds(opt, opt_size, len) || opt_size < 2)
        return igk_error_set(err, IGK_E_INVALID, "PE optional header is truncated");

    unsigned magic = igk_le16(img + opt);
    unsigned n_rva_offset, dirs_offset;
    if (magic == PE32_MAGIC) {
        n_rva_offset = 92;
        dirs_offset = 96;
    } else if (magic == PE32PLUS_MAGIC) {
        n_rva_offset = 108;
        dirs_offset = 112;
    } else {
        return igk_error_set(err, IGK_E_INVALID, "unknown PE optional header magic %#x", magic);
    }
    if (opt_size < dirs_offset)
        return igk_error_set(err, IGK_E_INVALID, "PE optional header is too small (%u bytes)",
                             opt_size);

    uint32_t n_rva = igk_le32(img + opt + n_rva_offset);
    pe->checksum_offset = (size_t)(opt + OPT_CHECKSUM);
    pe->size_of_headers = igk_le32(img + opt + OPT_SIZE_OF_HEADERS);
    /* The security directory exists only if the header declares and holds it. */
    uint64_t cert_dir = opt + dirs_offset + DIRECTORY_ENTRY_SECURITY * DATA_DIRECTORY_SIZE;
    pe->has_cert_dir = n_rva > DIRECTORY_ENTRY_SECURITY &&
                       cert_dir + DATA_DIRECTORY_SIZE <= opt + opt_size;
    pe->cert_dir_offset = (size_t)cert_dir;
    pe->cert_size = pe->has_cert_dir ? igk_le32(img + cert_dir + 4) : 0;

    uint64_t headers_end = pe->has_cert_dir ? cert_dir + DATA_DIRECTORY_SIZE
                                            : pe->checksum_offset + 4;
    if (pe->size_of_headers < headers_end || pe->size_of_headers > len)
        return igk_error_set(err, IGK_E_INVALID,
                             "PE SizeOfHeaders %#x does not cover the headers or exceeds the "
                             "image size %#zx",
                             pe->size_of_headers, len);

    uint64_t table = opt + opt_size;
    if (!in_bounds(table, (uint64_t)n_sections * SECTION_HEADER_SIZE, len))
        return igk_error_set(err, IGK_E_INVALID, "PE section table (%u sections) is truncated",
                             n_sections);
    pe->section_table = (size_t)table;
    pe->n_sections = n_sections;
    return 0;
}

static int compare_sections(const void *a, const void *b)
{
    const struct pe_section *x = a, *y = b;

    if (x->raw_offset != y->raw_offset)
        return x->raw_offset < y->raw_offset ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

static bool update(EVP_MD_CTX *ctx, const uint8_t *img, size_t from, size_t to)
{
    return to <= from || EVP_DigestUpdate(ctx, img + from, to - from) == 1;
}

int igk_pe_authenticode(const uint8_t *image, size_t len, enum igk_pe_hash hash, uint8_t *out,
                        struct igk_error *err)
{
    struct pe_layout pe = {0};
    struct pe_section *sections = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned n = 0;
    int r;

    if (!image)
        len = 0;
    r = parse_layout(image, len, &pe, err);
    if (r < 0)
        return r;

    sections = calloc(pe.n_sections ? pe.n_sections : 1, sizeof(*sections));
    if (!sections)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    uint64_t hashed = pe.size_of_headers;
    for (unsigned i = 0; i < pe.n_sections; i++) {
        const uint8_t *sh = image + pe.section_table + (size_t)i * SECTION_HEADER_SIZE;
        uint32_t size = igk_le32(sh + 16), offset = igk_le32(sh + 20);
        if (size == 0)
            continue; /* nothing of it is in the file */
        if (!in_bounds(offset, size, len)) {
            r = igk_error_set(err, IGK_E_INVALID,
                              "PE section %u raw data (offset %#x, size %#x) is past the end "
                              "of the image",
                              i, offset, size);
            goto out;
        }
        sections[n++] = (struct pe_section){offset, size, i};
        hashed += size; /* at most 65535 * 4 GiB: no overflow in 64 bits */
    }
    qsort(sections, n, sizeof(*sections), compare_sections);

    /* Trailing data: what follows the hashed bytes, less the signature. */
    size_t trailing_end = 0;
    if (len > hashed) {
        if (len - hashed < pe.cert_size) {
            r = igk_error_set(err, IGK_E_INVALID,
                              "PE certificate table (%#x bytes) is larger than the data after "
                              "the sections",
                              pe.cert_size);
            goto out;
        }
        trailing_end = len - pe.cert_size;
    }

    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, hash == IGK_PE_SHA256 ? EVP_sha256() : EVP_sha384(),
                                  NULL) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot start the Authenticode digest");
        goto out;
    }
    bool good = update(ctx, image, 0, pe.checksum_offset);
    if (pe.has_cert_dir) {
        good = good && update(ctx, image, pe.checksum_offset + 4, pe.cert_dir_offset) &&
               update(ctx, image, pe.cert_dir_offset + DATA_DIRECTORY_SIZE, pe.size_of_headers);
    } else {
        good = good && update(ctx, image, pe.checksum_offset + 4, pe.size_of_headers);
    }
    for (unsigned i = 0; i < n && good; i++)
        good = update(ctx, image, sections[i].raw_offset,
                      (size_t)sections[i].raw_offset + sections[i].raw_size);
    if (trailing_end)
        good = good && update(ctx, image, (size_t)hashed, trailing_end);
    if (!good || EVP_DigestFinal_ex(ctx, out, NULL) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "cannot compute the Authenticode digest");
        goto out;
    }
    r = 0;
out:
    EVP_MD_CTX_free(ctx);
    free(sections);
    return r;
}
