/* SPDX-License-Identifier: MIT */
/* Shared internal helpers: hex, digests, file mapping, atomic writes. */
#include <string.h>

#include <openssl/evp.h>

#include "file-output.h"
#include "util.h"

void igk_hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    out[2 * n] = '\0';
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int igk_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    if (strlen(hex) != 2 * n)
        return IGK_E_INVALID;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return IGK_E_INVALID;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static int digest(const EVP_MD *md, const void *data, size_t len, uint8_t *out)
{
    unsigned int out_len = 0;

    return EVP_Digest(data, len, out, &out_len, md, NULL) == 1 ? 0 : IGK_E_INTERNAL;
}

int igk_sha256(const void *data, size_t len, uint8_t out[IGK_SHA256_LEN])
{
    return digest(EVP_sha256(), data, len, out);
}

int igk_sha384(const void *data, size_t len, uint8_t out[IGK_SHA384_LEN])
{
    return digest(EVP_sha384(), data, len, out);
}

int igk_write_file_atomic(const char *path, const void *data, size_t len, struct igk_error *err)
{
    /* One output through the output module: its checks, mode and cleanup rules. */
    return igk_output_write_one(path, data, len, err);
}
