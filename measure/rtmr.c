/* SPDX-License-Identifier: MIT */
/*
 * TDX RTMR1/RTMR2 prediction for an OVMF direct kernel boot (docs/measure-tdx.md
 * 5; the event list is in <igvmkit/measure.h>).  Each register is the fold
 * SHA-384(old || event digest) from 48 zero bytes (5.1, TDG.MR.RTMR.EXTEND).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <igvmkit/measure.h>

#include "file-input.h"
#include "pe.h"
#include "rtmr-internal.h"
#include "util.h"

/* The suffix QEMU/OVMF add to the command line when an initrd is given. */
#define INITRD_SUFFIX " initrd=initrd"

/* EV_EFI_ACTION strings TDVF logs around the kernel launch (UEFI TCG PFP). */
static const char *const rtmr1_actions[] = {
    "Calling EFI Application from Boot Option",
    NULL, /* separator */
    "Exit Boot Services Invocation",
    "Exit Boot Services Returned with Success",
};

static int extend(struct igk_rtmr_log *log, const char *description,
                  const uint8_t digest[IGK_RTMR_DIGEST_LEN], struct igk_error *err)
{
    uint8_t buf[2 * IGK_RTMR_DIGEST_LEN];

    if (log->n_events >= IGK_RTMR_MAX_EVENTS)
        return igk_error_set(err, IGK_E_INTERNAL, "too many RTMR events");
    memcpy(buf, log->value, IGK_RTMR_DIGEST_LEN);
    memcpy(buf + IGK_RTMR_DIGEST_LEN, digest, IGK_RTMR_DIGEST_LEN);
    if (igk_sha384(buf, sizeof(buf), log->value) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    log->events[log->n_events].description = description;
    memcpy(log->events[log->n_events].digest, digest, IGK_RTMR_DIGEST_LEN);
    log->n_events++;
    return 0;
}

static int extend_data(struct igk_rtmr_log *log, const char *description, const void *data,
                       size_t len, struct igk_error *err)
{
    uint8_t digest[IGK_RTMR_DIGEST_LEN];

    if (igk_sha384(data, len, digest) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    return extend(log, description, digest, err);
}

/* SHA-384 of len bytes of fd read with pread in 1 MiB pieces (no mapping to fault in). */
static int digest_fd(int fd, uint64_t len, const char *name, uint8_t out[IGK_RTMR_DIGEST_LEN],
                     struct igk_error *err)
{
    const size_t piece = (size_t)1 << 20;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t *buf = malloc(piece);
    int r = 0;

    if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha384(), NULL) != 1)
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    for (uint64_t pos = 0; r == 0 && pos < len; pos += piece) {
        size_t n = len - pos < piece ? (size_t)(len - pos) : piece;

        if ((r = igk_input_pread(fd, buf, n, pos, name, err)) < 0)
            break;
        if (EVP_DigestUpdate(ctx, buf, n) != 1)
            r = igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    }
    if (r == 0 && EVP_DigestFinal_ex(ctx, out, NULL) != 1)
        r = igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
    EVP_MD_CTX_free(ctx);
    free(buf);
    return r < 0 ? r : 0;
}

char *igk_tdx_measured_cmdline(const char *cmdline, int has_initrd)
{
    const char *suffix = has_initrd ? INITRD_SUFFIX : "";
    size_t a = cmdline ? strlen(cmdline) : 0, b = strlen(suffix);
    char *s = malloc(a + b + 1);

    if (!s)
        return NULL;
    if (a)
        memcpy(s, cmdline, a);
    memcpy(s + a, suffix, b + 1);
    return s;
}

/* LOADED_IMAGE::LoadOptions: OVMF widens each ASCII byte to UTF-16LE, adds a NUL. */
static int extend_cmdline(struct igk_rtmr_log *log, const char *measured, struct igk_error *err)
{
    size_t n = strlen(measured);
    uint8_t *utf16;
    int r;

    for (size_t i = 0; i < n; i++)
        if ((unsigned char)measured[i] >= 0x80)
            return igk_error_set(err, IGK_E_INVALID,
                                 "kernel command line is not 7-bit ASCII (byte %zu)", i);
    utf16 = calloc(n + 1, 2);
    if (!utf16)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++)
        utf16[2 * i] = (uint8_t)measured[i];
    r = extend_data(log, "kernel command line (UTF-16LE)", utf16, 2 * (n + 1), err);
    free(utf16);
    return r;
}

/* The initrd is initrd (bytes) or, when initrd_fd >= 0, read from the file.
 * ret NULL: checks only -- everything but the initrd's hash, which cannot
 * fail but costs a pass over the initrd (initrd is NULL then, initrd_len
 * its size). */
static int predict(const uint8_t *kernel, size_t kernel_len, const uint8_t *initrd,
                   uint64_t initrd_len, int initrd_fd, const char *initrd_name,
                   const char *cmdline, uint64_t memory, struct igk_rtmr_prediction *ret,
                   struct igk_error *err)
{
    struct igk_rtmr_prediction p;
    struct igk_qemu_kernel_patch patch;
    uint8_t kernel_digest[IGK_RTMR_DIGEST_LEN];
    uint8_t *patched = NULL;
    char *measured = NULL;
    int r;

    if (memory == 0)
        return igk_error_set(err, IGK_E_USAGE, "guest memory size must not be zero");
    if (!initrd && initrd_fd < 0 && ret)
        initrd_len = 0;
    memset(&p, 0, sizeof(p));
    p.memory = memory;

    r = igk_qemu_patch_kernel(kernel, kernel_len, initrd_len, memory, IGK_TDX_ACPI_DATA_SIZE,
                              &patched, &patch, err);
    if (r < 0)
        goto out;
    p.initrd_address = patch.initrd_address;
    p.boot_protocol = patch.protocol;
    /* The Authenticode digest also checks the PE/COFF layout: kept. */
    r = igk_pe_authenticode(patched, kernel_len, IGK_PE_SHA384, kernel_digest, err);
    if (r < 0) {
        igk_error_prefix(err, "kernel");
        goto out;
    }

    r = extend(&p.rtmr1, "kernel image (Authenticode, QEMU-patched setup header)",
               kernel_digest, err);
    for (size_t i = 0; r == 0 && i < IGK_ARRAY_SIZE(rtmr1_actions); i++) {
        if (rtmr1_actions[i])
            r = extend_data(&p.rtmr1, rtmr1_actions[i], rtmr1_actions[i],
                            strlen(rtmr1_actions[i]), err);
        else
            r = extend_data(&p.rtmr1, "separator", (const uint8_t[4]){0}, 4, err);
    }
    if (r < 0)
        goto out;

    measured = igk_tdx_measured_cmdline(cmdline, initrd_len > 0);
    if (!measured) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    if (measured[0] != '\0') {
        r = extend_cmdline(&p.rtmr2, measured, err);
        if (r < 0)
            goto out;
    }
    if (initrd_len > 0 && ret && initrd_fd >= 0) {
        uint8_t digest[IGK_RTMR_DIGEST_LEN];

        r = digest_fd(initrd_fd, initrd_len, initrd_name, digest, err);
        if (r == 0)
            r = extend(&p.rtmr2, "initrd", digest, err);
        if (r < 0)
            goto out;
    } else if (initrd_len > 0 && ret) {
        r = extend_data(&p.rtmr2, "initrd", initrd, (size_t)initrd_len, err);
        if (r < 0)
            goto out;
    }
    if (ret)
        *ret = p;
    r = 0;
out:
    free(measured);
    free(patched);
    return r;
}

int igk_tdx_predict_rtmr(const uint8_t *kernel, size_t kernel_len, const uint8_t *initrd,
                         size_t initrd_len, const char *cmdline, uint64_t memory,
                         struct igk_rtmr_prediction *ret, struct igk_error *err)
{
    return predict(kernel, kernel_len, initrd, initrd_len, -1, NULL, cmdline, memory, ret, err);
}

int igk_tdx_predict_rtmr_fd(const uint8_t *kernel, size_t kernel_len, int initrd_fd,
                            uint64_t initrd_len, const char *initrd_name, const char *cmdline,
                            uint64_t memory, struct igk_rtmr_prediction *ret,
                            struct igk_error *err)
{
    return predict(kernel, kernel_len, NULL, initrd_fd >= 0 ? initrd_len : 0, initrd_fd,
                   initrd_name ? initrd_name : "initrd", cmdline, memory, ret, err);
}

int igk_tdx_check_rtmr_inputs(const uint8_t *kernel, size_t kernel_len, size_t initrd_len,
                              const char *cmdline, uint64_t memory, struct igk_error *err)
{
    return predict(kernel, kernel_len, NULL, initrd_len, -1, NULL, cmdline, memory, NULL, err);
}
