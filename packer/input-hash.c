/* SPDX-License-Identifier: MIT */
/* SHA-256 of a packer input with pread(): see input-hash.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "input-hash.h"

#define CHUNK (1u << 20)

int igk_input_sha256(const struct igk_mapped_file *file, const char *name,
                     uint8_t out[IGK_SHA256_LEN], struct igk_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t *buf = malloc(CHUNK);
    uint64_t off = 0;
    int r = 0;

    if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
        goto out;
    }
    while (off < file->size) {
        size_t want = file->size - off < CHUNK ? (size_t)(file->size - off) : CHUNK;
        ssize_t n = pread(file->fd, buf, want, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            igk_error_set_path(err, name);
            r = igk_error_set(err, IGK_E_IO, "cannot read: %s", strerror(errno));
            goto out;
        }
        if (n == 0) {
            igk_error_set_path(err, name);
            r = igk_error_set(err, IGK_E_IO,
                              "changed while being packed (%llu bytes when opened, now ends at "
                              "%llu); nothing was written",
                              (unsigned long long)file->size, (unsigned long long)off);
            goto out;
        }
        if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
            r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
            goto out;
        }
        off += (uint64_t)n;
    }
    if (EVP_DigestFinal_ex(ctx, out, NULL) != 1)
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-256 failed");
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    return r;
}
