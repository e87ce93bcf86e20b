/* SPDX-License-Identifier: MIT */
/* Export entry points: gathering the measurements, format names, dispatch. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-private.h"
#include "util.h"

static const char *const format_names[IGK_EXPORT_FORMAT_MAX] = {
    [IGK_EXPORT_JSON] = "json",
    [IGK_EXPORT_RVPS] = "rvps",
    [IGK_EXPORT_CORIM] = "corim",
    [IGK_EXPORT_INTOTO] = "intoto",
};

int igk_export_format_from_name(const char *name)
{
    for (int i = 0; i < IGK_EXPORT_FORMAT_MAX; i++)
        if (name && !strcmp(name, format_names[i]))
            return i;
    return -1;
}

const char *igk_export_format_name(enum igk_export_format format)
{
    return (unsigned)format < IGK_EXPORT_FORMAT_MAX ? format_names[format] : "unknown";
}

struct sha256_job {
    const uint8_t *bytes;
    size_t len;
    uint8_t *out;
    int result;
};

static void *sha256_thread(void *arg)
{
    struct sha256_job *job = arg;

    job->result = igk_sha256(job->bytes, job->len, job->out);
    return NULL;
}

/* SHA-256 on a second thread while SHA-384 runs here: two passes at the cost of one. */
static int digest_bytes(const uint8_t *bytes, size_t len, struct igk_export_input *ret,
                        struct igk_error *err)
{
    struct sha256_job job = {bytes, len, ret->sha256, 0};
    pthread_t thread;
    bool started = pthread_create(&thread, NULL, sha256_thread, &job) == 0;
    int r384 = igk_sha384(bytes, len, ret->sha384);

    if (started)
        pthread_join(thread, NULL);
    else
        sha256_thread(&job);
    ret->file_size = len;
    if (job.result < 0 || r384 < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "cannot hash the IGVM file");
    return 0;
}

IGK_PUBLIC int igk_export_file_digests(const struct igk_igvm *igvm, struct igk_export_input *ret,
                                       struct igk_error *err)
{
    uint8_t *buf = NULL;
    size_t len;
    int r;

    if (igvm->file) {
        if (igvm->file_size > SIZE_MAX)
            return igk_error_set(err, IGK_E_INTERNAL, "file too large");
        return digest_bytes(igvm->file, (size_t)igvm->file_size, ret, err);
    }
    /* A model packed in memory: digest the bytes 'pack' would write. */
    r = igk_igvm_write_buffer(igvm, &buf, &len, err);
    if (r < 0)
        return r;
    r = digest_bytes(buf, len, ret, err);
    free(buf);
    return r;
}

int igk_export_collect(const struct igk_igvm *igvm, const char *name, int platform,
                       const struct igk_measure_options *options, struct igk_export_input *ret,
                       struct igk_error *err)
{
    struct igk_export_input *in;
    int r;

    in = calloc(1, sizeof(*in));
    if (!in)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    snprintf(in->name, sizeof(in->name), "%s", name ? name : "");
    const char *slash = strrchr(in->name, '/'), *base = slash ? slash + 1 : in->name;
    size_t base_len = strnlen(base, sizeof(in->subject) - 1);
    memcpy(in->subject, base, base_len); /* truncated to fit; in is zeroed */

    if (platform >= 0) {
        if (platform >= IGK_PLATFORM_MAX) {
            r = igk_error_set(err, IGK_E_USAGE, "unknown platform %d", platform);
            goto out;
        }
        r = igk_measure(igvm, (enum igk_platform_type)platform, options, &in->measurements[0],
                        err);
        if (r < 0)
            goto out;
        in->n_measurements = 1;
    } else {
        enum igk_platform_type declared[IGK_PLATFORM_MAX];

        r = igk_measure_declared_platforms(igvm, declared, &in->n_measurements, err);
        if (r < 0)
            goto out;
        r = igk_measure_platforms(igvm, declared, in->n_measurements, options, in->measurements,
                                  err);
        if (r < 0)
            goto out;
    }
    r = igk_export_file_digests(igvm, in, err);
    if (r < 0)
        goto out;
    *ret = *in;
    r = 0;
out:
    free(in);
    return r;
}

int igk_export(const struct igk_export_input *input, enum igk_export_format format,
               uint8_t **ret_data, size_t *ret_len, struct igk_error *err)
{
    switch (format) {
    case IGK_EXPORT_JSON:
        return igk_export_json(input, ret_data, ret_len, err);
    case IGK_EXPORT_RVPS:
        return igk_export_rvps(input, ret_data, ret_len, err);
    case IGK_EXPORT_CORIM:
        return igk_export_corim(input, ret_data, ret_len, err);
    case IGK_EXPORT_INTOTO:
        return igk_export_intoto(input, ret_data, ret_len, err);
    default:
        return igk_error_set(err, IGK_E_USAGE, "unknown export format %d", (int)format);
    }
}
