/* SPDX-License-Identifier: MIT */
/*
 * VBS boot digest (Hyper-V VSM isolation), docs/measure-vbs.md.
 *
 * A SHA-256 chain from 32 zero bytes: each record replaces the digest with
 * SHA-256(digest || chunk).  Page chunks are 4128 bytes: a 16-byte header
 * (byte count 4128, type 2 = GPA page, reserved), u64 metadata (bits 0-1
 * acceptance, bit 2 data unmeasured), u64 page number, then the page (zero
 * padded; all zeros when unmeasured).  Parameter inserts and error ranges are
 * unmeasured pages (error ranges accepted read/write).  VP registers come
 * last, one 48-byte chunk each (header with byte count 48 and type 0, u32
 * reserved, u8 VTL, 3 reserved bytes, u32 reserved, u32 register name,
 * 16-byte value).
 */
#include <string.h>

#include <openssl/evp.h>

#include "le.h"
#include "measure-private.h"
#include "util.h"

#define CHUNK_HEADER_SIZE 16
#define PAGE_CHUNK_HEADER_SIZE 32 /* header + metadata + page number */
#define PAGE_CHUNK_SIZE (PAGE_CHUNK_HEADER_SIZE + IGK_PAGE_SIZE)
#define REGISTER_CHUNK_SIZE 48
#define CHUNK_VP_REGISTER 0u
#define CHUNK_GPA_PAGE 2u
#define ACCEPT_READ_WRITE 0x3u
#define META_DATA_UNMEASURED 0x4u

_Static_assert(PAGE_CHUNK_SIZE == 4128, "a VBS page chunk is 4096 + 32 bytes");

static const uint8_t zero_page[IGK_PAGE_SIZE];

struct vbs_state {
    EVP_MD_CTX *ctx;
    EVP_MD *md; /* fetched once: an implicit fetch per page takes a lock */
    uint8_t digest[32];
    unsigned long step;
    unsigned registers;
    igk_measure_step_fn fn;
    void *user;
};

/* digest = SHA-256(digest || a || b) */
static int chain(struct vbs_state *s, const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    unsigned int len = 0;

    if (EVP_DigestInit_ex(s->ctx, s->md, NULL) != 1 ||
        EVP_DigestUpdate(s->ctx, s->digest, 32) != 1 || EVP_DigestUpdate(s->ctx, a, na) != 1 ||
        (nb && EVP_DigestUpdate(s->ctx, b, nb) != 1) ||
        EVP_DigestFinal_ex(s->ctx, s->digest, &len) != 1 || len != 32)
        return IGK_E_INTERNAL;
    return 0;
}

static int on_event(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct vbs_state *s = user;
    struct igk_measure_step step = {.event = ev, .running_len = 32};
    uint8_t head[REGISTER_CHUNK_SIZE] = {0};
    uint8_t pad[IGK_PAGE_SIZE];
    const uint8_t *page = NULL;
    int r;

    switch (ev->kind) {
    case IGK_EVENT_SHARED:
        break; /* not private memory: not measured */
    case IGK_EVENT_REGISTER:
        igk_put_le32(head, REGISTER_CHUNK_SIZE);
        igk_put_le32(head + 4, CHUNK_VP_REGISTER);
        head[CHUNK_HEADER_SIZE + 4] = ev->data[0];                              /* VTL  */
        igk_put_le32(head + CHUNK_HEADER_SIZE + 12, igk_le32(ev->data + 1));    /* name */
        memcpy(head + CHUNK_HEADER_SIZE + 16, ev->data + 16, 16);               /* value */
        r = chain(s, head, REGISTER_CHUNK_SIZE, NULL, 0);
        if (r < 0)
            return igk_error_set(err, r, "SHA-256 failed");
        s->registers++;
        step.step = ++s->step;
        break;
    case IGK_EVENT_NORMAL:
    case IGK_EVENT_UNMEASURED: {
        uint64_t meta = 0;

        if (ev->event_flags & IGK_EVENT_F_ACCEPT_RW)
            meta |= ACCEPT_READ_WRITE;
        if (ev->kind == IGK_EVENT_UNMEASURED) {
            meta |= META_DATA_UNMEASURED;
            page = zero_page;
        } else if (!ev->data) {
            page = zero_page;
        } else if (ev->data_size < IGK_PAGE_SIZE) {
            memset(pad, 0, sizeof(pad));
            memcpy(pad, ev->data, ev->data_size);
            page = pad;
        } else {
            page = ev->data;
        }
        igk_put_le32(head, PAGE_CHUNK_SIZE);
        igk_put_le32(head + 4, CHUNK_GPA_PAGE);
        igk_put_le64(head + 16, meta);
        igk_put_le64(head + 24, ev->gpa / IGK_PAGE_SIZE);
        r = chain(s, head, PAGE_CHUNK_HEADER_SIZE, page, IGK_PAGE_SIZE);
        if (r < 0)
            return igk_error_set(err, r, "SHA-256 failed");
        step.step = ++s->step;
        break;
    }
    default:
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "directive #%u: %s pages have no VBS measurement",
                             ev->directive_index, igk_event_kind_name(ev->kind));
    }
    if (!s->fn)
        return 0;
    if (page && ev->kind == IGK_EVENT_NORMAL) {
        if (igk_sha256(page, IGK_PAGE_SIZE, step.contents) < 0)
            return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        step.contents_len = 32;
    }
    memcpy(step.running, s->digest, 32);
    return s->fn(&step, s->user, err);
}

int igk_measure_vbs(const struct igk_igvm *igvm, uint32_t mask,
                    const struct igk_measure_options *options, unsigned flags,
                    igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                    struct igk_error *err)
{
    struct vbs_state s = {.fn = fn, .user = user};
    int r;

    (void)flags; /* only SEV-SNP reads pages apart */
    s.ctx = EVP_MD_CTX_new();
    s.md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!s.ctx || !s.md) {
        EVP_MD_CTX_free(s.ctx);
        EVP_MD_free(s.md);
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-256 is not available");
    }
    r = igk_walk_mask(igvm, IGK_PLATFORM_VSM, mask, options, on_event, &s, err);
    if (r >= 0) {
        memcpy(ret->digest, s.digest, 32);
        ret->vmsa_count = 0;
        ret->vcpus = options ? options->vcpus : 0;
        r = 0;
    }
    EVP_MD_CTX_free(s.ctx);
    EVP_MD_free(s.md);
    return r;
}
