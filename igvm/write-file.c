/* SPDX-License-Identifier: MIT */
/*
 * Streaming IGVM writer: the same bytes as igk_igvm_write_buffer() (see
 * writer.c for the layout), written to a temporary file beside the output
 * in bounded memory and renamed into place.
 *
 * Two passes over the page data: the first assigns every blob its file
 * offset (identical 4 KiB pages are stored once, so offsets depend on the
 * contents), the second writes the fixed header, the headers and the data
 * in file order, optionally hashing the file as it goes.  Memory: 4 bytes
 * per header for the offsets, 16 bytes per page for the identical-page
 * table, and two 1 MiB read buffers.  Page data held in an input mapping
 * (held-input.h) is read with pread(), never through the mapping, so an
 * input that shrinks is an error rather than SIGBUS.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "file-output.h"
#include "held-input.h"
#include "le.h"
#include "util.h"

#define CHUNK (1u << 20)

/* A window of one held input, read with pread(). */
struct window {
    const struct igk_held_input *in;
    uint64_t start;
    size_t len;
    uint8_t *buf;
};

struct slot {
    uint64_t hash;
    uint32_t offset; /* 0: empty */
    uint32_t header;
};

struct stream {
    const struct igk_igvm *igvm;
    struct window primary, secondary;
    uint8_t pad[IGK_PAGE_SIZE]; /* a PAGE_DATA blob shorter than a page, padded */
    uint8_t *big;               /* a held blob larger than CHUNK */
    int fd;
    uint8_t *out;
    size_t out_len;
    uint64_t written, total;
    EVP_MD_CTX *sha256, *sha384;
    igk_progress_fn progress;
    void *user;
    struct igk_error *err;
};

/* Same as writer.c: a fast content hash; equal hashes are confirmed by memcmp. */
static uint64_t page_hash(const uint8_t *p)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;

    for (size_t k = 0; k < IGK_PAGE_SIZE; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    return h;
}

/* The blob a header puts in the data section (writer.c blob_of). */
static bool blob_of(const struct igk_header *h, const uint8_t **data, uint32_t *size,
                    bool *is_page)
{
    *data = NULL;
    *size = 0;
    *is_page = false;
    if (!h->data)
        return false;
    switch (h->type) {
    case IGK_VHT_PAGE_DATA:
        *data = h->data;
        *size = IGK_PAGE_SIZE;
        *is_page = true;
        return true;
    case IGK_VHT_PARAMETER_AREA:
    case IGK_VHT_VP_CONTEXT:
        *data = h->data;
        *size = h->data_size;
        *is_page = h->data_size == IGK_PAGE_SIZE;
        return true;
    default:
        return false;
    }
}

/* len bytes of a held input at p, through window w. */
static const uint8_t *window_read(struct stream *s, struct window *w,
                                  const struct igk_held_input *in, const uint8_t *p, size_t len)
{
    uint64_t off = (uint64_t)(p - in->file.data);
    size_t want, got = 0;
    uint8_t *dst;

    if (w->in == in && off >= w->start && off + len <= w->start + w->len)
        return w->buf + (off - w->start);
    want = len > CHUNK ? len : CHUNK;
    if (want > in->file.size - off)
        want = (size_t)(in->file.size - off);
    if (len > CHUNK) {
        free(s->big);
        if (!(s->big = malloc(len))) {
            igk_error_set(s->err, IGK_E_INTERNAL, "out of memory");
            return NULL;
        }
        dst = s->big;
    } else {
        dst = w->buf;
        w->in = NULL;
    }
    while (got < want) {
        ssize_t n = pread(in->file.fd, dst + got, want - got, (off_t)(off + got));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            igk_error_set_path(s->err, in->name);
            igk_error_set(s->err, IGK_E_IO, "cannot read: %s", strerror(errno));
            return NULL;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got < len) {
        char what[96];

        snprintf(what, sizeof(what), "%llu bytes when opened, now ends at %llu",
                 (unsigned long long)in->file.size, (unsigned long long)(off + got));
        igk_held_input_changed(in, what, s->err);
        return NULL;
    }
    if (dst == w->buf) {
        w->in = in;
        w->start = off;
        w->len = got;
    }
    return dst;
}

/* The blob bytes of header i (size bytes; PAGE_DATA padded to a page). */
static const uint8_t *blob_bytes(struct stream *s, struct window *w, size_t i, uint32_t *size,
                                 bool *is_page)
{
    const struct igk_header *h = &s->igvm->headers[i];
    const struct igk_held_input *in;
    const uint8_t *d;
    size_t have;

    if (!blob_of(h, &d, size, is_page))
        return NULL;
    have = h->type == IGK_VHT_PAGE_DATA && h->data_size < IGK_PAGE_SIZE ? h->data_size : *size;
    in = igk_held_input_find(s->igvm, d, have);
    if (in && !(d = window_read(s, w, in, d, have)))
        return NULL;
    if (have < *size) {
        memset(s->pad, 0, sizeof(s->pad));
        memcpy(s->pad, d, have);
        d = s->pad;
    }
    return d;
}

static int io_fail(struct stream *s, const char *what)
{
    return igk_error_set(s->err, IGK_E_IO, "%s: %s", what, strerror(errno ? errno : EIO));
}

static int flush(struct stream *s)
{
    const uint8_t *p = s->out;
    size_t len = s->out_len;

    if (s->sha256 && (EVP_DigestUpdate(s->sha256, p, len) != 1 ||
                      EVP_DigestUpdate(s->sha384, p, len) != 1))
        return igk_error_set(s->err, IGK_E_INTERNAL, "hashing the image failed");
    while (len) {
        ssize_t n = write(s->fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return io_fail(s, "cannot write");
        p += n;
        len -= (size_t)n;
    }
    s->written += s->out_len;
    s->out_len = 0;
    if (s->progress)
        s->progress(s->written, s->total, s->user);
    return 0;
}

static int put(struct stream *s, const uint8_t *p, size_t len)
{
    while (len) {
        size_t n = CHUNK - s->out_len;
        int r;

        if (n > len)
            n = len;
        memcpy(s->out + s->out_len, p, n);
        s->out_len += n;
        p += n;
        len -= n;
        if (s->out_len == CHUNK && (r = flush(s)) < 0)
            return r;
    }
    return 0;
}

/* Encodes headers [from, to) into buf (headers only; offsets from offsets[]). */
static size_t encode_headers(const struct igk_igvm *igvm, const uint32_t *offsets, size_t from,
                             size_t to, uint8_t *buf)
{
    size_t pos = 0;

    for (size_t i = from; i < to; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint32_t size = igk_header_struct_size(h->type);
        size_t stride = (size_t)igk_tlv_stride(size);

        memset(buf + pos, 0, stride);
        igk_put_le32(buf + pos, h->type);
        igk_put_le32(buf + pos + 4, size);
        igk_encode_body(h, offsets[i], buf + pos + IGK_TLV_PREFIX_SIZE);
        pos += stride;
    }
    return pos;
}

/* Headers per encoding batch: the largest TLV (VBS_MEASUREMENT) is under 1 KiB. */
#define HEADER_BATCH (CHUNK / 1024)

static int plan_offsets(struct stream *s, uint64_t data_start, uint32_t *offsets,
                        uint64_t *ret_end)
{
    const struct igk_igvm *igvm = s->igvm;
    size_t n_pages = 0, cap = 16;
    struct slot *slots;
    uint64_t pos = data_start;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const uint8_t *d;
        uint32_t sz;
        bool is_page;

        n_pages += blob_of(&igvm->headers[i], &d, &sz, &is_page) && is_page;
    }
    while (cap < 2 * n_pages + 16)
        cap *= 2;
    if (!(slots = calloc(cap, sizeof(*slots))))
        return igk_error_set(s->err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < igvm->n_headers; i++) {
        uint32_t sz, offset = 0;
        bool is_page;
        const uint8_t *d = blob_bytes(s, &s->primary, i, &sz, &is_page);
        size_t k = 0;
        uint64_t hash = 0;

        offsets[i] = 0;
        if (!d) {
            if (s->err->code) {
                free(slots);
                return s->err->code;
            }
            continue;
        }
        if (is_page) {
            hash = page_hash(d);
            for (k = (size_t)hash & (cap - 1); slots[k].offset; k = (k + 1) & (cap - 1)) {
                uint32_t other_size;
                bool other_page;
                const uint8_t *o;

                if (slots[k].hash != hash)
                    continue;
                /* The other copy through its own window: d stays valid. */
                o = blob_bytes(s, &s->secondary, slots[k].header, &other_size, &other_page);
                if (!o) {
                    free(slots);
                    return s->err->code ? s->err->code : IGK_E_INTERNAL;
                }
                if (!memcmp(o, d, IGK_PAGE_SIZE)) {
                    offset = slots[k].offset;
                    break;
                }
            }
        }
        if (!offset) {
            offset = (uint32_t)pos;
            if (is_page)
                slots[k] = (struct slot){hash, offset, (uint32_t)i};
            pos += sz;
        }
        offsets[i] = offset;
    }
    free(slots);
    *ret_end = pos;
    return 0;
}

static int write_stream(struct stream *s, const uint32_t *offsets, uint32_t fixed_size,
                        uint64_t headers_size, uint8_t *batch)
{
    const struct igk_igvm *igvm = s->igvm;
    uint8_t fixed[IGK_FIXED_HEADER_V2_SIZE] = {0};
    uLong crc = crc32(0L, Z_NULL, 0);
    uint64_t data_start = fixed_size + headers_size, pos = data_start;
    int r;

    igk_put_le32(fixed + 0, IGK_IGVM_MAGIC);
    igk_put_le32(fixed + 4, igvm->format_version);
    igk_put_le32(fixed + 8, fixed_size);
    igk_put_le32(fixed + 12, (uint32_t)headers_size);
    igk_put_le32(fixed + 16, (uint32_t)s->total);
    if (igvm->format_version == 2) {
        igk_put_le32(fixed + 24, igvm->arch);
        igk_put_le32(fixed + 28, IGK_PAGE_SIZE);
    }
    /* CRC-32 over the fixed header (checksum zero) and the headers (section 1.3). */
    crc = crc32(crc, fixed, fixed_size);
    for (size_t i = 0; i < igvm->n_headers; i += HEADER_BATCH) {
        size_t to = i + HEADER_BATCH < igvm->n_headers ? i + HEADER_BATCH : igvm->n_headers;
        size_t n = encode_headers(igvm, offsets, i, to, batch);

        crc = crc32(crc, batch, (uInt)n);
    }
    igk_put_le32(fixed + 20, (uint32_t)crc);
    if ((r = put(s, fixed, fixed_size)) < 0)
        return r;
    for (size_t i = 0; i < igvm->n_headers; i += HEADER_BATCH) {
        size_t to = i + HEADER_BATCH < igvm->n_headers ? i + HEADER_BATCH : igvm->n_headers;

        if ((r = put(s, batch, encode_headers(igvm, offsets, i, to, batch))) < 0)
            return r;
    }
    /* Blobs in header order; a blob whose offset is behind us is a repeat. */
    for (size_t i = 0; i < igvm->n_headers; i++) {
        uint32_t sz;
        bool is_page;
        const uint8_t *d;

        if (!offsets[i] || offsets[i] < pos)
            continue;
        if (!(d = blob_bytes(s, &s->primary, i, &sz, &is_page)))
            return s->err->code ? s->err->code : IGK_E_INTERNAL;
        if ((r = put(s, d, sz)) < 0)
            return r;
        pos += sz;
    }
    if (pos == data_start) { /* the one zero byte of an empty data section (writer.c) */
        static const uint8_t zero;

        if ((r = put(s, &zero, 1)) < 0)
            return r;
    }
    return flush(s);
}

/*
 * Streams the file to fd, which the output module opened (a temporary beside
 * the target, or a stream target itself); path names it in messages.
 */
int igk_igvm_write_fd_info(const struct igk_igvm *igvm, int fd, const char *path,
                           struct igk_write_info *info, igk_progress_fn progress, void *user,
                           struct igk_error *err)
{
    uint32_t fixed_size = igvm->format_version == 2 ? IGK_FIXED_HEADER_V2_SIZE
                                                    : IGK_FIXED_HEADER_V1_SIZE;
    uint64_t headers_size = 0, data_bound = 0, data_end = 0;
    struct stream s = {.igvm = igvm, .fd = fd, .progress = progress, .user = user, .err = err};
    uint32_t *offsets = NULL;
    uint8_t *batch = NULL;
    int r;

    if ((r = igk_igvm_require_full(igvm, "writing a file", err)) < 0 ||
        (r = igk_igvm_validate(igvm, err)) < 0)
        goto out;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const uint8_t *d;
        uint32_t sz;
        bool is_page;

        headers_size += igk_tlv_stride(igk_header_struct_size(igvm->headers[i].type));
        blob_of(&igvm->headers[i], &d, &sz, &is_page);
        data_bound += sz;
    }
    if (fixed_size + headers_size + (data_bound ? data_bound : 1) > UINT32_MAX) {
        r = igk_error_set(err, IGK_E_UNSUPPORTED,
                          "the file would be %llu bytes; IGVM files are limited to 4 GiB",
                          (unsigned long long)(fixed_size + headers_size + data_bound));
        goto out;
    }
    offsets = malloc((igvm->n_headers ? igvm->n_headers : 1) * sizeof(*offsets));
    batch = malloc(CHUNK);
    s.primary.buf = malloc(CHUNK);
    s.secondary.buf = malloc(CHUNK);
    s.out = malloc(CHUNK);
    if (!offsets || !batch || !s.primary.buf || !s.secondary.buf || !s.out) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    if ((r = plan_offsets(&s, fixed_size + headers_size, offsets, &data_end)) < 0)
        goto out;
    /* An empty data section gets one zero byte (writer.c). */
    s.total = data_end > fixed_size + headers_size ? data_end : data_end + 1;
    if (info && info->digests) {
        s.sha256 = EVP_MD_CTX_new();
        s.sha384 = EVP_MD_CTX_new();
        if (!s.sha256 || !s.sha384 || EVP_DigestInit_ex(s.sha256, EVP_sha256(), NULL) != 1 ||
            EVP_DigestInit_ex(s.sha384, EVP_sha384(), NULL) != 1) {
            r = igk_error_set(err, IGK_E_INTERNAL, "hashing the image failed");
            goto out;
        }
    }

    if ((r = write_stream(&s, offsets, fixed_size, headers_size, batch)) < 0)
        goto out;
    /* On disk before the inputs are checked, so that the check covers every
     * read; a stream target (pipe, device) has nothing to sync. */
    if (fsync(s.fd) < 0 && errno != EINVAL && errno != EROFS) {
        r = io_fail(&s, "cannot write");
        goto out;
    }
    /* Inputs read twice (offsets, then bytes) must not have changed in between. */
    if ((r = igk_held_inputs_check(igvm, err)) < 0)
        goto out;
    if (info) {
        info->size = s.written;
        if (s.sha256 && (EVP_DigestFinal_ex(s.sha256, info->sha256, NULL) != 1 ||
                         EVP_DigestFinal_ex(s.sha384, info->sha384, NULL) != 1))
            r = igk_error_set(err, IGK_E_INTERNAL, "hashing the image failed");
    }
out:
    if (r < 0 && !err->path[0] && r != IGK_E_INTERNAL)
        igk_error_set_path(err, path);
    EVP_MD_CTX_free(s.sha256);
    EVP_MD_CTX_free(s.sha384);
    free(offsets);
    free(batch);
    free(s.primary.buf);
    free(s.secondary.buf);
    free(s.big);
    free(s.out);
    return r;
}

/*
 * The file through the output module (file-output.h): a temporary beside
 * path, published by rename only when complete; the module's rules on what
 * may be replaced and on outputs that are inputs apply.
 */
IGK_PUBLIC int igk_igvm_write_file_info(const struct igk_igvm *igvm, const char *path,
                                        struct igk_write_info *info, igk_progress_fn progress,
                                        void *user, struct igk_error *err)
{
    struct igk_output_set set;
    struct igk_error scratch;
    int fd = -1, r, rc;

    igk_output_set_init(&set);
    r = igk_output_add_fd(&set, path, &fd, err);
    if (r == 0)
        r = igk_igvm_write_fd_info(igvm, fd, path, info, progress, user, err);
    if (fd >= 0) {
        rc = igk_output_close_fd(fd, path, r < 0 ? &scratch : err);
        if (r == 0)
            r = rc;
    }
    if (r == 0)
        r = igk_output_commit(&set, err);
    igk_output_set_done(&set);
    return r;
}

IGK_PUBLIC int igk_igvm_write_file(const struct igk_igvm *igvm, const char *path,
                                   struct igk_error *err)
{
    return igk_igvm_write_file_info(igvm, path, NULL, NULL, NULL, err);
}
